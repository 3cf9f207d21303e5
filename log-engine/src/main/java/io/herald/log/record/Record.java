package io.herald.log.record;

import java.util.Arrays;
import java.util.List;

/**
 * One decoded record of a batch, with its absolute offset and timestamp.
 *
 * <p>Wire layout inside a batch (after decompression), varints zig-zag encoded:
 *
 * <pre>
 *  length          varint   bytes that follow
 *  attributes      int8     unused, 0
 *  timestampDelta  varlong  timestamp - batch baseTimestamp
 *  offsetDelta     varint   offset - batch baseOffset
 *  keyLength       varint   -1 for a null key
 *  key             bytes
 *  valueLength     varint   -1 for a null value (a tombstone)
 *  value           bytes
 *  headerCount     varint
 *  headers         [keyLength varint, key UTF-8, valueLength varint (-1 = null), value]
 * </pre>
 *
 * @param offset absolute offset
 * @param timestamp the record's timestamp (create time, or the batch's append time on log-append-time topics)
 * @param key the key, or {@code null}
 * @param value the value, or {@code null} for a tombstone
 * @param headers the headers, in order
 */
public record Record(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {

    public Record {
        headers = List.copyOf(headers);
    }

    /** A record without headers. */
    public static Record of(long offset, long timestamp, byte[] key, byte[] value) {
        return new Record(offset, timestamp, key, value, List.of());
    }

    public boolean hasKey() {
        return key != null;
    }

    /** A record with a key and no value: on a compacted topic, the deletion of that key. */
    public boolean isTombstone() {
        return value == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r
                && offset == r.offset
                && timestamp == r.timestamp
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value)
                && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", key="
                + (key == null ? "null" : key.length + "B") + ", value=" + (value == null ? "null" : value.length + "B")
                + ", headers=" + headers.size() + ")";
    }
}
