package io.herald.server.compat;

import io.herald.log.record.Compression;
import io.herald.log.record.Header;
import io.herald.log.record.Record;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.ByteBufferOutputStream;

/**
 * The one place in the tests that touches kafka-clients' record classes ({@code org.apache.kafka.common.record
 * .internal}, internal since Kafka 4.3 and free to change in any release). It parses bytes with Kafka's own {@code
 * MemoryRecords}/{@code DefaultRecordBatch} and builds batches with Kafka's own {@code MemoryRecordsBuilder}, and
 * hands everything back as Herald's types ({@link Record}, {@link Header}) or as the plain {@link KafkaBatch} summary,
 * so the tests compare values, not Kafka objects.
 *
 * <p>Thread-safety: stateless.
 */
final class KafkaRecordBatches {

    private KafkaRecordBatches() {}

    /**
     * What kafka-clients reads from one batch.
     *
     * @param valid Kafka's {@code isValid()}: size and CRC-32C check out
     * @param baseTimestamp the raw base timestamp field (the delete horizon when one is set)
     * @param records the records as Kafka's iterator returns them (offsets and timestamps resolved by Kafka)
     */
    record KafkaBatch(
            boolean valid,
            long checksum,
            int sizeInBytes,
            long baseOffset,
            long lastOffset,
            Integer countOrNull,
            int compressionId,
            boolean logAppendTime,
            long baseTimestamp,
            long maxTimestamp,
            long producerId,
            short producerEpoch,
            int baseSequence,
            int lastSequence,
            int partitionLeaderEpoch,
            boolean transactional,
            boolean control,
            OptionalLong deleteHorizonMs,
            List<Record> records) {}

    /** How to build a batch with Kafka's builder; absent producer fields are Kafka's "none" values. */
    record Spec(
            Compression compression,
            boolean logAppendTime,
            long logAppendTimeMs,
            long producerId,
            short producerEpoch,
            int baseSequence,
            boolean transactional,
            int partitionLeaderEpoch,
            OptionalLong deleteHorizonMs) {

        static Spec createTime(Compression compression) {
            return new Spec(
                    compression,
                    false,
                    RecordBatch.NO_TIMESTAMP,
                    RecordBatch.NO_PRODUCER_ID,
                    RecordBatch.NO_PRODUCER_EPOCH,
                    RecordBatch.NO_SEQUENCE,
                    false,
                    RecordBatch.NO_PARTITION_LEADER_EPOCH,
                    OptionalLong.empty());
        }

        Spec withLogAppendTime(long appendTimeMs) {
            return new Spec(
                    compression,
                    true,
                    appendTimeMs,
                    producerId,
                    producerEpoch,
                    baseSequence,
                    transactional,
                    partitionLeaderEpoch,
                    deleteHorizonMs);
        }

        Spec withProducer(long id, short epoch, int sequence, boolean isTransactional) {
            return new Spec(
                    compression,
                    logAppendTime,
                    logAppendTimeMs,
                    id,
                    epoch,
                    sequence,
                    isTransactional,
                    partitionLeaderEpoch,
                    deleteHorizonMs);
        }

        Spec withPartitionLeaderEpoch(int epoch) {
            return new Spec(
                    compression,
                    logAppendTime,
                    logAppendTimeMs,
                    producerId,
                    producerEpoch,
                    baseSequence,
                    transactional,
                    epoch,
                    deleteHorizonMs);
        }

        Spec withDeleteHorizon(long horizonMs) {
            return new Spec(
                    compression,
                    logAppendTime,
                    logAppendTimeMs,
                    producerId,
                    producerEpoch,
                    baseSequence,
                    transactional,
                    partitionLeaderEpoch,
                    OptionalLong.of(horizonMs));
        }
    }

    /**
     * Parses every batch in {@code buffer} (position to limit) with kafka-clients and reads all their records. Kafka's
     * exceptions (CorruptRecordException, InvalidRecordException, KafkaException) propagate unchanged.
     */
    static List<KafkaBatch> parse(ByteBuffer buffer) {
        MemoryRecords records = MemoryRecords.readableRecords(buffer.duplicate());
        List<KafkaBatch> batches = new ArrayList<>();
        for (MutableRecordBatch batch : records.batches()) {
            batches.add(summarize(batch));
        }
        if (records.validBytes() != buffer.remaining()) {
            throw new IllegalStateException("kafka-clients found whole batches in only " + records.validBytes() + " of "
                    + buffer.remaining() + " bytes");
        }
        return batches;
    }

