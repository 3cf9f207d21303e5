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
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeader;
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
 * <p>In a cluster the dead-letter topic is created with the state topic's replication factor and its partition may
 * be led by another broker (or not be open here yet): the records go to its leader with the broker's acks=all
 * producer ({@link RemoteStateTopic#send}), as the share state does. A broker without a cluster appends to its local
 * partition.
 *
 * <p>Thread-safety: thread-safe. A failure is logged; the record stays archived (at-most-once into the DLQ).
 */
final class DeadLetterWriter {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final TopicManager topics;
    private final PartitionManager partitions;
    private final Clock clock;
    private final Optional<RemoteStateTopic> remote;
    private final int replicationFactor;

    /**
     * @param remote how to reach other brokers' partitions, in a cluster
     * @param replicationFactor in a cluster, the replication factor of a dead-letter topic created here
     */
    DeadLetterWriter(
            TopicManager topics,
            PartitionManager partitions,
            Clock clock,
            Optional<RemoteStateTopic> remote,
            Optional<Integer> replicationFactor) {
        this.topics = topics;
        this.partitions = partitions;
        this.clock = clock;
        this.remote = remote;
        this.replicationFactor = replicationFactor.orElse(1);
    }

    void write(SharePartition sp, List<Long> offsets, ShareGroupConfigs.Settings settings) {
        String dlq = settings.deadLetterTopic();
        try {
            ensureTopic(dlq);
            Set<Long> wanted = new HashSet<>(offsets);
            List<Record> originals = read(sp.partition(), offsets.get(0), offsets.get(offsets.size() - 1), wanted);
            if (originals.isEmpty()) {
                return;
            }
            List<Record> letters = new ArrayList<>();
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
                letters.add(new Record(
                        r.offset(),
                        settings.deadLetterCopiesRecord() ? r.timestamp() : clock.millis(),
                        settings.deadLetterCopiesRecord() ? r.key() : null,
                        settings.deadLetterCopiesRecord() ? r.value() : null,
                        headers));
            }
            if (remote.isPresent()) {
                sendToLeader(remote.get(), dlq, letters, sp);
            } else {
                appendHere(dlq, letters);
            }
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

    private void ensureTopic(String dlq) throws IOException {
        if (topics.metadata().topic(dlq).isEmpty()) {
            try {
                topics.create(dlq, 1, replicationFactor, Map.of());
            } catch (TopicExistsException e) {
                // created concurrently
            }
        }
    }

    private void appendHere(String dlq, List<Record> letters) throws IOException {
        Partition target = partitions
                .partition(new TopicPartition(dlq, 0))
                .orElseThrow(() -> new IOException("Dead-letter topic " + dlq + " has no partition 0 here"));
        RecordBatchBuilder builder = RecordBatchBuilder.create(Compression.NONE);
        int i = 0;
        for (Record r : letters) {
            builder.append(i++, r.timestamp(), r.key(), r.value(), r.headers());
        }
        target.appendAsLeader(builder.build());
    }

    private static void sendToLeader(RemoteStateTopic remote, String dlq, List<Record> letters, SharePartition sp) {
        for (Record r : letters) {
            List<org.apache.kafka.common.header.Header> headers = r.headers().stream()
                    .<org.apache.kafka.common.header.Header>map(h -> new RecordHeader(h.key(), h.value()))
                    .toList();
            remote.send(new ProducerRecord<>(dlq, 0, r.timestamp(), r.key(), r.value(), headers))
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            log.warn(
                                    "Could not dead-letter offset {} of {} (group {}) to {}: {}",
                                    r.offset(),
                                    sp.topicPartition(),
                                    sp.group(),
                                    dlq,
                                    e.toString());
                        }
                    });
        }
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
