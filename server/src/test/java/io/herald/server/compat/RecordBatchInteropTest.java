package io.herald.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.log.LogConfig;
import io.herald.log.LogManager;
import io.herald.log.LogManagerConfig;
import io.herald.log.LogSlice;
import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import io.herald.log.io.DiskStorage;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Compression;
import io.herald.log.record.Header;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordBatchBuilder;
import io.herald.server.compat.KafkaRecordBatches.KafkaBatch;
import io.herald.server.compat.KafkaRecordBatches.Spec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The on-disk format is Kafka's record batch v2, byte for byte (DESIGN.md). These tests hold Herald's batch code to
 * the real thing: batches written by Herald's {@link RecordBatchBuilder} must be read by kafka-clients' own record
 * classes with the same content and pass Kafka's own validation, and batches written by kafka-clients'
 * {@code MemoryRecordsBuilder} must be read by Herald's {@link BatchRecords} with the same content and a valid CRC.
 * Every use of Kafka's internal record classes goes through {@link KafkaRecordBatches}.
 */
class RecordBatchInteropTest {

    private static final long T0 = 1_700_000_000_000L;

    // ---- Herald writes, kafka-clients reads ----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafkaReadsHeraldsBatchWithKeysValuesHeadersAndNulls(Compression compression) {
        List<Record> records = mixedRecords(100);
        ByteBuffer batch = heraldBatch(compression, records).build();

        KafkaBatch k = parseOne(batch);

