package io.herald.server.group;

import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Compression;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordBatchBuilder;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.partition.Partition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator state of one {@code __consumer_offsets} partition: the groups hashed to it, their committed offsets,
 * their timers, and the partition's log, to which every change is written before it is answered.
 *
 * <p>Design note: a shard is the unit of ownership. It starts {@code LOADING}, replays its partition's log from the
 * start (the log is compacted, so that is the newest value of each key plus tombstones not yet removed), and becomes
 * {@code ACTIVE}; while it loads, requests for its groups get COORDINATOR_LOAD_IN_PROGRESS. Replaying does not hold the
 * lock (no request touches the maps before the shard is active), so I/O threads never wait for a load. When this broker
 * stops leading the partition the shard is {@code CLOSED}: parked requests get NOT_COORDINATOR and the next leader
 * replays the same log. One lock serialises everything a shard does (requests and timer tasks); writes to the log
 * happen under it, so the log's order is the order in which state changed.
 *
 * <p>Timers are keyed: scheduling a key replaces its previous task, and a task that lost a race with its replacement
 * or cancellation finds out under the lock and does nothing.
 *
 * <p>Thread-safety: thread-safe through its lock; the group classes it holds are guarded by it.
 */
final class GroupShard {

    private static final Logger log = LoggerFactory.getLogger(GroupShard.class);
    /** How long a group write waits for the in-sync replicas (a lagging one leaves the ISR within the lag time). */
    private static final long REPLICATION_TIMEOUT_MS = 30_000;

    /** The lifecycle of a shard. */
    enum Status {
        LOADING,
        ACTIVE,
        /** The log could not be replayed; requests get COORDINATOR_NOT_AVAILABLE. */
        FAILED,
        CLOSED
    }

    private final int partitionId;
    private final Partition partition;
    private final GroupTime time;
    private final GroupConfig config;
    private final MetadataStore metadata;
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Map<TopicPartition, CommittedOffset>> offsets = new HashMap<>();
    private final Map<String, TimerEntry> timers = new HashMap<>();
    private final ClassicGroupProtocol classic;
    private final ConsumerGroupProtocol consumer;
    private final OffsetManager offsetManager;
    private volatile Status status = Status.LOADING;
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();

    private final class TimerEntry implements Runnable {
        private final String key;
        private final Runnable action;
        private GroupTime.Cancellable handle;

        TimerEntry(String key, Runnable action) {
            this.key = key;
            this.action = action;
        }

        @Override
        public void run() {
            synchronized (GroupShard.this) {
                if (status != Status.ACTIVE || timers.get(key) != this) {
                    return;
                }
                timers.remove(key);
                action.run();
            }
        }
    }

    GroupShard(int partitionId, Partition partition, GroupTime time, GroupConfig config, MetadataStore metadata) {
        this.partitionId = partitionId;
        this.partition = partition;
        this.time = time;
        this.config = config;
        this.metadata = metadata;
        this.classic = new ClassicGroupProtocol(this);
        this.consumer = new ConsumerGroupProtocol(this);
        this.offsetManager = new OffsetManager(this);
    }

    int partitionId() {
        return partitionId;
    }

    Status status() {
        return status;
    }

    /** Completes when loading ends (the shard is active, failed or closed). */
    CompletableFuture<Void> loaded() {
        return loaded;
    }

    GroupTime time() {
        return time;
    }

    GroupConfig config() {
        return config;
    }

    MetadataStore metadata() {
        return metadata;
    }

    ClassicGroupProtocol classic() {
        return classic;
    }

    ConsumerGroupProtocol consumer() {
        return consumer;
    }

    OffsetManager offsets() {
        return offsetManager;
    }

    /**
     * Runs {@code operation} under the shard's lock once the shard is active.
     *
     * @throws CoordinatorLoadInProgressException while the shard loads
     * @throws NotCoordinatorException once the shard is closed
     */
    synchronized <T> T call(Supplier<T> operation) {
        checkActive();
        return operation.get();
    }

    private void checkActive() {
        if (status == Status.LOADING) {
            throw new CoordinatorLoadInProgressException(
                    "The coordinator is loading partition " + partitionId + " of " + GroupConfig.OFFSETS_TOPIC);
        }
        if (status == Status.FAILED) {
            throw new CoordinatorNotAvailableException("Partition " + partitionId + " of " + GroupConfig.OFFSETS_TOPIC
                    + " could not be loaded; see the broker log");
        }
        if (status == Status.CLOSED) {
            throw new NotCoordinatorException(
                    "This broker no longer coordinates partition " + partitionId + " of " + GroupConfig.OFFSETS_TOPIC);
        }
    }

