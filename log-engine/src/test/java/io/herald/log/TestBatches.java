package io.herald.log;

import io.herald.log.record.Compression;
import io.herald.log.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Record batches as a producer would send them, for tests. */
public final class TestBatches {
    private TestBatches() {}

    /** A batch of {@code count} records "k<i>" -> "v<i>" with the given timestamp, offsets 0..count-1. */
    public static ByteBuffer batch(int count, long timestamp) {
        return batch(count, timestamp, Compression.NONE, "v");
    }

    public static ByteBuffer batch(int count, long timestamp, Compression compression, String valuePrefix) {
        RecordBatchBuilder b = RecordBatchBuilder.create(compression);
        for (int i = 0; i < count; i++) {
            b.append(i, timestamp, bytes("k" + i), bytes(valuePrefix + i));
        }
        return b.build();
    }

    /** A batch of records with the given keys and values (null value: tombstone). */
    public static ByteBuffer keyed(long timestamp, String... keysAndValues) {
        RecordBatchBuilder b = RecordBatchBuilder.create(Compression.NONE);
        for (int i = 0; i < keysAndValues.length / 2; i++) {
            b.append(i, timestamp, bytes(keysAndValues[2 * i]), bytes(keysAndValues[2 * i + 1]));
        }
        return b.build();
    }

    /** A batch of one record whose value is {@code size} bytes. */
    public static ByteBuffer sized(int valueSize, long timestamp) {
        return RecordBatchBuilder.create(Compression.NONE)
                .append(0, timestamp, bytes("k"), new byte[valueSize])
                .build();
    }

    public static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    public static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