        assertThat(k.valid()).isTrue();
        assertThat(k.records()).containsExactlyElementsOf(records);
        assertThat(k.compressionId()).isEqualTo(compression.id());
        assertThat(k.baseOffset()).isEqualTo(100);
        assertThat(k.lastOffset()).isEqualTo(records.get(records.size() - 1).offset());
        assertThat(k.countOrNull()).isEqualTo(records.size());
        assertThat(k.logAppendTime()).isFalse();
        assertThat(k.maxTimestamp())
                .isEqualTo(records.stream().mapToLong(Record::timestamp).max().orElseThrow());
        assertThat(k.producerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
        assertThat(k.deleteHorizonMs()).isEmpty();
        assertThat(k.sizeInBytes()).isEqualTo(batch.remaining());
        assertThat(k.checksum()).isEqualTo(RecordBatch.at(batch, 0).checksum());
        assertThatCode(() -> KafkaRecordBatches.ensureValid(batch)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafkaReadsHeraldsBatchLargerThanOneCompressionBlock(Compression compression) {
        // 300 KiB of records: several LZ4 (64 KiB) and Snappy (32 KiB) blocks, zstd and gzip buffers.
        List<Record> records = largeRecords(0, 300, 1024);
        ByteBuffer batch = heraldBatch(compression, records).build();

        KafkaBatch k = parseOne(batch);

        assertThat(k.valid()).isTrue();
        assertThat(k.records()).containsExactlyElementsOf(records);
        assertThatCode(() -> KafkaRecordBatches.ensureValid(batch)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafkaReadsHeraldsIdempotentProducerFields(Compression compression) {
        List<Record> records = mixedRecords(0);
        ByteBuffer batch = heraldBatch(compression, records)
                .producer(4242L, (short) 7, 1000)
                .partitionLeaderEpoch(12)
                .build();

        KafkaBatch k = parseOne(batch);

        assertThat(k.valid()).isTrue();
        assertThat(k.producerId()).isEqualTo(4242L);
        assertThat(k.producerEpoch()).isEqualTo((short) 7);
        assertThat(k.baseSequence()).isEqualTo(1000);
        assertThat(k.lastSequence()).isEqualTo(1000 + records.size() - 1);
        assertThat(k.lastSequence()).isEqualTo(RecordBatch.at(batch, 0).lastSequence());
        assertThat(k.partitionLeaderEpoch()).isEqualTo(12);
        assertThat(k.transactional()).isFalse();
        assertThat(k.records()).containsExactlyElementsOf(records);
        assertThatCode(() -> KafkaRecordBatches.ensureValid(batch)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafkaReadsHeraldsTransactionalBatchWithWrappingSequence(Compression compression) {
        List<Record> records = mixedRecords(0);
        int baseSequence = Integer.MAX_VALUE - 1;
        ByteBuffer batch = heraldBatch(compression, records)
                .producer(9L, (short) 0, baseSequence)
                .transactional(true)
                .build();

        KafkaBatch k = parseOne(batch);

        assertThat(k.valid()).isTrue();
        assertThat(k.transactional()).isTrue();
        assertThat(k.control()).isFalse();
        assertThat(RecordBatch.at(batch, 0).lastSequence()).isEqualTo(k.lastSequence());
        assertThat(k.records()).containsExactlyElementsOf(records);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafkaReadsHeraldsLogAppendTimeBatch(Compression compression) {
        List<Record> records = mixedRecords(5);
        long appendTime = T0 + 999_999;
        ByteBuffer batch =
                heraldBatch(compression, records).logAppendTime(appendTime).build();

        KafkaBatch k = parseOne(batch);

        assertThat(k.valid()).isTrue();
        assertThat(k.logAppendTime()).isTrue();
        assertThat(k.maxTimestamp()).isEqualTo(appendTime);
        assertThat(k.records()).containsExactlyElementsOf(withTimestamp(records, appendTime));
        assertThat(BatchRecords.decode(RecordBatch.at(batch, 0))).isEqualTo(k.records());
        assertThatCode(() -> KafkaRecordBatches.ensureValid(batch)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafkaReadsABatchStampedWithLogAppendTimeInPlace(Compression compression) {
        // What PartitionLog does on a LogAppendTime topic: flip the attribute, set maxTimestamp, recompute the CRC.
        List<Record> records = mixedRecords(0);
        ByteBuffer batch = heraldBatch(compression, records).build();
        long appendTime = T0 + 123_456;
        RecordBatch.at(batch, 0).setLogAppendTime(appendTime);

        KafkaBatch k = parseOne(batch);

        assertThat(k.valid()).isTrue();
        assertThat(k.logAppendTime()).isTrue();
        assertThat(k.records()).containsExactlyElementsOf(withTimestamp(records, appendTime));
        assertThatCode(() -> KafkaRecordBatches.ensureValid(batch)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafkaReadsHeraldsCompactedBatchWithDeleteHorizonAndOffsetGaps(Compression compression) {
        long horizon = T0 + 86_400_000L;
        List<Record> records = List.of(
                Record.of(200, T0 + 10, bytes("a"), bytes("1")),
                Record.of(203, T0 + 5, bytes("b"), null),
                Record.of(207, T0 + 30, bytes("c"), bytes("3")));
        ByteBuffer batch = heraldBatch(compression, records)
                .offsetRange(200, 209)
                .deleteHorizonMs(horizon)
                .build();

        KafkaBatch k = parseOne(batch);

        assertThat(k.valid()).isTrue();
        assertThat(k.deleteHorizonMs()).isEqualTo(OptionalLong.of(horizon));
        assertThat(k.baseTimestamp()).isEqualTo(horizon);
        assertThat(k.baseOffset()).isEqualTo(200);
        assertThat(k.lastOffset()).isEqualTo(209);
        assertThat(k.countOrNull()).isEqualTo(3);
        assertThat(k.maxTimestamp()).isEqualTo(T0 + 30);
        assertThat(k.records()).containsExactlyElementsOf(records);
        assertThatCode(() -> KafkaRecordBatches.ensureValid(batch)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafkaReadsHeraldsEmptyBatch(Compression compression) {
        // A batch whose records were all compacted away keeps its offsets and producer state (KIP-98).
        ByteBuffer batch = RecordBatchBuilder.create(compression)
                .producer(77L, (short) 3, 40)
                .offsetRange(40, 44)
                .emptyBatchTimestamp(T0)
                .build();

        KafkaBatch k = parseOne(batch);

        assertThat(k.valid()).isTrue();
        assertThat(k.countOrNull()).isZero();
        assertThat(k.records()).isEmpty();
        assertThat(k.baseOffset()).isEqualTo(40);
        assertThat(k.lastOffset()).isEqualTo(44);
        assertThat(k.producerId()).isEqualTo(77L);
        assertThat(k.producerEpoch()).isEqualTo((short) 3);
        assertThat(k.baseSequence()).isEqualTo(40);
        assertThat(k.lastSequence()).isEqualTo(44);
        assertThat(k.maxTimestamp()).isEqualTo(T0);
        assertThat(k.sizeInBytes()).isEqualTo(RecordBatch.HEADER_SIZE);
        assertThatCode(() -> KafkaRecordBatches.ensureValid(batch)).doesNotThrowAnyException();
    }

    @Test
    void kafkaReadsSeveralHeraldBatchesBackToBackWithRewrittenBaseOffsets() {
        List<ByteBuffer> parts = new ArrayList<>();
        long next = 1000;
        for (Compression c : Compression.values()) {
            ByteBuffer b = heraldBatch(c, mixedRecords(0)).build();
            RecordBatch.at(b, 0).setBaseOffset(next); // as the log assigns offsets; the CRC does not cover it
            next = RecordBatch.at(b, 0).nextOffset();
            parts.add(b);
        }
        ByteBuffer all = concat(parts);

        List<KafkaBatch> batches = KafkaRecordBatches.parse(all);

        assertThat(batches).hasSize(Compression.values().length);
        long expected = 1000;
        for (KafkaBatch k : batches) {
            assertThat(k.valid()).isTrue();
            assertThat(k.baseOffset()).isEqualTo(expected);
            assertThat(k.records()).extracting(Record::offset).startsWith(expected);
            expected = k.lastOffset() + 1;
        }
        assertThat(KafkaRecordBatches.ensureValid(all)).isEqualTo(Compression.values().length);
    }

    @Test
    void kafkaRejectsAHeraldBatchWithOneFlippedRecordByte() {
        // The negative control: the oracle above does tell a broken batch from a good one.
        ByteBuffer batch = heraldBatch(Compression.NONE, mixedRecords(0)).build();
        int at = RecordBatch.HEADER_SIZE + 5;
        batch.put(at, (byte) (batch.get(at) ^ 0x01));

        assertThat(parseOne(batch).valid()).isFalse();
        assertThatThrownBy(() -> KafkaRecordBatches.ensureValid(batch)).hasMessageContaining("Record is corrupt");
    }

    @Test
    void uncompressedBatchesOfHeraldAndKafkaAreByteForByteIdentical() {
        List<Record> records = mixedRecords(10);
        ByteBuffer ours = heraldBatch(Compression.NONE, records)
                .producer(99L, (short) 1, 5)
                .partitionLeaderEpoch(2)
                .build();
        ByteBuffer kafkas = KafkaRecordBatches.build(
                Spec.createTime(Compression.NONE)
                        .withProducer(99L, (short) 1, 5, false)
                        .withPartitionLeaderEpoch(2),
                records);

        assertThat(ours).isEqualTo(kafkas);
    }

    @Test
    void uncompressedLogAppendTimeAndDeleteHorizonBatchesAreByteForByteIdentical() {
        List<Record> records = mixedRecords(0);
        ByteBuffer oursLat =
                heraldBatch(Compression.NONE, records).logAppendTime(NOW).build();
        ByteBuffer kafkasLat =
                KafkaRecordBatches.build(Spec.createTime(Compression.NONE).withLogAppendTime(NOW), records);
        ByteBuffer oursHorizon =
                heraldBatch(Compression.NONE, records).deleteHorizonMs(NOW).build();
        ByteBuffer kafkasHorizon =
                KafkaRecordBatches.build(Spec.createTime(Compression.NONE).withDeleteHorizon(NOW), records);

        assertThat(oursLat).isEqualTo(kafkasLat);
        assertThat(oursHorizon).isEqualTo(kafkasHorizon);
    }

    // ---- kafka-clients writes, Herald reads ----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Compression.class)
    void heraldReadsKafkasBatchWithKeysValuesHeadersAndNulls(Compression compression) {
        List<Record> records = mixedRecords(100);
        ByteBuffer batch =
                KafkaRecordBatches.build(Spec.createTime(compression).withProducer(5L, (short) 2, 17, false), records);

        RecordBatch ours = RecordBatch.at(batch, 0);

        assertThat(ours.isChecksumValid()).isTrue();
        assertThat(ours.magic()).isEqualTo(RecordBatch.MAGIC);
        assertThat(ours.sizeInBytes()).isEqualTo(batch.remaining());
        assertThat(ours.compression()).isEqualTo(compression);
        assertThat(ours.baseOffset()).isEqualTo(100);
        assertThat(ours.lastOffset()).isEqualTo(records.get(records.size() - 1).offset());
        assertThat(ours.recordCount()).isEqualTo(records.size());
        assertThat(ours.isLogAppendTime()).isFalse();
        assertThat(ours.producerId()).isEqualTo(5L);
        assertThat(ours.producerEpoch()).isEqualTo((short) 2);
        assertThat(ours.baseSequence()).isEqualTo(17);
        assertThat(ours.maxTimestamp())
                .isEqualTo(records.stream().mapToLong(Record::timestamp).max().orElseThrow());
        assertThat(BatchRecords.decode(ours)).containsExactlyElementsOf(records);
        assertThat(BatchRecords.decode(ours))
                .isEqualTo(KafkaRecordBatches.parse(batch).get(0).records());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void heraldReadsKafkasBatchLargerThanOneCompressionBlock(Compression compression) {
        List<Record> records = largeRecords(0, 300, 1024);
        ByteBuffer batch = KafkaRecordBatches.build(Spec.createTime(compression), records);

        RecordBatch ours = RecordBatch.at(batch, 0);

        assertThat(ours.isChecksumValid()).isTrue();
        assertThat(BatchRecords.decode(ours)).containsExactlyElementsOf(records);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void heraldReadsKafkasLogAppendTimeBatch(Compression compression) {
        List<Record> records = mixedRecords(0);
        long appendTime = T0 + 5_000;
        ByteBuffer batch = KafkaRecordBatches.build(
                Spec.createTime(compression).withLogAppendTime(appendTime).withPartitionLeaderEpoch(3), records);

        RecordBatch ours = RecordBatch.at(batch, 0);

        assertThat(ours.isChecksumValid()).isTrue();
        assertThat(ours.isLogAppendTime()).isTrue();
        assertThat(ours.maxTimestamp()).isEqualTo(appendTime);
        assertThat(ours.partitionLeaderEpoch()).isEqualTo(3);
        assertThat(BatchRecords.decode(ours)).containsExactlyElementsOf(withTimestamp(records, appendTime));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void heraldReadsKafkasTransactionalBatch(Compression compression) {
        List<Record> records = mixedRecords(0);
        ByteBuffer batch = KafkaRecordBatches.build(
                Spec.createTime(compression).withProducer(31L, (short) 4, Integer.MAX_VALUE - 2, true), records);

        RecordBatch ours = RecordBatch.at(batch, 0);

        assertThat(ours.isChecksumValid()).isTrue();
        assertThat(ours.isTransactional()).isTrue();
        assertThat(ours.isControl()).isFalse();
        assertThat(ours.lastSequence())
                .isEqualTo(KafkaRecordBatches.parse(batch).get(0).lastSequence());
        assertThat(BatchRecords.decode(ours)).containsExactlyElementsOf(records);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void heraldReadsKafkasBatchWithDeleteHorizon(Compression compression) {
        long horizon = T0 + 86_400_000L;
        List<Record> records = List.of(
                Record.of(0, T0 + 10, bytes("a"), bytes("1")),
                Record.of(1, T0 + 5, bytes("b"), null),
                Record.of(2, T0 + 30, bytes("c"), bytes("3")));
        ByteBuffer batch = KafkaRecordBatches.build(Spec.createTime(compression).withDeleteHorizon(horizon), records);

        RecordBatch ours = RecordBatch.at(batch, 0);

        assertThat(ours.isChecksumValid()).isTrue();
        assertThat(ours.hasDeleteHorizon()).isTrue();
        assertThat(ours.deleteHorizonMs()).isEqualTo(horizon);
        assertThat(BatchRecords.decode(ours)).containsExactlyElementsOf(records);
    }

    @Test
    void heraldReadsKafkasTransactionMarker() {
        ByteBuffer marker = KafkaRecordBatches.endTransactionMarker(true, 500, T0, 31L, (short) 4, 6);

        RecordBatch ours = RecordBatch.at(marker, 0);

        assertThat(ours.isChecksumValid()).isTrue();
        assertThat(ours.isControl()).isTrue();
        assertThat(ours.isTransactional()).isTrue();
        assertThat(ours.baseOffset()).isEqualTo(500);
        List<Record> records = BatchRecords.decode(ours);
        assertThat(records).hasSize(1);
        // Control record key: version int16 0, type int16 (1 = COMMIT); value: version int16 0, coordinator epoch.
        assertThat(records.get(0).key()).containsExactly(0, 0, 0, 1);
        assertThat(records.get(0).value()).containsExactly(0, 0, 0, 0, 0, 6);
    }

    @Test
    void kafkaReadsAHeraldBuiltTransactionMarker() {
        ByteBuffer marker = RecordBatchBuilder.create(Compression.NONE)
                .producer(31L, (short) 4, RecordBatch.NO_SEQUENCE)
                .transactional(true)
                .control(true)
                .append(500, T0, new byte[] {0, 0, 0, 0}, new byte[] {0, 0, 0, 0, 0, 9})
                .build();

        KafkaBatch k = parseOne(marker);

        assertThat(k.valid()).isTrue();
        assertThat(k.control()).isTrue();
        assertThat(KafkaRecordBatches.readEndTransactionMarker(marker)).isEqualTo("ABORT:9");
        assertThat(marker).isEqualTo(KafkaRecordBatches.endTransactionMarker(false, 500, T0, 31L, (short) 4, 9));
    }

    // ---- through the log: what the broker will do with a producer's batch -----------------------------------------

    @ParameterizedTest
    @EnumSource(Compression.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void kafkaBatchAppendedToTheLogIsReadBackValidByKafka(Compression compression, @TempDir Path dir)
            throws IOException {
        List<Record> records = mixedRecords(0);
        try (LogManager manager = openLog(dir, Map.of())) {
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("interop", 0));
            log.appendAsLeader(
                    KafkaRecordBatches.build(
                            Spec.createTime(compression).withProducer(8L, (short) 0, 0, false), records),
                    5);
            log.appendAsLeader(KafkaRecordBatches.build(Spec.createTime(compression), records), 5);

            ByteBuffer read = readAll(log);

            List<KafkaBatch> batches = KafkaRecordBatches.parse(read);
            assertThat(batches).hasSize(2);
            assertThat(batches).allSatisfy(b -> assertThat(b.valid()).isTrue());
            assertThat(batches)
                    .allSatisfy(b -> assertThat(b.partitionLeaderEpoch()).isEqualTo(5));
            assertThat(batches.get(0).records()).containsExactlyElementsOf(records);
            assertThat(batches.get(1).baseOffset()).isEqualTo(records.size());
            assertThat(batches.get(1).records()).extracting(Record::offset).startsWith((long) records.size());
            assertThat(KafkaRecordBatches.ensureValid(read)).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void logAppendTimeStampedByTheLogIsWhatKafkaReads(Compression compression, @TempDir Path dir) throws IOException {
        List<Record> records = mixedRecords(0);
        try (LogManager manager = openLog(dir, Map.of("message.timestamp.type", "LogAppendTime"))) {
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("interop-lat", 0));
            long appendTime = log.appendAsLeader(KafkaRecordBatches.build(Spec.createTime(compression), records), -1)
                    .logAppendTimeMs();

            ByteBuffer read = readAll(log);

            KafkaBatch k = parseOne(read);
            assertThat(appendTime).isEqualTo(NOW);
            assertThat(k.valid()).isTrue();
            assertThat(k.logAppendTime()).isTrue();
            assertThat(k.records()).containsExactlyElementsOf(withTimestamp(records, NOW));
            assertThat(KafkaRecordBatches.ensureValid(read)).isEqualTo(1);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** The clock of the logs opened here; the records' create times lie before it. */
    private static final long NOW = T0 + 60_000;

    private static LogManager openLog(Path dir, Map<String, String> topicDefaults) throws IOException {
        LogManagerConfig config = LogManagerConfig.defaults(List.of(dir))
                .withTopicDefaults(LogConfig.defaults().with(topicDefaults))
                .withCleaner(false, 15_000);
        return LogManager.open(config, DiskStorage.instance(), Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    }

    private static ByteBuffer readAll(PartitionLog log) throws IOException {
        LogSlice slice = log.read(log.logStartOffset(), Integer.MAX_VALUE, Long.MAX_VALUE, true);
        return slice.toByteBuffer();
    }

    private static KafkaBatch parseOne(ByteBuffer batch) {
        List<KafkaBatch> batches = KafkaRecordBatches.parse(batch);
        assertThat(batches).hasSize(1);
        return batches.get(0);
    }

    private static RecordBatchBuilder heraldBatch(Compression compression, List<Record> records) {
        RecordBatchBuilder b = RecordBatchBuilder.create(compression);
        records.forEach(b::append);
        return b;
    }

    /**
     * Records exercising every field: headers (one with a null value, one with a non-ASCII key), null keys, null values
     * (tombstones), empty keys and values, and a timestamp before the first record's (a negative delta).
     */
    private static List<Record> mixedRecords(long baseOffset) {
        return List.of(
                new Record(
                        baseOffset,
                        T0,
                        bytes("key-0"),
                        bytes("value-0"),
                        List.of(new Header("trace", bytes("abc")), new Header("no-value", null))),
                Record.of(baseOffset + 1, T0 + 1, null, bytes("no key")),
                Record.of(baseOffset + 2, T0 + 2, bytes("tombstone"), null),
                new Record(baseOffset + 3, T0 - 50, new byte[0], new byte[0], List.of()),
                new Record(
                        baseOffset + 4,
                        T0 + 7_000,
                        bytes("k4"),
                        bytes("ünïcödé ✓"),
                        List.of(new Header("clé-ü", bytes("v")), new Header("empty", new byte[0]))),
                Record.of(baseOffset + 5, T0 + 3, null, null));
    }

    /** {@code count} records of {@code size}-byte values, half random (incompressible) and half repetitive. */
    private static List<Record> largeRecords(long baseOffset, int count, int size) {
        Random random = new Random(42);
        List<Record> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[size];
            if (i % 2 == 0) {
                random.nextBytes(value);
            } else {
                for (int j = 0; j < size; j++) {
                    value[j] = (byte) ('a' + (j % 7));
                }
            }
            records.add(new Record(
                    baseOffset + i,
                    T0 + i,
                    bytes("key-" + i),
                    value,
                    List.of(new Header("i", bytes(Integer.toString(i))))));
        }
        return records;
    }

    private static List<Record> withTimestamp(List<Record> records, long timestamp) {
        return records.stream()
                .map(r -> new Record(r.offset(), timestamp, r.key(), r.value(), r.headers()))
                .toList();
    }

    private static ByteBuffer concat(List<ByteBuffer> parts) {
        ByteBuffer all = ByteBuffer.allocate(
                parts.stream().mapToInt(ByteBuffer::remaining).sum());
        parts.forEach(p -> all.put(p.duplicate()));
        return all.flip();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
