package io.herald.log.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchValidatorTest {

    private static final long NOW = 1_700_000_000_000L;
    private final BatchValidator validator = new BatchValidator(10_000, Long.MAX_VALUE, 3_600_000, false);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer batch(int records, long timestamp) {
        RecordBatchBuilder builder = RecordBatchBuilder.create(Compression.NONE);
        for (int i = 0; i < records; i++) {
            builder.append(i, timestamp, b("k" + i), b("v" + i));
        }
        return builder.build();
    }

    private static ByteBuffer concat(ByteBuffer... parts) {
        int size = 0;
        for (ByteBuffer p : parts) {
            size += p.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer p : parts) {
            all.put(p.duplicate());
        }
        return all.flip();
    }

    @Test
    void validBatchesAreSummarised() {
        BatchValidator.Summary summary = validator.validateForLeader(concat(batch(3, NOW), batch(2, NOW + 5)), NOW);

        assertThat(summary.batchCount()).isEqualTo(2);
        assertThat(summary.offsetCount()).isEqualTo(5);
        assertThat(summary.maxTimestamp()).isEqualTo(NOW + 5);
    }

    @Test
    void anEmptyAppendIsRejected() {
        assertThatThrownBy(() -> validator.validateForLeader(ByteBuffer.allocate(0), NOW))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void aTruncatedBatchIsRejected() {
        ByteBuffer whole = batch(3, NOW);
        ByteBuffer cut = whole.duplicate().limit(whole.limit() - 4);

        assertThatThrownBy(() -> validator.validateForLeader(cut, NOW))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("only");
    }

    @Test
    void aBufferShorterThanAHeaderIsRejected() {
        ByteBuffer cut = batch(1, NOW).limit(30);

        assertThatThrownBy(() -> validator.validateForLeader(cut, NOW))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void aLengthTooSmallForAHeaderIsRejected() {
        ByteBuffer bad = batch(1, NOW);
        bad.putInt(RecordBatch.LENGTH_OFFSET, 10);

        assertThatThrownBy(() -> validator.validateForLeader(bad, NOW))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("too small");
    }

    @Test
    void anOversizedBatchIsRejected() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(Compression.NONE);
        builder.append(0, NOW, b("k"), new byte[20_000]);

        assertThatThrownBy(() -> validator.validateForLeader(builder.build(), NOW))
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("max.message.bytes=10000");
    }

    @Test
    void theWrongMagicIsRejected() {
        ByteBuffer bad = batch(1, NOW);
        bad.put(RecordBatch.MAGIC_OFFSET, (byte) 1);

        assertThatThrownBy(() -> validator.validateForLeader(bad, NOW))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("magic 1");
    }

    @Test
    void aCrcMismatchIsRejected() {
        ByteBuffer bad = batch(2, NOW);
        bad.put(bad.limit() - 1, (byte) (bad.get(bad.limit() - 1) ^ 1));

        assertThatThrownBy(() -> validator.validateForLeader(bad, NOW))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("CRC");
    }

    @Test
    void aLastOffsetDeltaThatDisagreesWithTheRecordCountIsRejected() {
        ByteBuffer bad = batch(2, NOW);
        bad.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 5);
        RecordBatch.at(bad, 0).writeChecksum();

        assertThatThrownBy(() -> validator.validateForLeader(bad, NOW))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("lastOffsetDelta 5");
    }

    @Test
    void aTimestampTooFarInTheFutureIsRejected() {
        assertThatThrownBy(() -> validator.validateForLeader(batch(1, NOW + 3_600_001), NOW))
                .isInstanceOf(InvalidTimestampException.class)
                .hasMessageContaining("message.timestamp.after.max.ms");
    }

    @Test
    void aTimestampTooFarInThePastIsRejectedWhenBounded() {
        BatchValidator strict = new BatchValidator(10_000, 1000, 1000, false);

        assertThatThrownBy(() -> strict.validateForLeader(batch(1, NOW - 1001), NOW))
                .isInstanceOf(InvalidTimestampException.class)
                .hasMessageContaining("message.timestamp.before.max.ms");
    }

    @Test
    void clientsMayNotWriteControlBatches() {
        ByteBuffer control = RecordBatchBuilder.create(Compression.NONE)
                .control(true)
                .append(0, NOW, b("k"), b("v"))
                .build();

        assertThatThrownBy(() -> validator.validateForLeader(control, NOW)).isInstanceOf(InvalidRecordException.class);
        assertThat(validator.validateForFollower(control).batchCount()).isEqualTo(1);
    }

    @Test
    void compactedTopicsRejectRecordsWithoutKeysEvenInsideCompressedBatches() {
        BatchValidator compacted = new BatchValidator(10_000, Long.MAX_VALUE, Long.MAX_VALUE, true);
        ByteBuffer keyless = RecordBatchBuilder.create(Compression.SNAPPY)
                .append(0, NOW, b("k"), b("v"))
                .append(1, NOW, null, b("v"))
                .build();

        assertThatThrownBy(() -> compacted.validateForLeader(keyless, NOW))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("without a key");
    }

    @Test
    void followerBatchesMustHaveIncreasingOffsets() {
        ByteBuffer first = batch(2, NOW);
        ByteBuffer second = batch(2, NOW);
        RecordBatch.at(first, 0).setBaseOffset(10);
        RecordBatch.at(second, 0).setBaseOffset(11);

        assertThatThrownBy(() -> validator.validateForFollower(concat(first, second)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("not after");
    }
}
