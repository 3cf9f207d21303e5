package io.herald.server.share;

import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership side of share groups (ShareGroupHeartbeat, ShareGroupDescribe): members join with epoch 0, heartbeat
 * within the session timeout and leave with epoch -1; a member that stops heartbeating is removed and the records it
 * held are released.
 *
 * <p>Design note: assignment follows KIP-932's premise that members of a share group need not own partitions
 * exclusively: every member is assigned every partition of the topics it subscribes to, so any number of members
 * compete for the records of any number of partitions (a JMS queue with one partition and ten consumers works). The
 * share partitions of an assignment are initialized when it is given, so a group that starts at the log end starts
 * where it was when the member joined.
 *
 * <p>Thread-safety: thread-safe; each group is guarded by its own monitor.
 */
public final class ShareCoordinator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShareCoordinator.class);
    private static final long EXPIRY_CHECK_MS = 250;

    /** Who heartbeats. */
    public record Caller(String clientId, String clientHost) {}

    private final SharePartitionManager partitions;
    private final MetadataStore metadata;
    private final Map<String, ShareGroup> groups = new ConcurrentHashMap<>();
    private final ScheduledExecutorService expiry;

    public ShareCoordinator(SharePartitionManager partitions, MetadataStore metadata) {
        this.partitions = partitions;
        this.metadata = metadata;
        this.expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-share-members");
            t.setDaemon(true);
            return t;
        });
        expiry.scheduleWithFixedDelay(this::expireMembers, EXPIRY_CHECK_MS, EXPIRY_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    public SharePartitionManager partitions() {
        return partitions;
    }

    /** Whether {@code groupId} is a share group this broker knows (with members, or with state). */
    public boolean isShareGroup(String groupId) {
        return groups.containsKey(groupId) || partitions.hasState(groupId);
    }

    /** The share groups this broker knows, with their states: those without members but with state are Empty. */
    public Map<String, String> listGroups() {
        Map<String, String> out = new HashMap<>();
        partitions.views().forEach(v -> out.put(v.group(), "Empty"));
        groups.forEach((id, g) -> {
            synchronized (g) {
                out.put(id, g.state());
            }
        });
        return out;
    }

    public ShareGroupHeartbeatResponseData heartbeat(Caller caller, ShareGroupHeartbeatRequestData request) {
        try {
            return doHeartbeat(caller, request);
        } catch (ApiException e) {
            return new ShareGroupHeartbeatResponseData()
                    .setErrorCode(Errors.forException(e).code())
                    .setErrorMessage(e.getMessage());
        }
    }

    private ShareGroupHeartbeatResponseData doHeartbeat(Caller caller, ShareGroupHeartbeatRequestData request) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        if (groupId == null || groupId.isBlank()) {
            throw new InvalidRequestException("GroupId can't be empty.");
        }
        if (memberId == null || memberId.isBlank()) {
            throw new InvalidRequestException("MemberId can't be empty.");
        }
        ShareGroupConfigs.Settings settings = partitions.settings(groupId);
        long now = partitions.clock().millis();
        if (request.memberEpoch() == -1) {
            leave(groupId, memberId);
            return new ShareGroupHeartbeatResponseData().setMemberId(memberId).setMemberEpoch(-1);
        }
        ShareGroup group = groups.computeIfAbsent(groupId, ShareGroup::new);
        synchronized (group) {
            if (group.dead) {
                groups.remove(groupId, group);
                return doHeartbeat(caller, request);
            }
            ShareMember member = group.members.get(memberId);
            if (request.memberEpoch() == 0) {
                if (request.subscribedTopicNames() == null
                        || request.subscribedTopicNames().isEmpty()) {
                    throw new InvalidRequestException("SubscribedTopicNames must be set in first request.");
                }
                if (member == null
                        && group.members.size() >= partitions.config().maxSize()) {
                    throw new GroupMaxSizeReachedException(
                            "Share group " + groupId + " has reached its maximum size of "
                                    + partitions.config().maxSize() + " members");
                }
                if (member == null) {
                    member = new ShareMember(memberId, caller.clientId(), caller.clientHost());
                    group.members.put(memberId, member);
                    log.debug("Member {} joined share group {}", memberId, groupId);
                }
                member.epoch = 0;
                member.assignment = Map.of();
            } else if (member == null) {
                throw new UnknownMemberIdException("Member " + memberId + " is not a member of share group " + groupId);
            } else if (request.memberEpoch() != member.epoch) {
                throw new FencedMemberEpochException("Member " + memberId + " of share group " + groupId
                        + " sent epoch " + request.memberEpoch() + ", expected " + member.epoch);
            }
            if (request.subscribedTopicNames() != null) {
                member.subscribedTopics = List.copyOf(new TreeSet<>(request.subscribedTopicNames()));
            }
            if (request.rackId() != null) {
                member.rackId = request.rackId();
            }
            member.deadlineMs = now + settings.sessionTimeoutMs();
            Map<Uuid, Set<Integer>> assignment = assignmentFor(member.subscribedTopics);
            if (!assignment.equals(member.assignment) || member.epoch == 0) {
                partitions.initialize(groupId, assignment);
                group.epoch++;
                member.epoch = group.epoch;
                member.assignment = assignment;
            }
            ShareGroupHeartbeatResponseData.Assignment a = new ShareGroupHeartbeatResponseData.Assignment();
            member.assignment.forEach((topicId, parts) -> a.topicPartitions()
                    .add(new ShareGroupHeartbeatResponseData.TopicPartitions()
                            .setTopicId(topicId)
                            .setPartitions(new ArrayList<>(new TreeSet<>(parts)))));
            return new ShareGroupHeartbeatResponseData()
                    .setMemberId(memberId)
                    .setMemberEpoch(member.epoch)
                    .setHeartbeatIntervalMs(settings.heartbeatIntervalMs())
                    .setAssignment(a);
        }
    }

    /** Every partition of every subscribed topic that exists. */
    private Map<Uuid, Set<Integer>> assignmentFor(List<String> topics) {
        Map<Uuid, Set<Integer>> out = new HashMap<>();
        for (String name : topics) {
            Optional<TopicInfo> t = metadata.topic(name);
            if (t.isPresent() && !t.get().isInternal()) {
                Set<Integer> parts = new HashSet<>();
                for (int p = 0; p < t.get().partitions(); p++) {
                    parts.add(p);
                }
                out.put(t.get().id(), parts);
            }
        }
        return out;
    }

    private void leave(String groupId, String memberId) {
        ShareGroup group = groups.get(groupId);
        if (group != null) {
            synchronized (group) {
                if (group.members.remove(memberId) != null) {
                    group.epoch++;
                    log.debug("Member {} left share group {}", memberId, groupId);
                }
            }
        }
        partitions.memberLeft(groupId, memberId);
    }

    /** Removes the members whose session timed out and releases what they held. */
    void expireMembers() {
        try {
            long now = partitions.clock().millis();
            for (ShareGroup group : groups.values()) {
                List<String> expired = new ArrayList<>();
                synchronized (group) {
                    group.members.values().removeIf(m -> {
                        if (m.deadlineMs <= now) {
                            expired.add(m.memberId);
                            return true;
                        }
                        return false;
                    });
                    if (!expired.isEmpty()) {
                        group.epoch++;
                    }
                }
                for (String m : expired) {
                    log.info("Member {} of share group {} timed out; releasing its records", m, group.groupId);
                    partitions.memberLeft(group.groupId, m);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Expiring share group members failed", e);
        }
    }

    public List<ShareGroupDescribeResponseData.DescribedGroup> describe(List<String> groupIds) {
        List<ShareGroupDescribeResponseData.DescribedGroup> out = new ArrayList<>();
        for (String id : groupIds) {
            ShareGroupDescribeResponseData.DescribedGroup d =
                    new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(id);
            ShareGroup group = groups.get(id);
            if (group == null) {
                if (partitions.hasState(id)) {
                    out.add(d.setGroupState("Empty").setAssignorName("simple"));
                } else {
                    out.add(d.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                            .setErrorMessage("Group " + id + " not found."));
                }
                continue;
            }
            synchronized (group) {
                d.setGroupState(group.state())
                        .setGroupEpoch(group.epoch)
                        .setAssignmentEpoch(group.epoch)
                        .setAssignorName("simple");
                for (ShareMember m : group.members.values()) {
                    ShareGroupDescribeResponseData.Assignment a = new ShareGroupDescribeResponseData.Assignment();
                    m.assignment.forEach((topicId, parts) -> a.topicPartitions()
                            .add(new ShareGroupDescribeResponseData.TopicPartitions()
                                    .setTopicId(topicId)
                                    .setTopicName(metadata.topic(topicId)
                                            .map(TopicInfo::name)
                                            .orElse(""))
                                    .setPartitions(new ArrayList<>(new TreeSet<>(parts)))));
                    d.members()
                            .add(new ShareGroupDescribeResponseData.Member()
                                    .setMemberId(m.memberId)
                                    .setRackId(m.rackId)
                                    .setMemberEpoch(m.epoch)
                                    .setClientId(m.clientId)
                                    .setClientHost(m.clientHost)
                                    .setSubscribedTopicNames(m.subscribedTopics)
                                    .setAssignment(a));
                }
            }
            out.add(d);
        }
        return out;
    }

    /**
     * Deletes a share group without members: its record state and configs are forgotten.
     *
     * @return NONE, NON_EMPTY_GROUP or GROUP_ID_NOT_FOUND
     */
    public Errors delete(String groupId) {
        ShareGroup group = groups.get(groupId);
        if (group != null) {
            synchronized (group) {
                if (!group.members.isEmpty()) {
                    return Errors.NON_EMPTY_GROUP;
                }
                group.dead = true;
                groups.remove(groupId, group);
            }
        } else if (!partitions.hasState(groupId)) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        partitions.deleteState(groupId);
        return Errors.NONE;
    }

    /**
     * Moves the start offsets of {@code groupId}, which must have no members (AlterShareGroupOffsets). A group that
     * does not exist yet is created with those offsets, as Kafka does.
     *
     * @return the group-level error, and per partition the outcome (NONE, UNKNOWN_TOPIC_OR_PARTITION,
     *     INVALID_REQUEST with the reason)
     */
    public AlterOffsetsResult alterOffsets(String groupId, Map<org.apache.kafka.common.TopicPartition, Long> offsets) {
        ShareGroup group = groups.get(groupId);
        if (group != null) {
            synchronized (group) {
                if (!group.members.isEmpty()) {
                    return new AlterOffsetsResult(Errors.NON_EMPTY_GROUP, Map.of());
                }
            }
        }
        Map<org.apache.kafka.common.TopicPartition, ApiError> results = new java.util.LinkedHashMap<>();
        offsets.forEach((tp, offset) -> {
            try {
                boolean exists = partitions.resetStartOffset(
                        groupId, new io.herald.log.TopicPartition(tp.topic(), tp.partition()), offset);
                results.put(tp, exists ? ApiError.NONE : new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, null));
            } catch (IllegalArgumentException e) {
                results.put(tp, new ApiError(Errors.INVALID_REQUEST, e.getMessage()));
            } catch (ApiException e) { // in a cluster: not the leader (any more), or the state could not be read
                results.put(tp, ApiError.fromThrowable(e));
            }
        });
        return new AlterOffsetsResult(Errors.NONE, results);
    }

    /** The outcome of {@link #alterOffsets}. */
    public record AlterOffsetsResult(
            Errors groupError, Map<org.apache.kafka.common.TopicPartition, ApiError> partitions) {}

    @Override
    public void close() {
        expiry.shutdownNow();
        try {
            expiry.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
