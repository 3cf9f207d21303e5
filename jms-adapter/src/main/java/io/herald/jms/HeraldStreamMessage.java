package io.herald.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.StreamMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream message: a sequence of typed values, encoded as int32 count then {@link TypedValues}. Reads convert as JMS
 * 3.11.3's table says; a conversion that fails leaves the position where it was.
 *
 * <p>Thread-safety: not thread-safe.
 */
final class HeraldStreamMessage extends HeraldMessage implements StreamMessage {

    private final List<Object> values = new ArrayList<>();
    private int position;
    private byte[] pendingBytes;
    private int pendingOffset = -1;

    @Override
    String bodyType() {
        return "stream";
    }

    @Override
    byte[] bodyBytes() throws JMSException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(values.size());
            for (Object v : values) {
                TypedValues.write(out, v);
            }
        } catch (IOException e) {
            throw JmsErrors.format("Cannot encode the stream", e);
        }
        return bytes.toByteArray();
    }

    @Override
    void readBody(byte[] bytes) throws JMSException {
        values.clear();
        if (bytes == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                values.add(TypedValues.read(in));
            }
        } catch (IOException e) {
            throw JmsErrors.format("Cannot decode the stream body", e);
        }
    }

    @Override
    void onReceived() {
        position = 0;
        pendingOffset = -1;
    }

    @Override
    void clearBodyContent() {
        values.clear();
        position = 0;
        pendingOffset = -1;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return false; // JMS 3.11: a stream message's body cannot be returned by getBody
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("The body of a StreamMessage cannot be returned by getBody");
    }

    @Override
    public void reset() {
        setBodyReadOnly(true);
        position = 0;
        pendingOffset = -1;
    }

    private interface Convert<T> {
        T apply(Object v) throws JMSException;
    }

    private <T> T next(Convert<T> convert) throws JMSException {
        checkBodyReadable(true);
        if (pendingOffset >= 0) {
            throw new MessageFormatException("A byte array field is partly read; finish it with readBytes");
        }
        if (position >= values.size()) {
            throw new MessageEOFException("End of the stream");
        }
        T v = convert.apply(values.get(position));
        position++;
        return v;
    }

    @Override
    public boolean readBoolean() throws JMSException {
        return next(PropertyValues::toBoolean);
    }

    @Override
    public byte readByte() throws JMSException {
        return next(PropertyValues::toByte);
    }

    @Override
    public short readShort() throws JMSException {
        return next(PropertyValues::toShort);
    }

    @Override
    public char readChar() throws JMSException {
        return next(v -> {
            if (v instanceof Character c) {
                return c;
            }
            if (v == null) {
                throw new NullPointerException("null read as char");
            }
            throw new MessageFormatException("A " + v.getClass().getSimpleName() + " cannot be read as char");
        });
    }

    @Override
    public int readInt() throws JMSException {
        return next(PropertyValues::toInt);
    }

    @Override
    public long readLong() throws JMSException {
        return next(PropertyValues::toLong);
    }

    @Override
    public float readFloat() throws JMSException {
        return next(PropertyValues::toFloat);
    }

    @Override
    public double readDouble() throws JMSException {
        return next(PropertyValues::toDouble);
    }

    @Override
    public String readString() throws JMSException {
        return next(PropertyValues::toStringValue);
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        checkBodyReadable(true);
        if (pendingOffset < 0) {
            if (position >= values.size()) {
                throw new MessageEOFException("End of the stream");
            }
            Object v = values.get(position);
            if (v == null) {
                position++;
                return -1;
            }
            if (!(v instanceof byte[] b)) {
                throw new MessageFormatException("A " + v.getClass().getSimpleName() + " cannot be read as bytes");
            }
            pendingBytes = b;
            pendingOffset = 0;
        }
        int n = Math.min(value.length, pendingBytes.length - pendingOffset);
        if (n <= 0 && pendingOffset >= pendingBytes.length) {
            pendingOffset = -1;
            position++;
            return -1;
        }
        System.arraycopy(pendingBytes, pendingOffset, value, 0, n);
        pendingOffset += n;
        if (n < value.length) {
            pendingOffset = -1;
            position++;
        }
        return n;
    }

    @Override
    public Object readObject() throws JMSException {
        return next(v -> v instanceof byte[] b ? b.clone() : v);
    }

    private void add(Object v) throws JMSException {
        checkBodyWritable();
        values.add(v);
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        add(value);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        add(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        add(value);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        add(value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        add(value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        add(value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        add(value);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        add(value);
    }

    @Override
    public void writeString(String value) throws JMSException {
        add(value);
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        add(value == null ? null : value.clone());
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        add(java.util.Arrays.copyOfRange(value, offset, offset + length));
    }

    @Override
    public void writeObject(Object value) throws JMSException {
        if (!TypedValues.isValueType(value)) {
            throw new MessageFormatException(
                    "A stream message cannot hold a " + value.getClass().getName());
        }
        add(value instanceof byte[] b ? b.clone() : value);
    }
}