    // ---- groups and offsets (under the lock) --------------------------------------------------------------------

    Map<String, Group> groups() {
        return groups;
    }

    /** The committed offsets of every group, by group id. */
    Map<String, Map<TopicPartition, CommittedOffset>> committedOffsets() {
        return offsets;
    }

    Map<TopicPartition, CommittedOffset> offsetsOf(String groupId) {
        return offsets.getOrDefault(groupId, Map.of());
    }

    boolean hasOffsets(String groupId) {
        return !offsetsOf(groupId).isEmpty();
    }

    /** Removes a group's metadata record and all its offsets, in the log and in memory. */
    void deleteGroup(String groupId) throws IOException {
        List<GroupRecords.Entry> tombstones = new ArrayList<>();
        for (TopicPartition tp : offsetsOf(groupId).keySet()) {
            tombstones.add(new GroupRecords.Entry(GroupRecords.offsetKey(groupId, tp.topic(), tp.partition()), null));
        }
        tombstones.add(new GroupRecords.Entry(GroupRecords.groupKey(groupId), null));
        append(tombstones);
        offsets.remove(groupId);
        Group removed = groups.remove(groupId);
        if (removed instanceof ConsumerGroup cg) {
            cg.markDead();
        } else if (removed instanceof ClassicGroup g) {
            g.transitionTo(ClassicGroup.State.DEAD, time.milliseconds());
        }
    }

    // ---- the log ------------------------------------------------------------------------------------------------

    /** Appends {@code entries} as one batch to the partition. */
    void append(List<GroupRecords.Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        RecordBatchBuilder builder = RecordBatchBuilder.create(Compression.NONE);
        long now = time.milliseconds();
        for (int i = 0; i < entries.size(); i++) {
            builder.append(i, now, entries.get(i).key(), entries.get(i).value());
        }
        Partition.AppendResult appended = partition.appendAsLeader(builder.build());
        if (partition.replicas().size() > 1) {
            awaitReplication(appended.nextOffset());
        }
    }

    /**
     * Waits until the in-sync replicas have the group records below {@code offset} (acks=all, as Kafka writes its
     * coordinator records): what a client was told is committed survives the loss of this broker. Never on a
     * request-handler thread, which the followers' fetches need: clients' requests come through {@link
     * GroupCoordinator#run}.
     */
    private void awaitReplication(long offset) throws IOException {
        Errors error;
        try {
            error = partition.awaitReplication(offset).get(REPLICATION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while the group records were replicated", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("The group records were not replicated in time: " + e, e);
        }
        if (error != Errors.NONE) {
            throw new IOException("The group records were not replicated: " + error);
        }
    }

    /** Writes the current state of a group. */
    void writeGroup(Group group) throws IOException {
        byte[] value = group instanceof ClassicGroup g
                ? GroupRecords.classicGroupValue(g.snapshot(ClassicMember::assignment))
                : GroupRecords.consumerGroupValue(((ConsumerGroup) group).snapshot());
        append(List.of(new GroupRecords.Entry(GroupRecords.groupKey(group.groupId()), value)));
    }

    // ---- timers (under the lock) --------------------------------------------------------------------------------

    /** Runs {@code action} under the lock after {@code delayMs}, replacing any task scheduled under {@code key}. */
    void schedule(String key, long delayMs, Runnable action) {
        TimerEntry entry = new TimerEntry(key, action);
        TimerEntry previous = timers.put(key, entry);
        if (previous != null) {
            previous.handle.cancel();
        }
        entry.handle = time.schedule(delayMs, entry);
    }

    void cancelTimer(String key) {
        TimerEntry previous = timers.remove(key);
        if (previous != null) {
            previous.handle.cancel();
        }
    }

    boolean isScheduled(String key) {
        return timers.containsKey(key);
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------------

    /**
     * Rebuilds the state by replaying the partition's log, then becomes active and starts the timers of the loaded
     * members. Called once, on the loader thread. The replay fills maps of its own, installed under the lock at the
     * end, so a shard closed meanwhile is never touched by it.
     */
    void load() {
        long start = System.nanoTime();
        Map<String, Group> loadedGroups = new HashMap<>();
        Map<String, Map<TopicPartition, CommittedOffset>> loadedOffsets = new HashMap<>();
        int records = 0;
        try {
            PartitionLog partitionLog = partition.log();
            long offset = partitionLog.logStartOffset();
            // To the log end, not the high watermark: a broker that has just become the leader is the authority on
            // its log (followers truncate to it), and its high watermark trails until the followers fetch again.
            long end = partitionLog.logEndOffset();
            while (offset < end) {
                ByteBuffer batches = partitionLog
                        .read(offset, config.offsets().loadBufferBytes(), end, true)
                        .toByteBuffer();
                if (!batches.hasRemaining()) {
                    break;
                }
                for (int p = 0; p + RecordBatch.HEADER_SIZE <= batches.limit(); ) {
                    RecordBatch batch = RecordBatch.at(batches, p);
                    if (!batch.isControl()) {
                        for (Record r : BatchRecords.decode(batch)) {
                            replay(r, loadedGroups, loadedOffsets);
                            records++;
                        }
                    }
                    offset = batch.nextOffset();
                    p += batch.sizeInBytes();
                }
            }
        } catch (IOException | RuntimeException e) {
            log.error("Could not load {}-{}; its groups are unavailable", GroupConfig.OFFSETS_TOPIC, partitionId, e);
            synchronized (this) {
                if (status == Status.LOADING) {
                    status = Status.FAILED;
                }
            }
            loaded.complete(null);
            return;
        }
        synchronized (this) {
            if (status != Status.LOADING) {
                loaded.complete(null);
                return; // closed while loading
            }
            groups.putAll(loadedGroups);
            loadedOffsets.forEach((group, m) -> offsets.put(group, new HashMap<>(m)));
            status = Status.ACTIVE;
            for (Group g : groups.values()) {
                if (g instanceof ClassicGroup cg) {
                    classic.onLoaded(cg);
                } else {
                    consumer.onLoaded((ConsumerGroup) g);
                }
            }
            // Groups that only committed offsets ("simple" groups) have no metadata record: they exist, empty.
            for (String groupId : offsets.keySet()) {
                groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, time.milliseconds()));
            }
        }
        loaded.complete(null);
        log.info(
                "Loaded {} groups and the offsets of {} groups from {} records of {}-{} in {} ms",
                loadedGroups.size(),
                loadedOffsets.size(),
                records,
                GroupConfig.OFFSETS_TOPIC,
                partitionId,
                (System.nanoTime() - start) / 1_000_000);
    }

