package io.herald.server.api;

import io.herald.log.LogSlice;
import io.herald.log.OffsetOutOfRangeException;
import io.herald.log.TimestampAndOffset;
import io.herald.log.TopicPartition;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Compression;
import io.herald.log.record.Header;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordBatchBuilder;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.metrics.BrokerMetrics;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.protocol.ErrorMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;

/**
 * Records of a partition as an operator sees them: reading a page of records from an offset (decompressed, with keys,
 * values and headers as bytes), finding the offset of a time, and producing one record.
 *
 * <p>Reads go to the partition's log below the high watermark, exactly what a consumer could read; control batches
 * (transaction markers) are skipped. A produced record is one uncompressed batch appended through {@link
 * Partition#appendAsLeader}, validated by the log like a producer's (size, timestamp), and counted as traffic in.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class RecordAccess {

    /** Most bytes read from the log per step while filling a page. */
    private static final int READ_BYTES = 1 << 20;

    /** Most records on one page. */
    public static final int MAX_PAGE = 500;

    /**
     * A record header.
     *
     * @param value the value, or {@code null} for a header without one
     */
    public record RecordHeader(String key, byte[] value) {}

    /**
     * A record as stored.
     *
     * @param timestampType {@code CreateTime} (the producer's) or {@code LogAppendTime} (the broker's)
     * @param key the key, or {@code null}
     * @param value the value, or {@code null} for a tombstone
     */
    public record StoredRecord(
            long offset, long timestamp, String timestampType, byte[] key, byte[] value, List<RecordHeader> headers) {}

    /**
     * A page of records.
     *
     * @param firstOffset where the page starts: the offset asked for, or the log start offset if that was deleted
     * @param nextOffset where the next page starts
     */
    public record RecordPage(
            String topic,
            int partition,
            long logStartOffset,
            long highWatermark,
            long firstOffset,
            long nextOffset,
            List<StoredRecord> records) {}

    /** Where a partition's readable records start and end. */
    public record Offsets(long logStartOffset, long highWatermark) {}

    /** Where a produced record went. */
    public record Produced(String topic, int partition, long offset, long timestamp) {}

    private final PartitionManager partitions;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final AtomicInteger roundRobin = new AtomicInteger();

    RecordAccess(PartitionManager partitions, BrokerMetrics metrics, Clock clock) {
        this.partitions = partitions;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Up to {@code maxRecords} records of {@code topic}/{@code partition} from {@code fromOffset} on (from the log start
     * offset if that is later; none if it is at or past the high watermark).
     */
    public RecordPage read(String topic, int partition, long fromOffset, int maxRecords) throws IOException {
        if (fromOffset < 0) {
            throw new InvalidRequestException("The offset must be 0 or more, was " + fromOffset);
        }
        if (maxRecords < 1 || maxRecords > MAX_PAGE) {
            throw new InvalidRequestException("A page holds 1 to " + MAX_PAGE + " records, not " + maxRecords);
        }
        Partition p = partition(topic, partition);
        for (int attempt = 0; ; attempt++) {
            long start = p.logStartOffset();
            long hw = p.highWatermark();
            long first = Math.min(Math.max(fromOffset, start), hw);
            try {
                return readFrom(p, first, start, hw, maxRecords);
            } catch (OffsetOutOfRangeException e) {
                if (attempt == 2) {
                    throw ErrorMapper.toApiException(e);
                }
                // retention deleted the start meanwhile: read again from the new log start offset
            }
        }
    }

    private RecordPage readFrom(Partition p, long first, long start, long hw, int maxRecords) throws IOException {
        List<StoredRecord> page = new ArrayList<>();
        long offset = first;
        while (page.size() < maxRecords && offset < hw) {
            LogSlice slice = p.log().read(offset, READ_BYTES, hw, true);
            if (slice.isEmpty()) {
                break;
            }
            ByteBuffer buf = slice.toByteBuffer();
            long next = offset;
            for (int pos = 0; pos + RecordBatch.HEADER_SIZE <= buf.limit() && page.size() < maxRecords; ) {
                RecordBatch batch = RecordBatch.at(buf, pos);
                pos += batch.sizeInBytes();
                if (!batch.isControl()) {
                    String type = batch.isLogAppendTime() ? "LogAppendTime" : "CreateTime";
                    for (Record r : BatchRecords.decode(batch)) {
                        if (r.offset() >= offset && r.offset() < hw && page.size() < maxRecords) {
                            page.add(new StoredRecord(
                                    r.offset(), r.timestamp(), type, r.key(), r.value(), headers(r.headers())));
                            next = r.offset() + 1;
                        }
                    }
                }
                if (page.size() < maxRecords) {
                    next = Math.max(next, Math.min(batch.nextOffset(), hw));
                }
            }
            if (next <= offset) {
                break; // nothing below the high watermark in the slice
            }
            offset = next;
        }
        TopicPartition tp = p.topicPartition();
        return new RecordPage(tp.topic(), tp.partition(), start, hw, first, offset, page);
    }

    /** The log start offset and high watermark of {@code topic}/{@code partition}. */
    public Offsets offsets(String topic, int partition) {
        Partition p = partition(topic, partition);
        return new Offsets(p.logStartOffset(), p.highWatermark());
    }

    /**
     * The offset of the first record of {@code topic}/{@code partition} whose timestamp is at or after {@code
     * timestampMs}; the high watermark if there is none.
     */
    public long offsetForTimestamp(String topic, int partition, long timestampMs) throws IOException {
        Partition p = partition(topic, partition);
        Optional<TimestampAndOffset> found = p.log().offsetForTimestamp(timestampMs);
        long hw = p.highWatermark();
        return found.map(t -> Math.min(t.offset(), hw)).orElse(hw);
    }

    /**
     * Appends one record, now, as a producer would with {@code acks=1}.
     *
     * @param partition the partition, or empty to choose as Kafka's default partitioner does (the key's murmur2 hash;
     *     round robin without a key)
     * @param key the key, or {@code null}
     * @param value the value, or {@code null} for a tombstone
     */
    public Produced produce(String topic, OptionalInt partition, byte[] key, byte[] value, List<RecordHeader> headers)
            throws IOException {
        TopicInfo info = partitions
                .metadata()
                .topic(topic)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + topic + "' does not exist."));
        if (info.isInternal()) {
            throw new InvalidTopicException("Topic " + topic + " is internal: only the broker writes to it");
        }
        int index = partition.isPresent() ? partition.getAsInt() : choose(info, key);
        Partition p = partition(topic, index);
        long now = clock.millis();
        ByteBuffer batch = RecordBatchBuilder.create(Compression.NONE)
                .append(
                        0,
                        now,
                        key,
                        value,
                        headers.stream()
                                .map(h -> new Header(h.key(), h.value()))
                                .toList())
                .build();
        int bytes = batch.remaining();
        Partition.AppendResult result;
        try {
            result = p.appendAsLeader(batch);
        } catch (RuntimeException e) {
            throw ErrorMapper.toApiException(e);
        }
        metrics.produced(topic, bytes, 1);
        long timestamp = result.logAppendTimeMs() >= 0 ? result.logAppendTimeMs() : now;
        return new Produced(topic, index, result.baseOffset(), timestamp);
    }

    private static List<RecordHeader> headers(List<Header> headers) {
        return headers.stream().map(h -> new RecordHeader(h.key(), h.value())).toList();
    }

    private int choose(TopicInfo topic, byte[] key) {
        if (key == null) {
            return Utils.toPositive(roundRobin.getAndIncrement()) % topic.partitions();
        }
        return Utils.toPositive(Utils.murmur2(key)) % topic.partitions();
    }

    private Partition partition(String topic, int partition) {
        TopicInfo info = partitions
                .metadata()
                .topic(topic)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + topic + "' does not exist."));
        if (partition < 0 || partition >= info.partitions()) {
            throw new UnknownTopicOrPartitionException("Topic '" + topic + "' has partitions 0 to "
                    + (info.partitions() - 1) + ", not " + partition + ".");
        }
        return partitions
                .partitionOrStorageError(new TopicPartition(topic, partition))
                .orElseThrow(() -> new UnknownTopicOrPartitionException(
                        "Partition " + partition + " of topic '" + topic + "' is not available."));
    }
}
