package io.herald.log.record;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Zig-zag variable-length integers as the v2 record format encodes them (protobuf's {@code sint32}/{@code sint64}).
 *
 * <p>Thread-safety: stateless.
 */
public final class Varint {

    private Varint() {}

    public static int readVarint(DataInput in) throws IOException {
        int raw = 0;
        int shift = 0;
        int b;
        do {
            if (shift > 28) {
                throw new CorruptRecordException("Varint is longer than 5 bytes");
            }
            b = in.readUnsignedByte();
            raw |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static long readVarlong(DataInput in) throws IOException {
        long raw = 0;
        int shift = 0;
        int b;
        do {
            if (shift > 63) {
                throw new CorruptRecordException("Varlong is longer than 10 bytes");
            }
            b = in.readUnsignedByte();
            raw |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static void writeVarint(int value, DataOutput out) throws IOException {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            out.writeByte((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    public static void writeVarlong(long value, DataOutput out) throws IOException {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0L) {
            out.writeByte(((int) v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    /** Bytes {@link #writeVarint} uses for {@code value}. */
    public static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((v & 0xffffff80) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    /** Bytes {@link #writeVarlong} uses for {@code value}. */
    public static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & 0xffffffffffffff80L) != 0L) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }
}
