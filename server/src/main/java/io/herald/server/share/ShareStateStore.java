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
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.TopicExistsException;
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
 * <p>Thread-safety: thread-safe; writes to one key must be ordered by the caller (the share partition's lock does).
 */
final class ShareStateStore {

    private static final Logger log = LoggerFactory.getLogger(ShareStateStore.class);
    private static final int LOAD_BUFFER_BYTES = 1 << 20;

    private final ShareGroupConfig config;
    private final TopicManager topics;
    private final PartitionManager partitions;
    private final Clock clock;

    ShareStateStore(ShareGroupConfig config, TopicManager topics, PartitionManager partitions, Clock clock) {
        this.config = config;
        this.topics = topics;
        this.partitions = partitions;
        this.clock = clock;
    }

    /**
     * Appends the newest value of each key ({@code null} deletes it): one batch, so one append and one fsync, per
     * state-topic partition the keys fall on.
     */
    Set<Partition> writeAll(Map<ShareStateRecords.Key, byte[]> values) {
        if (values.isEmpty()) {
            return Set.of();
        }
        try {
            Map<Partition, RecordBatchBuilder> batches = new LinkedHashMap<>();
            Map<Partition, Integer> counts = new java.util.HashMap<>();
            long now = clock.millis();
            for (Map.Entry<ShareStateRecords.Key, byte[]> e : values.entrySet()) {
                byte[] keyBytes = ShareStateRecords.key(e.getKey());
                Partition p = partitionFor(keyBytes);
                int offsetDelta = counts.merge(p, 1, Integer::sum) - 1;
                batches.computeIfAbsent(p, x -> RecordBatchBuilder.create(Compression.NONE))
                        .append(offsetDelta, now, keyBytes, e.getValue());
            }
            for (Map.Entry<Partition, RecordBatchBuilder> b : batches.entrySet()) {
                b.getKey().appendAsLeader(b.getValue().build());
            }
            return batches.keySet();
        } catch (IOException e) {
            throw new CoordinatorNotAvailableException("Could not write " + ShareGroupConfig.STATE_TOPIC, e);
        }
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

    private Partition partitionFor(byte[] key) throws IOException {
        int count = ensureTopic();
        int p = Utils.abs(Arrays.hashCode(key)) % count;
        return partitions
                .partition(new TopicPartition(ShareGroupConfig.STATE_TOPIC, p))
                .orElseThrow(() -> new CoordinatorNotAvailableException(
                        "Partition " + p + " of " + ShareGroupConfig.STATE_TOPIC + " is not open"));
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
                            1,
                            Map.of(
                                    "cleanup.policy",
                                    "compact",
                                    "segment.bytes",
                                    String.valueOf(config.stateTopicSegmentBytes()),
                                    // Appends do not fsync on their own: ShareStateWriter syncs the writes a
                                    // client waits on, and the others within STATE_SYNC_INTERVAL_MS.
                                    "flush.messages",
                                    String.valueOf(Long.MAX_VALUE)))
                    .partitions();
            log.info("Created {} with {} partitions", ShareGroupConfig.STATE_TOPIC, n);
            return n;
        } catch (TopicExistsException e) {
            return topics.metadata()
                    .topic(ShareGroupConfig.STATE_TOPIC)
                    .orElseThrow()
                    .partitions();
        }
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
                loadPartition(partition.get(), state);
            }
        }
        return state;
    }

    private static void loadPartition(Partition partition, Map<ShareStateRecords.Key, byte[]> state)
            throws IOException {
        PartitionLog partitionLog = partition.log();
        long offset = partitionLog.logStartOffset();
        long end = partition.highWatermark();
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
                        if (!r.hasKey()) {
                            continue;
                        }
                        try {
                            ShareStateRecords.Key key = ShareStateRecords.decodeKey(r.key());
                            if (r.isTombstone()) {
                                state.remove(key);
                            } else {
                                state.put(key, r.value());
                            }
                        } catch (IllegalArgumentException e) {
                            throw new IllegalStateException(
                                    "Cannot read the record at offset " + r.offset() + " of "
                                            + partition.topicPartition() + ": " + e.getMessage(),
                                    e);
                        }
                    }
                }
                offset = batch.nextOffset();
                pos += batch.sizeInBytes();
            }
        }
    }
}