    /** Runs kafka-clients' {@code ensureValid()} on every batch of {@code buffer}; throws Kafka's exception if any. */
    static int ensureValid(ByteBuffer buffer) {
        int count = 0;
        for (MutableRecordBatch batch :
                MemoryRecords.readableRecords(buffer.duplicate()).batches()) {
            batch.ensureValid();
            count++;
        }
        return count;
    }

    /**
     * One v2 batch built by kafka-clients' {@code MemoryRecordsBuilder} from {@code records} (their offsets and
     * timestamps are used as given; the base offset is the first record's).
     */
    static ByteBuffer build(Spec spec, List<Record> records) {
        long baseOffset = records.isEmpty() ? 0 : records.get(0).offset();
        ByteBufferOutputStream out = new ByteBufferOutputStream(1024);
        MemoryRecordsBuilder builder = new MemoryRecordsBuilder(
                out,
                RecordBatch.MAGIC_VALUE_V2,
                org.apache.kafka.common.compress.Compression.of(
                                CompressionType.forId(spec.compression().id()))
                        .build(),
                spec.logAppendTime() ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                baseOffset,
                spec.logAppendTimeMs(),
                spec.producerId(),
                spec.producerEpoch(),
                spec.baseSequence(),
                spec.transactional(),
                false,
                spec.partitionLeaderEpoch(),
                Integer.MAX_VALUE,
                spec.deleteHorizonMs().orElse(RecordBatch.NO_TIMESTAMP));
        for (Record r : records) {
            builder.appendWithOffset(r.offset(), r.timestamp(), r.key(), r.value(), kafkaHeaders(r.headers()));
        }
        ByteBuffer built = builder.build().buffer();
        ByteBuffer copy = ByteBuffer.allocate(built.remaining());
        copy.put(built).flip();
        return copy;
    }

    /** A transaction marker batch (a control batch of one COMMIT or ABORT record) as a Kafka coordinator writes it. */
    static ByteBuffer endTransactionMarker(
            boolean commit, long offset, long timestamp, long producerId, short producerEpoch, int coordinatorEpoch) {
        EndTransactionMarker marker =
                new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch);
        ByteBuffer built = MemoryRecords.withEndTransactionMarker(
                        offset, timestamp, RecordBatch.NO_PARTITION_LEADER_EPOCH, producerId, producerEpoch, marker)
                .buffer();
        ByteBuffer copy = ByteBuffer.allocate(built.remaining());
        copy.put(built).flip();
        return copy;
    }

    /**
     * Reads the transaction marker in a control batch with Kafka's own {@code EndTransactionMarker.deserialize}.
     *
     * @return "COMMIT" or "ABORT" followed by {@code :} and the coordinator epoch
     */
    static String readEndTransactionMarker(ByteBuffer buffer) {
        MutableRecordBatch batch = MemoryRecords.readableRecords(buffer.duplicate())
                .batches()
                .iterator()
                .next();
        if (!batch.isControlBatch()) {
            throw new IllegalArgumentException("Not a control batch: " + batch);
        }
        EndTransactionMarker marker =
                EndTransactionMarker.deserialize(batch.iterator().next());
        return marker.controlType() + ":" + marker.coordinatorEpoch();
    }

    private static KafkaBatch summarize(MutableRecordBatch batch) {
        List<Record> records = new ArrayList<>();
        for (org.apache.kafka.common.record.internal.Record r : batch) {
            records.add(new Record(r.offset(), r.timestamp(), bytes(r.key()), bytes(r.value()), heraldHeaders(r)));
        }
        long baseTimestamp = batch instanceof DefaultRecordBatch d ? d.baseTimestamp() : RecordBatch.NO_TIMESTAMP;
        return new KafkaBatch(
                batch.isValid(),
                batch.checksum(),
                batch.sizeInBytes(),
                batch.baseOffset(),
                batch.lastOffset(),
                batch.countOrNull(),
                batch.compressionType().id,
                batch.timestampType() == TimestampType.LOG_APPEND_TIME,
                baseTimestamp,
                batch.maxTimestamp(),
                batch.producerId(),
                batch.producerEpoch(),
                batch.baseSequence(),
                batch.lastSequence(),
                batch.partitionLeaderEpoch(),
                batch.isTransactional(),
                batch.isControlBatch(),
                batch.deleteHorizonMs(),
                records);
    }

    private static List<Header> heraldHeaders(org.apache.kafka.common.record.internal.Record r) {
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : r.headers()) {
            headers.add(new Header(h.key(), h.value()));
        }
        return headers;
    }

    private static org.apache.kafka.common.header.Header[] kafkaHeaders(List<Header> headers) {
        return headers.stream()
                .map(h -> new RecordHeader(h.key(), h.value()))
                .toArray(org.apache.kafka.common.header.Header[]::new);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
