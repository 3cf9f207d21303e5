package io.herald.server.group;

import io.herald.log.TopicPartition;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.metadata.TopicManager;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator of this broker: routes each group to the {@link GroupShard} of its {@code __consumer_offsets}
 * partition ({@code abs(groupId.hashCode()) % partitions}, as Kafka computes it), creates the internal topic when a
 * group first needs it, and loads a shard whenever this broker starts to lead one of its partitions (today: every
 * partition, at start).
 *
 * <p>The request-level entry points take the generated request messages and answer with response messages or error
 * codes; the handlers in {@code io.herald.server.handler} only adapt versions. Offsets and group listings are in
 * {@link OffsetRequests} and {@link GroupDescriber}.
 *
 * <p>Thread-safety: thread-safe. Shards serialise the work on their groups; loading runs on one loader thread, and
 * clients' requests on the coordinator's request threads ({@link #run}).
 */
public final class GroupCoordinator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    /** Replicas of each {@code __consumer_offsets} partition: Kafka's default 3, or every broker if fewer. */
    static final int OFFSETS_TOPIC_REPLICATION_FACTOR = 3;

    /** Who sends a request: what the coordinator records about members and what decides version-specific rules. */
    public record Caller(String clientId, String clientHost, short apiVersion) {}

    private final GroupConfig config;
    private final TopicManager topics;
    private final PartitionManager partitions;
    private final MetadataStore metadata;
    private final GroupTime time;
    private final ExecutorService loader;
    /** Runs the requests of {@link #run}; threads are made as requests wait, and idle ones go after a minute. */
    private final ExecutorService requests = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "herald-group-requests");
        t.setDaemon(true);
        return t;
    });

    private final Map<Integer, GroupShard> shards = new ConcurrentHashMap<>();
    private final OffsetRequests offsetRequests;
    private final GroupDescriber describer;
    private volatile int partitionCount;
    private volatile boolean closed;

    private GroupCoordinator(
            GroupConfig config,
            TopicManager topics,
            PartitionManager partitions,
            GroupTime time,
            ExecutorService loader) {
        this.config = config;
        this.topics = topics;
        this.partitions = partitions;
        this.metadata = topics.metadata();
        this.time = time;
        this.loader = loader;
        this.offsetRequests = new OffsetRequests(this, metadata);
        this.describer = new GroupDescriber(this, metadata);
    }

    /**
     * Starts the coordinator: if {@code __consumer_offsets} exists, its partitions start loading (in the background:
     * requests for their groups get COORDINATOR_LOAD_IN_PROGRESS meanwhile); offset expiration is scheduled.
     */
    public static GroupCoordinator start(
            GroupConfig config, TopicManager topics, PartitionManager partitions, GroupTime time) {
        ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "herald-group-loader");
            t.setDaemon(true);
            return t;
        });
        return start(config, topics, partitions, time, loader);
    }

    /** {@link #start}, with the executor that loads shards (tests control when loading happens). */
    static GroupCoordinator start(
            GroupConfig config,
            TopicManager topics,
            PartitionManager partitions,
            GroupTime time,
            ExecutorService loader) {
        GroupCoordinator c = new GroupCoordinator(config, topics, partitions, time, loader);
        c.partitionCount = config.offsets().topicPartitions();
        c.metadata.topic(GroupConfig.OFFSETS_TOPIC).ifPresent(t -> {
            c.partitionCount = t.partitions();
            for (int p = 0; p < t.partitions(); p++) {
                if (c.leads(p)) {
                    c.onBecomeLeader(p);
                }
            }
        });
        c.scheduleExpiration();
        return c;
    }

    public GroupConfig config() {
        return config;
    }

    /**
     * Runs {@code request}, a client's request to this coordinator, on a thread of the coordinator, never the caller's
     * (a request-handler thread); the future completes as {@code request}'s does.
     *
     * <p>Design note: an operation on a shard waits, under the shard's lock, until its records are replicated to the
     * in-sync replicas of {@code __consumer_offsets} (as Kafka's coordinator writes with acks=all), and the other
     * operations on the shard wait for the lock. Followers fetch through the request-handler threads: with as many
     * group requests for one shard at once as there are handler threads (JMS connections joining their groups at the
     * same moment), none was left to serve the fetches, and the broker answered nothing until the followers fell out
     * of the ISR. Here the waiting holds only threads of this coordinator, which replication does not need.
     */
    public <T> CompletableFuture<T> run(Supplier<? extends CompletableFuture<? extends T>> request) {
        try {
            return CompletableFuture.supplyAsync(request, requests).thenCompose(f -> f.<T>thenApply(v -> v));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new CoordinatorNotAvailableException("The broker is shutting down"));
        }
    }

    GroupTime time() {
        return time;
    }

    /** The {@code __consumer_offsets} partition that coordinates {@code groupId}. */
    public int partitionFor(String groupId) {
        return Utils.abs(groupId.hashCode()) % partitionCount;
    }

    /** Whether the internal topic exists (groups can exist only then). */
    public boolean offsetsTopicExists() {
        return metadata.topic(GroupConfig.OFFSETS_TOPIC).isPresent();
    }

    /**
     * Creates {@code __consumer_offsets} (compacted, {@code offsets.topic.num.partitions} partitions) if it does not
     * exist yet; its shards start empty and active.
     */
    public synchronized void ensureOffsetsTopic() throws IOException {
        if (closed || offsetsTopicExists()) {
            return;
        }
        try {
            TopicInfo t = topics.create(
                    GroupConfig.OFFSETS_TOPIC,
                    config.offsets().topicPartitions(),
                    Math.max(1, Math.min(OFFSETS_TOPIC_REPLICATION_FACTOR, topics.brokerCount())),
                    Map.of(
                            "cleanup.policy",
                            "compact",
                            "segment.bytes",
                            String.valueOf(config.offsets().topicSegmentBytes())));
            partitionCount = t.partitions();
            log.info("Created {} with {} partitions", GroupConfig.OFFSETS_TOPIC, t.partitions());
            for (int p = 0; p < t.partitions(); p++) {
                if (leads(p) && !shards.containsKey(p)) {
                    GroupShard shard = newShard(p);
                    shard.load(); // an empty log: active at once
                    if (shards.putIfAbsent(p, shard) != null) {
                        shard.close();
                    }
                }
            }
        } catch (TopicExistsException e) {
            // created concurrently
        }
    }

    /**
     * This broker now leads partition {@code p} of the internal topic: its shard replays the partition's log in the
     * background and becomes active.
     */
    public void onBecomeLeader(int p) {
        if (shards.containsKey(p)) {
            return; // already leading (a new leadership always comes after onResign)
        }
        GroupShard shard = newShard(p);
        if (shards.putIfAbsent(p, shard) != null) {
            shard.close();
            return;
        }
        loader.execute(shard::load);
    }

    /** Whether this broker leads partition {@code p} of the internal topic. */
    private boolean leads(int p) {
        return partitions
                .partition(new TopicPartition(GroupConfig.OFFSETS_TOPIC, p))
                .map(Partition::isLeader)
                .orElse(false);
    }

    /** This broker no longer leads partition {@code p}: its groups' parked requests get NOT_COORDINATOR. */
    public void onResign(int p) {
        GroupShard shard = shards.remove(p);
        if (shard != null) {
            shard.close();
        }
    }

    private GroupShard newShard(int p) {
        Partition partition = partitions
                .partition(new TopicPartition(GroupConfig.OFFSETS_TOPIC, p))
                .orElseThrow(() -> new IllegalStateException(
                        "Partition " + p + " of " + GroupConfig.OFFSETS_TOPIC + " is not open"));
        return new GroupShard(p, partition, time, config, metadata);
    }

    /** The shard coordinating {@code groupId}, creating the internal topic first if needed. */
    GroupShard shardFor(String groupId) {
        if (!offsetsTopicExists()) {
            try {
                ensureOffsetsTopic();
            } catch (IOException e) {
                throw new CoordinatorNotAvailableException("Could not create " + GroupConfig.OFFSETS_TOPIC, e);
            }
        }
        GroupShard shard = shards.get(partitionFor(groupId));
        if (shard == null && !closed) {
            try {
                ensureOffsetsTopic(); // waits for a creation in progress on another thread
            } catch (IOException e) {
                throw new CoordinatorNotAvailableException("Could not create " + GroupConfig.OFFSETS_TOPIC, e);
            }
            shard = shards.get(partitionFor(groupId));
        }
        if (shard == null) {
            throw new CoordinatorNotAvailableException(
                    "Partition " + partitionFor(groupId) + " of " + GroupConfig.OFFSETS_TOPIC + " has no coordinator");
        }
        return shard;
    }

    /** The shard of {@code groupId} if the internal topic exists; reads need not create it. */
    /** Whether this broker coordinates {@code groupId} now (it leads the group's offsets partition). */
    public boolean coordinates(String groupId) {
        return existingShardFor(groupId).isPresent();
    }

    Optional<GroupShard> existingShardFor(String groupId) {
        if (!offsetsTopicExists()) {
            return Optional.empty();
        }
        return Optional.ofNullable(shards.get(partitionFor(groupId)));
    }

    List<GroupShard> shards() {
        return new ArrayList<>(shards.values());
    }

    /** Runs {@code op} on the group's shard; an error of the shard (loading, closed) comes back as its code. */
    <T> T onShard(String groupId, Function<GroupShard, T> op) {
        GroupShard shard = shardFor(groupId);
        return shard.call(() -> op.apply(shard));
    }

    // ---- classic protocol ---------------------------------------------------------------------------------------

    public CompletableFuture<JoinGroupResponseData> joinGroup(Caller caller, JoinGroupRequestData request) {
        List<ClassicMember.Protocol> protocols = new ArrayList<>();
        request.protocols().forEach(p -> protocols.add(new ClassicMember.Protocol(p.name(), p.metadata())));
        int rebalanceTimeout = caller.apiVersion() >= 1 && request.rebalanceTimeoutMs() >= 0
                ? request.rebalanceTimeoutMs()
                : request.sessionTimeoutMs();
        ClassicGroupProtocol.JoinRequest join = new ClassicGroupProtocol.JoinRequest(
                request.groupId(),
                request.memberId() == null ? "" : request.memberId(),
                request.groupInstanceId(),
                request.protocolType(),
                protocols,
                request.sessionTimeoutMs(),
                rebalanceTimeout,
                new ClassicGroupProtocol.Client(caller.clientId(), caller.clientHost()),
                caller.apiVersion() >= 4 && request.groupInstanceId() == null,
                caller.apiVersion() >= 9);
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new JoinGroupResponseData()
                    .setMemberId(join.memberId())
                    .setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        try {
            return onShard(request.groupId(), shard -> shard.classic().join(join));
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(new JoinGroupResponseData()
                    .setMemberId(join.memberId())
                    .setErrorCode(Errors.forException(e).code()));
        }
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(Caller caller, SyncGroupRequestData request) {
        Map<String, byte[]> assignments = new java.util.HashMap<>();
        request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
        ClassicGroupProtocol.SyncRequest sync = new ClassicGroupProtocol.SyncRequest(
                request.groupId(),
                request.memberId(),
                request.groupInstanceId(),
                request.generationId(),
                request.protocolType(),
                request.protocolName(),
                assignments);
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(syncError(Errors.INVALID_GROUP_ID));
        }
        try {
            return onShard(request.groupId(), shard -> shard.classic().sync(sync));
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(syncError(Errors.forException(e)));
        }
    }

    private static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }

    public HeartbeatResponseData heartbeat(Caller caller, HeartbeatRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return new HeartbeatResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        try {
            return onShard(
                    request.groupId(),
                    shard -> shard.classic()
                            .heartbeat(
                                    request.groupId(),
                                    request.memberId(),
                                    request.groupInstanceId(),
                                    request.generationId()));
        } catch (ApiException e) {
            return new HeartbeatResponseData()
                    .setErrorCode(Errors.forException(e).code());
        }
    }

    /** LeaveGroup in its v3+ form (a member list); v0-v2 callers pass one member. */
    public LeaveGroupResponseData leaveGroup(
            Caller caller, String groupId, List<LeaveGroupRequestData.MemberIdentity> members) {
        if (groupId == null || groupId.isEmpty()) {
            return new LeaveGroupResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        List<ClassicGroupProtocol.LeavingMember> leaving = members.stream()
                .map(m -> new ClassicGroupProtocol.LeavingMember(
                        m.memberId() == null ? "" : m.memberId(), m.groupInstanceId()))
                .toList();
        try {
            return onShard(groupId, shard -> shard.classic().leave(groupId, leaving));
        } catch (ApiException e) {
            return new LeaveGroupResponseData()
                    .setErrorCode(Errors.forException(e).code());
        }
    }

    // ---- consumer protocol (KIP-848) ----------------------------------------------------------------------------

    public ConsumerGroupHeartbeatResponseData consumerGroupHeartbeat(
            Caller caller, ConsumerGroupHeartbeatRequestData request) {
        java.util.Map<org.apache.kafka.common.Uuid, java.util.Set<Integer>> owned = null;
        if (request.topicPartitions() != null) {
            owned = new java.util.HashMap<>();
            for (ConsumerGroupHeartbeatRequestData.TopicPartitions tp : request.topicPartitions()) {
                owned.computeIfAbsent(tp.topicId(), t -> new java.util.HashSet<>())
                        .addAll(tp.partitions());
            }
        }
        ConsumerGroupProtocol.HeartbeatRequest r = new ConsumerGroupProtocol.HeartbeatRequest(
                request.groupId(),
                request.memberId() == null ? "" : request.memberId(),
                request.memberEpoch(),
                request.instanceId(),
                request.rackId(),
                request.rebalanceTimeoutMs(),
                new ConsumerGroupProtocol.Subscription(
                        request.subscribedTopicNames(), request.subscribedTopicRegex(), request.serverAssignor()),
                owned,
                new ClassicGroupProtocol.Client(caller.clientId(), caller.clientHost()),
                caller.apiVersion());
        try {
            if (request.groupId() == null || request.groupId().isBlank()) {
                throw new org.apache.kafka.common.errors.InvalidRequestException("GroupId can't be empty.");
            }
            return onShard(request.groupId(), shard -> shard.consumer().heartbeat(r));
        } catch (ApiException e) {
            return new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.forException(e).code())
                    .setErrorMessage(e.getMessage());
        }
    }

    // ---- offsets and group administration -----------------------------------------------------------------------

    public OffsetRequests offsets() {
        return offsetRequests;
    }

    public ListGroupsResponseData listGroups(List<String> statesFilter, List<String> typesFilter) {
        return describer.listGroups(statesFilter, typesFilter);
    }

    public List<DescribedGroup> describeGroups(short apiVersion, List<String> groupIds) {
        return describer.describeGroups(apiVersion, groupIds);
    }

    public List<ConsumerGroupDescribeResponseData.DescribedGroup> consumerGroupDescribe(List<String> groupIds) {
        return describer.consumerGroupDescribe(groupIds);
    }

    public List<DeletableGroupResult> deleteGroups(List<String> groupIds) {
        return describer.deleteGroups(groupIds);
    }

    // ---- expiration and lifecycle -------------------------------------------------------------------------------

    private void scheduleExpiration() {
        if (closed) {
            return;
        }
        time.schedule(config.offsets().retentionCheckIntervalMs(), () -> {
            expireOffsets();
            scheduleExpiration();
        });
    }

    /** One pass of offset expiration over every active shard; returns how many offsets expired. */
    public int expireOffsets() {
        int expired = 0;
        for (GroupShard shard : shards()) {
            if (shard.status() == GroupShard.Status.ACTIVE) {
                try {
                    expired += shard.call(() -> shard.offsets().expire());
                } catch (ApiException e) {
                    // closed or loading meanwhile: the next pass covers it
                }
            }
        }
        return expired;
    }

    /** Waits until no shard is loading; returns whether that happened within {@code timeoutMs}. */
    public boolean awaitLoaded(long timeoutMs) throws InterruptedException {
        CompletableFuture<?>[] loads =
                shards.values().stream().map(GroupShard::loaded).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(loads).get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        loader.shutdownNow();
        requests.shutdownNow();
        shards.values().forEach(GroupShard::close);
        shards.clear();
        try {
            loader.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
