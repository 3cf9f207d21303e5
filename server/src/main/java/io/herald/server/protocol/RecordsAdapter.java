package io.herald.server.protocol;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Converts between the record fields of generated messages and plain bytes; with {@link SliceRecords}, the only use
 * of kafka-clients' internal record classes (they moved package in 4.3 and may again).
 *
 * <p>Thread-safety: stateless.
 */
public final class RecordsAdapter {

    private RecordsAdapter() {}

    /** The bytes of a request's records field (a produce request's batches), or an empty buffer. */
    public static ByteBuffer bytes(BaseRecords records) {
        if (records == null) {
            return ByteBuffer.allocate(0);
        }
        if (records instanceof MemoryRecords memory) {
            return memory.buffer();
        }
        throw new IllegalArgumentException(
                "Unexpected records type " + records.getClass().getName());
    }

    /** Records from plain bytes (for responses built from memory). */
    public static BaseRecords of(ByteBuffer bytes) {
        return MemoryRecords.readableRecords(bytes);
    }

    /** An empty records field. */
    public static BaseRecords empty() {
        return MemoryRecords.EMPTY;
    }
}
