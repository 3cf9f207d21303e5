package io.herald.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * An object message: the record value is the object in Java serialization, taken when the body is set (so later
 * changes to the object do not change the message, as the spec asks).
 *
 * <p>Thread-safety: not thread-safe.
 */
final class HeraldObjectMessage extends HeraldMessage implements ObjectMessage {

    private byte[] serialized;

    @Override
    String bodyType() {
        return "object";
    }

    @Override
    byte[] bodyBytes() {
        return serialized;
    }

    @Override
    void readBody(byte[] bytes) {
        serialized = bytes;
    }

    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        if (object == null) {
            serialized = null;
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(object);
        } catch (IOException e) {
            throw JmsErrors.format("Cannot serialize the object", e);
        }
        serialized = out.toByteArray();
    }

    @Override
    public Serializable getObject() throws JMSException {
        if (serialized == null) {
            return null;
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized)) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                ClassLoader tccl = Thread.currentThread().getContextClassLoader();
                if (tccl != null) {
                    try {
                        return Class.forName(desc.getName(), false, tccl);
                    } catch (ClassNotFoundException e) {
                        // fall back to the default
                    }
                }
                return super.resolveClass(desc);
            }
        }) {
            return (Serializable) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw JmsErrors.format("Cannot deserialize the object", e);
        }
    }

    @Override
    void clearBodyContent() {
        serialized = null;
    }

    @Override
    Object bodyObject() throws JMSException {
        return getObject();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        if (serialized == null) {
            return true;
        }
        try {
            return c.isInstance(getObject());
        } catch (MessageFormatException e) {
            return false;
        }
    }
}