    private void replay(
            Record r, Map<String, Group> groups, Map<String, Map<TopicPartition, CommittedOffset>> offsets) {
        if (!r.hasKey()) {
            log.warn(
                    "Skipping a record without key in {}-{} at offset {}",
                    GroupConfig.OFFSETS_TOPIC,
                    partitionId,
                    r.offset());
            return;
        }
        try {
            GroupRecords.Key key = GroupRecords.decodeKey(ByteBuffer.wrap(r.key()));
            if (key instanceof GroupRecords.OffsetKey k) {
                TopicPartition tp = new TopicPartition(k.topic(), k.partition());
                if (r.isTombstone()) {
                    Map<TopicPartition, CommittedOffset> m = offsets.get(k.group());
                    if (m != null) {
                        m.remove(tp);
                        if (m.isEmpty()) {
                            offsets.remove(k.group());
                        }
                    }
                } else {
                    offsets.computeIfAbsent(k.group(), g -> new HashMap<>())
                            .put(tp, GroupRecords.decodeOffset(ByteBuffer.wrap(r.value())));
                }
            } else if (key instanceof GroupRecords.GroupKey k) {
                if (r.isTombstone()) {
                    groups.remove(k.group());
                } else {
                    GroupRecords.GroupValue value = GroupRecords.decodeGroup(ByteBuffer.wrap(r.value()));
                    Group group = value instanceof GroupRecords.ClassicValue c
                            ? ClassicGroup.fromSnapshot(k.group(), c.snapshot())
                            : ConsumerGroup.fromSnapshot(k.group(), ((GroupRecords.ConsumerValue) value).snapshot());
                    groups.put(k.group(), group);
                }
            } else {
                log.warn(
                        "Skipping a record of unknown key type {} in {}-{} at offset {}",
                        ((GroupRecords.UnknownKey) key).type(),
                        GroupConfig.OFFSETS_TOPIC,
                        partitionId,
                        r.offset());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "Cannot read the record at offset " + r.offset() + " of " + GroupConfig.OFFSETS_TOPIC + "-"
                            + partitionId + ": " + e.getMessage(),
                    e);
        }
    }

    /** Stops coordinating: timers stop, parked requests get NOT_COORDINATOR, the state is dropped. */
    synchronized void close() {
        status = Status.CLOSED;
        loaded.complete(null);
        timers.values().forEach(t -> {
            if (t.handle != null) {
                t.handle.cancel();
            }
        });
        timers.clear();
        for (Group g : groups.values()) {
            if (g instanceof ClassicGroup cg) {
                classic.onUnloaded(cg);
            }
        }
        groups.clear();
        offsets.clear();
    }
}
