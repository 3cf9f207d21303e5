package io.herald.server.share;

import io.herald.log.TopicPartition;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Compression;
import io.herald.log.record.Header;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordBatchBuilder;
import io.herald.server.metadata.TopicManager;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records that a share group archived after their last allowed delivery to the group's dead-letter topic
 * ({@code errors.deadletterqueue.topic.name}), created with one partition if it does not exist. The dead-letter record
 * keeps the original key, value and headers (unless {@code errors.deadletterqueue.copy.record.enable=false}: then only
 * the context headers) and adds these headers, named as JMS provider-specific properties so that a JMS consumer of the
 * dead-letter queue sees them:
 *
 * <pre>
 * JMS_Herald_DLQReason         why, in words ("delivery count limit 5 reached")
 * JMS_Herald_DLQGroup          the share group
 * JMS_Herald_DLQTopic          the original topic
 * JMS_Herald_DLQPartition      the original partition (decimal)
 * JMS_Herald_DLQOffset         the original offset (decimal)
 * </pre>
 *
 * <p>Thread-safety: thread-safe. A failure is logged; the record stays archived (at-most-once into the DLQ).
 */
final class DeadLetterWriter {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final TopicManager topics;
    private final PartitionManager partitions;
    private final Clock clock;

    DeadLetterWriter(TopicManager topics, PartitionManager partitions, Clock clock) {
        this.topics = topics;
        this.partitions = partitions;
        this.clock = clock;
    }

    void write(SharePartition sp, List<Long> offsets, ShareGroupConfigs.Settings settings) {
        String dlq = settings.deadLetterTopic();
        try {
            Partition target = target(dlq);
            Set<Long> wanted = new HashSet<>(offsets);
            List<Record> originals = read(sp.partition(), offsets.get(0), offsets.get(offsets.size() - 1), wanted);
            if (originals.isEmpty()) {
                return;
            }
            RecordBatchBuilder builder = RecordBatchBuilder.create(Compression.NONE);
            int i = 0;
            String reason = "delivery count limit " + settings.deliveryCountLimit() + " reached";
            for (Record r : originals) {
                List<Header> headers = new ArrayList<>(settings.deadLetterCopiesRecord() ? r.headers() : List.of());
                headers.add(header("JMS_Herald_DLQReason", reason));
                headers.add(header("JMS_Herald_DLQGroup", sp.group()));
                headers.add(header("JMS_Herald_DLQTopic", sp.topicPartition().topic()));
                headers.add(header(
                        "JMS_Herald_DLQPartition",
                        String.valueOf(sp.topicPartition().partition())));
                headers.add(header("JMS_Herald_DLQOffset", String.valueOf(r.offset())));
                builder.append(
                        i++,
                        settings.deadLetterCopiesRecord() ? r.timestamp() : clock.millis(),
                        settings.deadLetterCopiesRecord() ? r.key() : null,
                        settings.deadLetterCopiesRecord() ? r.value() : null,
                        headers);
            }
            target.appendAsLeader(builder.build());
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Could not dead-letter {} records of {} (group {}) to {}: {}",
                    offsets.size(),
                    sp.topicPartition(),
                    sp.group(),
                    dlq,
                    e.toString());
        }
    }

    private static Header header(String key, String value) {
        return new Header(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private Partition target(String dlq) throws IOException {
        if (topics.metadata().topic(dlq).isEmpty()) {
            try {
                topics.create(dlq, 1, 1, Map.of());
            } catch (TopicExistsException e) {
                // created concurrently
            }
        }
        return partitions
                .partition(new TopicPartition(dlq, 0))
                .orElseThrow(() -> new IOException("Dead-letter topic " + dlq + " has no partition 0 here"));
    }

    private static List<Record> read(Partition p, long first, long last, Set<Long> wanted) throws IOException {
        List<Record> out = new ArrayList<>();
        long offset = first;
        while (offset <= last) {
            ByteBuffer buf =
                    p.log().read(offset, 1 << 20, p.highWatermark(), true).toByteBuffer();
            if (!buf.hasRemaining()) {
                break;
            }
            long next = offset;
            for (int pos = 0; pos + RecordBatch.HEADER_SIZE <= buf.limit(); ) {
                RecordBatch batch = RecordBatch.at(buf, pos);
                if (pos + batch.sizeInBytes() > buf.limit()) {
                    break;
                }
                pos += batch.sizeInBytes();
                next = batch.nextOffset();
                if (batch.isControl()) {
                    continue;
                }
                for (Record r : BatchRecords.decode(batch)) {
                    if (wanted.contains(r.offset())) {
                        out.add(r);
                    }
                }
            }
            if (next <= offset) {
                break;
            }
            offset = next;
        }
        return out;
    }
}
