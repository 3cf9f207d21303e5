package io.herald.jms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The typed value encoding of MapMessage and StreamMessage bodies: one tag byte, then the value.
 *
 * <pre>
 * 0 null | 1 boolean (1 byte) | 2 byte | 3 short | 4 char | 5 int | 6 long | 7 float | 8 double |
 * 9 String (int32 length, UTF-8) | 10 bytes (int32 length, bytes)
 * </pre>
 *
 * <p>Thread-safety: stateless.
 */
final class TypedValues {

    private TypedValues() {}

    static void write(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(0);
        } else if (v instanceof Boolean b) {
            out.writeByte(1);
            out.writeBoolean(b);
        } else if (v instanceof Byte b) {
            out.writeByte(2);
            out.writeByte(b);
        } else if (v instanceof Short s) {
            out.writeByte(3);
            out.writeShort(s);
        } else if (v instanceof Character c) {
            out.writeByte(4);
            out.writeChar(c);
        } else if (v instanceof Integer i) {
            out.writeByte(5);
            out.writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(6);
            out.writeLong(l);
        } else if (v instanceof Float f) {
            out.writeByte(7);
            out.writeFloat(f);
        } else if (v instanceof Double d) {
            out.writeByte(8);
            out.writeDouble(d);
        } else if (v instanceof String s) {
            out.writeByte(9);
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        } else if (v instanceof byte[] b) {
            out.writeByte(10);
            out.writeInt(b.length);
            out.write(b);
        } else {
            throw new IllegalArgumentException(
                    "Not a JMS value type: " + v.getClass().getName());
        }
    }

    static Object read(DataInputStream in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case 0 -> null;
            case 1 -> in.readBoolean();
            case 2 -> in.readByte();
            case 3 -> in.readShort();
            case 4 -> in.readChar();
            case 5 -> in.readInt();
            case 6 -> in.readLong();
            case 7 -> in.readFloat();
            case 8 -> in.readDouble();
            case 9 -> new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.UTF_8);
            case 10 -> in.readNBytes(in.readInt());
            default -> throw new IOException("Unknown value tag " + tag);
        };
    }

    static boolean isValueType(Object v) {
        return v == null
                || v instanceof Boolean
                || v instanceof Byte
                || v instanceof Short
                || v instanceof Character
                || v instanceof Integer
                || v instanceof Long
                || v instanceof Float
                || v instanceof Double
                || v instanceof String
                || v instanceof byte[];
    }
}
