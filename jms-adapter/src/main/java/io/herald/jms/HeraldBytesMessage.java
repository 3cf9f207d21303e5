package io.herald.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * A bytes message: the record value is the bytes as written (DataOutput encoding for the typed writes, as the spec
 * describes). Write-only until {@link #reset()} or received, then read-only.
 *
 * <p>Thread-safety: not thread-safe.
 */
final class HeraldBytesMessage extends HeraldMessage implements BytesMessage {

    private ByteArrayOutputStream written = new ByteArrayOutputStream();
    private DataOutputStream out = new DataOutputStream(written);
    private byte[] content;
    private DataInputStream in;

    @Override
    String bodyType() {
        return "bytes";
    }

    @Override
    byte[] bodyBytes() {
        return bodyReadOnly() ? content : written.toByteArray();
    }

    @Override
    void readBody(byte[] bytes) {
        content = bytes == null ? new byte[0] : bytes;
    }

    @Override
    void onReceived() {
        in = new DataInputStream(new ByteArrayInputStream(content));
    }

    @Override
    void clearBodyContent() {
        written = new ByteArrayOutputStream();
        out = new DataOutputStream(written);
        content = null;
        in = null;
    }

    @Override
    Object bodyObject() {
        byte[] b = bodyBytes();
        return b == null || b.length == 0 ? null : b.clone();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return bodyObject() == null || c.isAssignableFrom(byte[].class);
    }

    @Override
    public long getBodyLength() throws JMSException {
        checkBodyReadable(true);
        return content.length;
    }

    @Override
    public void reset() {
        if (!bodyReadOnly()) {
            content = written.toByteArray();
            setBodyReadOnly(true);
        }
        in = new DataInputStream(new ByteArrayInputStream(content));
    }

    private interface Read<T> {
        T read() throws IOException;
    }

    private <T> T read(Read<T> r) throws JMSException {
        checkBodyReadable(true);
        try {
            in.mark(Integer.MAX_VALUE);
            return r.read();
        } catch (EOFException e) {
            resetMark();
            throw (MessageEOFException) new MessageEOFException("End of the message body").initCause(e);
        } catch (IOException e) {
            resetMark();
            throw JmsErrors.format("Cannot read the body", e);
        }
    }

    private void resetMark() {
        try {
            in.reset();
        } catch (IOException e) {
            // a ByteArrayInputStream always resets
        }
    }

    private interface Write {
        void write() throws IOException;
    }

    private void write(Write w) throws JMSException {
        checkBodyWritable();
        try {
            w.write();
        } catch (IOException e) {
            throw JmsErrors.format("Cannot write the body", e);
        }
    }

    @Override
    public boolean readBoolean() throws JMSException {
        return read(() -> in.readBoolean());
    }

    @Override
    public byte readByte() throws JMSException {
        return read(() -> in.readByte());
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        return read(() -> in.readUnsignedByte());
    }

    @Override
    public short readShort() throws JMSException {
        return read(() -> in.readShort());
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        return read(() -> in.readUnsignedShort());
    }

    @Override
    public char readChar() throws JMSException {
        return read(() -> in.readChar());
    }

    @Override
    public int readInt() throws JMSException {
        return read(() -> in.readInt());
    }

    @Override
    public long readLong() throws JMSException {
        return read(() -> in.readLong());
    }

    @Override
    public float readFloat() throws JMSException {
        return read(() -> in.readFloat());
    }

    @Override
    public double readDouble() throws JMSException {
        return read(() -> in.readDouble());
    }

    @Override
    public String readUTF() throws JMSException {
        return read(() -> in.readUTF());
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " for an array of " + value.length);
        }
        return read(() -> {
            int n = in.read(value, 0, length);
            return n <= 0 ? -1 : n;
        });
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        write(() -> out.writeBoolean(value));
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        write(() -> out.writeByte(value));
    }

    @Override
    public void writeShort(short value) throws JMSException {
        write(() -> out.writeShort(value));
    }

    @Override
    public void writeChar(char value) throws JMSException {
        write(() -> out.writeChar(value));
    }

    @Override
    public void writeInt(int value) throws JMSException {
        write(() -> out.writeInt(value));
    }

    @Override
    public void writeLong(long value) throws JMSException {
        write(() -> out.writeLong(value));
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        write(() -> out.writeFloat(value));
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        write(() -> out.writeDouble(value));
    }

    @Override
    public void writeUTF(String value) throws JMSException {
        write(() -> out.writeUTF(value));
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        write(() -> out.write(value));
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        write(() -> out.write(value, offset, length));
    }

    @Override
    public void writeObject(Object value) throws JMSException {
        if (value == null) {
            throw new NullPointerException("writeObject(null)");
        }
        if (value instanceof Boolean b) {
            writeBoolean(b);
        } else if (value instanceof Byte b) {
            writeByte(b);
        } else if (value instanceof Short s) {
            writeShort(s);
        } else if (value instanceof Character c) {
            writeChar(c);
        } else if (value instanceof Integer i) {
            writeInt(i);
        } else if (value instanceof Long l) {
            writeLong(l);
        } else if (value instanceof Float f) {
            writeFloat(f);
        } else if (value instanceof Double d) {
            writeDouble(d);
        } else if (value instanceof String s) {
            writeUTF(s);
        } else if (value instanceof byte[] b) {
            writeBytes(b);
        } else {
            throw new MessageFormatException(
                    "A bytes message cannot hold a " + value.getClass().getName());
        }
    }
}
