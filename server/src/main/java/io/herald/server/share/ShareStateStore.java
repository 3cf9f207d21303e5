package io.herald.server.share;

import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Compression;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordBatchBuilder;
import io.herald.server.metadata.TopicManager;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps share-group state durably in the internal compacted topic {@code __share_group_state} (layout in {@link
 * ShareStateRecords}): each change is appended before the request that caused it is answered ({@link
 * ShareStateWriter} groups concurrent changes into one append), and at start the newest value of every key is read
 * back. The topic is created on the first write.
 *
 * <p>Design note: a key goes to partition {@code abs(hash(key bytes)) % partitions}, so all writes for one share
 * partition land in one log, in order. Writes go through {@link Partition#appendAsLeader}, so they follow the
 * topic's flush policy, like committed offsets do.
 *
 * <p>In a cluster the topic is replicated (up to 3 replicas, {@code min.insync.replicas} 2) and each partition of it
 * is written by its leader only: a partition this broker leads is appended to with {@code acks=all} semantics, the
 * others are sent to their leaders ({@link RemoteStateTopic}); a write counts once the in-sync replicas have it. Only
 * the leader of a data partition writes the state of its share partitions, so each key still has one writer at a
 * time. The single-broker path stays one local append.
 *
 * <p>Thread-safety: thread-safe; writes to one key must be ordered by the caller (the share partition's lock does).
 */
final class ShareStateStore {

    private static final Logger log = LoggerFactory.getLogger(ShareStateStore.class);
    private static final int LOAD_BUFFER_BYTES = 1 << 20;

    private final ShareGroupConfig config;
    private final TopicManager topics;
    private final PartitionManager partitions;
    private final Clock clock;
    /** The cluster's state topic, or {@code null} on a broker without a cluster. */
    private final ShareStateCluster cluster;

    private final RemoteStateTopic remote;

    ShareStateStore(
            ShareGroupConfig config,
            TopicManager topics,
            PartitionManager partitions,
            Clock clock,
            ShareStateCluster cluster) {
        this.config = config;
        this.topics = topics;
        this.partitions = partitions;
        this.clock = clock;
        this.cluster = cluster;
        this.remote = cluster == null ? null : new RemoteStateTopic(cluster);
    }

    /** Whether the state topic is replicated across a cluster (else every partition of it is a local leader). */
    boolean clustered() {
        return cluster != null;
    }

    /**
     * What {@link #writeAll} did: the local partitions it appended to (for {@link #sync}), and a future that completes
     * once the in-sync replicas have everything it wrote (at once without a cluster), or fails with {@link
     * CoordinatorNotAvailableException}.
     */
    record Written(Set<Partition> local, CompletableFuture<Void> replicated) {}

    /**
     * Appends the newest value of each key ({@code null} deletes it): one batch, so one append and one fsync, per
     * state-topic partition the keys fall on. In a cluster, a partition this broker leads is appended to as a
     * producer with {@code acks=all} would be, and the others are sent to their leaders; the replication is waited
     * for through the returned future, never on the calling thread (a request handler thread blocked on replication
     * would stop serving the followers' fetches that replication needs). A local partition whose ISR is too small
     * goes through the producer too, which retries until the ISR is back or its delivery timeout.
     *
     * @throws CoordinatorNotAvailableException if a local append fails
     */
    Written writeAll(Map<ShareStateRecords.Key, byte[]> values) {
        if (values.isEmpty()) {
            return new Written(Set.of(), CompletableFuture.completedFuture(null));
        }
        try {
            int count = ensureTopic();
            Map<Integer, List<RemoteStateTopic.Entry>> byPartition = new LinkedHashMap<>();
            for (Map.Entry<ShareStateRecords.Key, byte[]> e : values.entrySet()) {
                byte[] keyBytes = ShareStateRecords.key(e.getKey());
                byPartition
                        .computeIfAbsent(partitionOf(keyBytes, count), x -> new ArrayList<>())
                        .add(new RemoteStateTopic.Entry(keyBytes, e.getValue()));
            }
            long now = clock.millis();
            Set<Partition> local = new LinkedHashSet<>();
            Map<Integer, List<RemoteStateTopic.Entry>> elsewhere = new LinkedHashMap<>();
            List<CompletableFuture<Void>> replications = new ArrayList<>();
            for (Map.Entry<Integer, List<RemoteStateTopic.Entry>> b : byPartition.entrySet()) {
                Optional<Partition> p = localLeader(b.getKey());
                if (p.isEmpty()) {
                    elsewhere.put(b.getKey(), b.getValue());
                    continue;
                }
                RecordBatchBuilder batch = RecordBatchBuilder.create(Compression.NONE);
                int offsetDelta = 0;
                for (RemoteStateTopic.Entry e : b.getValue()) {
                    batch.append(offsetDelta++, now, e.key(), e.value());
                }
                if (cluster == null) {
                    p.get().appendAsLeader(batch.build());
                } else {
                    long next;
                    try {
                        next = p.get().appendAsLeader(batch.build(), (short) -1).nextOffset();
                    } catch (NotEnoughReplicasException e) {
                        // refused before anything was written (a state partition just created, or a follower that
                        // fell behind): the producer sends it to this leader again until the ISR is back
                        elsewhere.put(b.getKey(), b.getValue());
                        continue;
                    }
                    replications.add(replication(p.get(), next));
                }
                local.add(p.get());
            }
            if (!elsewhere.isEmpty()) {
                replications.add(remote.write(elsewhere, now));
            }
            return new Written(
                    local,
                    replications.isEmpty()
                            ? CompletableFuture.completedFuture(null)
                            : CompletableFuture.allOf(replications.toArray(CompletableFuture[]::new)));
        } catch (IOException e) {
            throw new CoordinatorNotAvailableException("Could not write " + ShareGroupConfig.STATE_TOPIC, e);
        }
    }

    /** Completes once the in-sync replicas of {@code p} have everything below {@code offset}. */
    private CompletableFuture<Void> replication(Partition p, long offset) {
        return p.awaitReplication(offset)
                .completeOnTimeout(Errors.REQUEST_TIMED_OUT, cluster.timeoutMs(), TimeUnit.MILLISECONDS)
                .thenAccept(error -> {
                    if (error != Errors.NONE) {
                        throw new CoordinatorNotAvailableException("The in-sync replicas of " + p.topicPartition()
                                + " did not all get the share state: " + error);
                    }
                });
    }

    /** The local replica of state partition {@code p}, if this broker leads it (always, without a cluster). */
    private Optional<Partition> localLeader(int p) {
        Optional<Partition> local = partitions.partition(new TopicPartition(ShareGroupConfig.STATE_TOPIC, p));
        if (cluster == null) {
            return Optional.of(local.orElseThrow(() -> new CoordinatorNotAvailableException(
                    "Partition " + p + " of " + ShareGroupConfig.STATE_TOPIC + " is not open")));
        }
        return local.filter(Partition::isLeader);
    }

    /**
     * Whether the broker asks for every write to be durable before it is answered ({@code log.flush.interval.messages}
     * of 1): then {@link #sync} fsyncs, else it leaves the state topic to the broker's flush policy, as before.
     */
    boolean syncsWrites() {
        return topics.topicDefaults().flushMessages() <= 1;
    }

    /** Makes what was appended to {@code written} durable (one fdatasync each), if {@link #syncsWrites}. */
    void sync(Collection<Partition> written) {
        if (!syncsWrites()) {
            return;
        }
        try {
            for (Partition p : written) {
                p.log().flush();
            }
        } catch (IOException e) {
            throw new CoordinatorNotAvailableException("Could not sync " + ShareGroupConfig.STATE_TOPIC, e);
        }
    }

    /** The partition of the state topic, of {@code count}, that holds {@code key}. */
    static int partitionOf(byte[] key, int count) {
        return Utils.abs(Arrays.hashCode(key)) % count;
    }

    private synchronized int ensureTopic() throws IOException {
        var existing = topics.metadata().topic(ShareGroupConfig.STATE_TOPIC);
        if (existing.isPresent()) {
            return existing.get().partitions();
        }
        try {
            int n = topics.create(
                            ShareGroupConfig.STATE_TOPIC,
                            config.stateTopicPartitions(),
                            replicationFactor(),
                            topicConfigs())
                    .partitions();
            log.info("Created {} with {} partitions", ShareGroupConfig.STATE_TOPIC, n);
            return n;
        } catch (TopicExistsException e) {
            return awaitCreatedElsewhere();
        }
    }

    /**
     * Another broker created the topic a moment ago: the cluster image says so, and this broker applies that image
     * within milliseconds; the partition count is known once it has.
     */
    private int awaitCreatedElsewhere() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            var created = topics.metadata().topic(ShareGroupConfig.STATE_TOPIC);
            if (created.isPresent()) {
                return created.get().partitions();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        throw new CoordinatorNotAvailableException(
                ShareGroupConfig.STATE_TOPIC + " was created by another broker and is not known here yet");
    }

    /**
     * In a cluster, as many replicas as Kafka gives its internal topics (up to 3) and {@code min.insync.replicas} of 2
     * once there are 3, so a state write survives the loss of any one broker.
     */
    private int replicationFactor() {
        return cluster == null ? 1 : Math.max(1, Math.min(cluster.replicationFactor(), topics.brokerCount()));
    }

    private Map<String, String> topicConfigs() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("cleanup.policy", "compact");
        c.put("segment.bytes", String.valueOf(config.stateTopicSegmentBytes()));
        // Appends do not fsync on their own: ShareStateWriter syncs the writes a client waits on, and the others
        // within STATE_SYNC_INTERVAL_MS.
        c.put("flush.messages", String.valueOf(Long.MAX_VALUE));
        if (cluster != null) {
            c.put("min.insync.replicas", replicationFactor() >= 3 ? "2" : "1");
        }
        return c;
    }

    /**
     * Reads the newest value of every key from the topic, if it exists.
     *
     * @throws IOException if a log cannot be read
     * @throws IllegalStateException naming the offset of a record that does not decode
     */
    Map<ShareStateRecords.Key, byte[]> load() throws IOException {
        Map<ShareStateRecords.Key, byte[]> state = new LinkedHashMap<>();
        var topic = topics.metadata().topic(ShareGroupConfig.STATE_TOPIC);
        if (topic.isEmpty()) {
            return state;
        }
        for (int p = 0; p < topic.get().partitions(); p++) {
            var partition = partitions.partition(new TopicPartition(ShareGroupConfig.STATE_TOPIC, p));
            if (partition.isPresent()) {
                loadPartition(partition.get(), partition.get().highWatermark(), state);
            }
        }
        return state;
    }

    /**
     * In a cluster: the newest replicated value of every key. A partition of the state topic is read from the local
     * replica up to its log end if this broker leads it, else from its leader: a follower that believes itself in the
     * ISR may miss a write made a moment ago (its view of the ISR can be older than the leader's), which lost group
     * configs in {@code ShareGroupClusterTest}.
     *
     * @throws IOException if a local log cannot be read
     * @throws CoordinatorNotAvailableException if a partition can be read neither here nor from its leader
     */
    Map<ShareStateRecords.Key, byte[]> loadReplicated() throws IOException {
        Map<ShareStateRecords.Key, byte[]> state = new LinkedHashMap<>();
        var topic = topics.metadata().topic(ShareGroupConfig.STATE_TOPIC);
        if (topic.isEmpty()) {
            return state;
        }
        List<Integer> elsewhere = new ArrayList<>();
        for (int p = 0; p < topic.get().partitions(); p++) {
            Optional<Partition> local = partitions.partition(new TopicPartition(ShareGroupConfig.STATE_TOPIC, p));
            // Only a leader's log is sure to hold every acknowledged write: a follower, even in the ISR, may not
            // have fetched the newest (a group config written a moment ago) yet.
            if (local.isPresent() && local.get().isLeader()) {
                loadPartition(local.get(), local.get().logEndOffset(), state);
            } else {
                elsewhere.add(p);
            }
        }
        if (!elsewhere.isEmpty()) {
            // A key always falls on the same partition, so reading these after the local ones keeps each key's order.
            remote.read(elsewhere, (partition, offset, key, value) -> apply(partition, offset, key, value, state));
        }
        return state;
    }

    /**
     * In a cluster: the newest replicated value of {@code key}, read as {@link #loadReplicated} reads, but only the
     * state partition that holds the key.
     *
     * @throws IOException if the local log cannot be read
     * @throws CoordinatorNotAvailableException if the partition can be read neither here nor from its leader
     */
    Optional<byte[]> readReplicated(ShareStateRecords.Key key) throws IOException {
        var topic = topics.metadata().topic(ShareGroupConfig.STATE_TOPIC);
        if (topic.isEmpty()) {
            return Optional.empty();
        }
        int p = partitionOf(ShareStateRecords.key(key), topic.get().partitions());
        Map<ShareStateRecords.Key, byte[]> state = new LinkedHashMap<>();
        Optional<Partition> local = partitions.partition(new TopicPartition(ShareGroupConfig.STATE_TOPIC, p));
        if (local.isPresent() && local.get().isLeader()) {
            loadPartition(local.get(), local.get().logEndOffset(), state);
        } else {
            remote.read(List.of(p), (partition, offset, k, value) -> apply(partition, offset, k, value, state));
        }
        return Optional.ofNullable(state.get(key));
    }

    private static void apply(
            Object where, long offset, byte[] key, byte[] value, Map<ShareStateRecords.Key, byte[]> state) {
        if (key == null) {
            return;
        }
        try {
            ShareStateRecords.Key k = ShareStateRecords.decodeKey(key);
            if (value == null) {
                state.remove(k);
            } else {
                state.put(k, value);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "Cannot read the record at offset " + offset + " of " + ShareGroupConfig.STATE_TOPIC + "-" + where
                            + ": " + e.getMessage(),
                    e);
        }
    }

    /** Stops the inter-broker client, if there is one. */
    /** How this broker reaches other brokers' partitions, in a cluster. */
    Optional<RemoteStateTopic> remote() {
        return Optional.ofNullable(remote);
    }

    void close() {
        if (remote != null) {
            remote.close();
        }
    }

    private static void loadPartition(Partition partition, long end, Map<ShareStateRecords.Key, byte[]> state)
            throws IOException {
        PartitionLog partitionLog = partition.log();
        long offset = partitionLog.logStartOffset();
        while (offset < end) {
            ByteBuffer batches =
                    partitionLog.read(offset, LOAD_BUFFER_BYTES, end, true).toByteBuffer();
            if (!batches.hasRemaining()) {
                break;
            }
            for (int pos = 0; pos + RecordBatch.HEADER_SIZE <= batches.limit(); ) {
                RecordBatch batch = RecordBatch.at(batches, pos);
                if (!batch.isControl()) {
                    for (Record r : BatchRecords.decode(batch)) {
                        if (r.hasKey()) {
                            apply(
                                    partition.topicPartition().partition(),
                                    r.offset(),
                                    r.key(),
                                    r.isTombstone() ? null : r.value(),
                                    state);
                        }
                    }
                }
                offset = batch.nextOffset();
                pos += batch.sizeInBytes();
            }
        }
    }
}
