package io.herald.log.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordBatchTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void aBuiltBatchDecodesToTheSameRecords(Compression compression) {
        List<Header> headers = List.of(new Header("h1", b("x")), new Header("h2", null));
        ByteBuffer buf = RecordBatchBuilder.create(compression)
                .producer(77, (short) 3, 10)
                .append(100, 5000, b("a"), b("alpha"), headers)
                .append(101, 4990, null, b("no key"))
                .append(103, 5010, b("c"), null)
                .build();

        RecordBatch batch = RecordBatch.at(buf, 0);

        assertThat(batch.isChecksumValid()).isTrue();
        assertThat(batch.compression()).isEqualTo(compression);
        assertThat(batch.baseOffset()).isEqualTo(100);
        assertThat(batch.lastOffset()).isEqualTo(103);
        assertThat(batch.recordCount()).isEqualTo(3);
        assertThat(batch.maxTimestamp()).isEqualTo(5010);
        assertThat(batch.producerId()).isEqualTo(77);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isEqualTo(10);
        assertThat(batch.lastSequence()).isEqualTo(13);
        assertThat(batch.sizeInBytes()).isEqualTo(buf.limit());
        assertThat(BatchRecords.decode(batch))
                .containsExactly(
                        new Record(100, 5000, b("a"), b("alpha"), headers),
                        Record.of(101, 4990, null, b("no key")),
                        Record.of(103, 5010, b("c"), null));
    }

    @Test
    void rewritingTheBaseOffsetKeepsTheCrcValid() {
        ByteBuffer buf = RecordBatchBuilder.create(Compression.NONE)
                .append(0, 1, b("k"), b("v"))
                .build();
        RecordBatch batch = RecordBatch.at(buf, 0);

        batch.setBaseOffset(1234);
        batch.setPartitionLeaderEpoch(9);

        assertThat(batch.isChecksumValid()).isTrue();
        assertThat(BatchRecords.decode(batch).get(0).offset()).isEqualTo(1234);
    }

    @Test
    void logAppendTimeAppliesToEveryRecordAndTheCrcIsRecomputed() {
        ByteBuffer buf = RecordBatchBuilder.create(Compression.LZ4)
                .append(0, 1, b("k"), b("v"))
                .append(1, 2, b("k"), b("v"))
                .build();
        RecordBatch batch = RecordBatch.at(buf, 0);

        batch.setLogAppendTime(999);

        assertThat(batch.isChecksumValid()).isTrue();
        assertThat(batch.isLogAppendTime()).isTrue();
        assertThat(BatchRecords.decode(batch)).extracting(Record::timestamp).containsExactly(999L, 999L);
    }

    @Test
    void aDeleteHorizonIsStoredAsTheBaseTimestampAndRecordTimestampsSurvive() {
        ByteBuffer buf = RecordBatchBuilder.create(Compression.NONE)
                .deleteHorizonMs(50_000)
                .append(7, 1000, b("k"), null)
                .build();
        RecordBatch batch = RecordBatch.at(buf, 0);

        assertThat(batch.hasDeleteHorizon()).isTrue();
        assertThat(batch.deleteHorizonMs()).isEqualTo(50_000);
        assertThat(BatchRecords.decode(batch).get(0).timestamp()).isEqualTo(1000);
    }

    @Test
    void anEmptyBatchKeepsItsOffsetRangeAndProducer() {
        ByteBuffer buf = RecordBatchBuilder.create(Compression.ZSTD)
                .producer(5, (short) 1, 40)
                .offsetRange(10, 14)
                .emptyBatchTimestamp(77)
                .build();
        RecordBatch batch = RecordBatch.at(buf, 0);

        assertThat(batch.recordCount()).isZero();
        assertThat(batch.baseOffset()).isEqualTo(10);
        assertThat(batch.lastOffset()).isEqualTo(14);
        assertThat(batch.compression()).isEqualTo(Compression.NONE);
        assertThat(batch.lastSequence()).isEqualTo(44);
        assertThat(BatchRecords.decode(batch)).isEmpty();
    }

    @Test
    void recordsThatRunPastTheBatchAreCorrupt() {
        ByteBuffer buf = RecordBatchBuilder.create(Compression.NONE)
                .append(0, 1, b("k"), b("value"))
                .build();
        buf.putInt(RecordBatch.RECORD_COUNT_OFFSET, 2);

        assertThatThrownBy(() -> BatchRecords.decode(RecordBatch.at(buf, 0)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("declares 2 records");
    }

    @Test
    void garbageCompressedDataIsCorrupt() {
        ByteBuffer buf = RecordBatchBuilder.create(Compression.GZIP)
                .append(0, 1, b("k"), b("value"))
                .build();
        buf.put(RecordBatch.HEADER_SIZE + 1, (byte) 0x7f);

        assertThatThrownBy(() -> BatchRecords.decode(RecordBatch.at(buf, 0)))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void unknownCompressionIdsAreCorrupt() {
        assertThatThrownBy(() -> Compression.forId(6)).isInstanceOf(CorruptRecordException.class);
    }
}
