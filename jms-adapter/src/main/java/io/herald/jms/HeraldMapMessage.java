package io.herald.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map message: the record value is int32 count, then per entry the name (a {@link TypedValues} String) and the
 * typed value.
 *
 * <p>Thread-safety: not thread-safe.
 */
final class HeraldMapMessage extends HeraldMessage implements MapMessage {

    private final Map<String, Object> map = new LinkedHashMap<>();

    @Override
    String bodyType() {
        return "map";
    }

    @Override
    byte[] bodyBytes() throws JMSException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(map.size());
            for (Map.Entry<String, Object> e : map.entrySet()) {
                TypedValues.write(out, e.getKey());
                TypedValues.write(out, e.getValue());
            }
        } catch (IOException e) {
            throw JmsErrors.format("Cannot encode the map", e);
        }
        return bytes.toByteArray();
    }

    @Override
    void readBody(byte[] bytes) throws JMSException {
        map.clear();
        if (bytes == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                map.put((String) TypedValues.read(in), TypedValues.read(in));
            }
        } catch (IOException | ClassCastException e) {
            throw JmsErrors.format("Cannot decode the map body", e);
        }
    }

    @Override
    void clearBodyContent() {
        map.clear();
    }

    @Override
    Object bodyObject() {
        return map.isEmpty() ? null : new LinkedHashMap<>(map);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return map.isEmpty() || c.isAssignableFrom(Map.class);
    }

    private void set(String name, Object value) throws JMSException {
        checkBodyWritable();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A map entry name must not be null or empty");
        }
        map.put(name, value);
    }

    @Override
    public boolean getBoolean(String name) throws JMSException {
        return PropertyValues.toBoolean(map.get(name));
    }

    @Override
    public byte getByte(String name) throws JMSException {
        return PropertyValues.toByte(map.get(name));
    }

    @Override
    public short getShort(String name) throws JMSException {
        return PropertyValues.toShort(map.get(name));
    }

    @Override
    public char getChar(String name) throws JMSException {
        Object v = map.get(name);
        if (v instanceof Character c) {
            return c;
        }
        if (v == null) {
            throw new NullPointerException("No char value for " + name);
        }
        throw new MessageFormatException("A " + v.getClass().getSimpleName() + " cannot be read as char");
    }

    @Override
    public int getInt(String name) throws JMSException {
        return PropertyValues.toInt(map.get(name));
    }

    @Override
    public long getLong(String name) throws JMSException {
        return PropertyValues.toLong(map.get(name));
    }

    @Override
    public float getFloat(String name) throws JMSException {
        return PropertyValues.toFloat(map.get(name));
    }

    @Override
    public double getDouble(String name) throws JMSException {
        return PropertyValues.toDouble(map.get(name));
    }

    @Override
    public String getString(String name) throws JMSException {
        return PropertyValues.toStringValue(map.get(name));
    }

    @Override
    public byte[] getBytes(String name) throws JMSException {
        Object v = map.get(name);
        if (v == null || v instanceof byte[]) {
            return v == null ? null : ((byte[]) v).clone();
        }
        throw new MessageFormatException("A " + v.getClass().getSimpleName() + " cannot be read as byte[]");
    }

    @Override
    public Object getObject(String name) {
        Object v = map.get(name);
        return v instanceof byte[] b ? b.clone() : v;
    }

    @Override
    public Enumeration<String> getMapNames() {
        return Collections.enumeration(new java.util.ArrayList<>(map.keySet()));
    }

    @Override
    public void setBoolean(String name, boolean value) throws JMSException {
        set(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws JMSException {
        set(name, value);
    }

    @Override
    public void setShort(String name, short value) throws JMSException {
        set(name, value);
    }

    @Override
    public void setChar(String name, char value) throws JMSException {
        set(name, value);
    }

    @Override
    public void setInt(String name, int value) throws JMSException {
        set(name, value);
    }

    @Override
    public void setLong(String name, long value) throws JMSException {
        set(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws JMSException {
        set(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws JMSException {
        set(name, value);
    }

    @Override
    public void setString(String name, String value) throws JMSException {
        set(name, value);
    }

    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        set(name, value == null ? null : value.clone());
    }

    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        set(name, java.util.Arrays.copyOfRange(value, offset, offset + length));
    }

    @Override
    public void setObject(String name, Object value) throws JMSException {
        if (!TypedValues.isValueType(value)) {
            throw new MessageFormatException(
                    "A map message cannot hold a " + value.getClass().getName());
        }
        set(name, value instanceof byte[] b ? b.clone() : value);
    }

    @Override
    public boolean itemExists(String name) {
        return map.containsKey(name);
    }
}
