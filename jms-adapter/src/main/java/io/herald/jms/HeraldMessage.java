package io.herald.jms;

import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message without body and the base of the others: the JMS headers, the typed properties with the spec's conversion
 * rules, and the read-only states of a received message (properties and body read-only until cleared).
 *
 * <p>Thread-safety: not thread-safe, as the spec allows (a message belongs to one thread at a time).
 */
class HeraldMessage implements Message {

    /** What acknowledging a received message does (its session's acknowledge). */
    interface Acknowledger {
        void acknowledge() throws JMSException;
    }

    private String messageId;
    private long timestamp;
    private String correlationId;
    private Destination replyTo;
    private Destination destination;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private boolean redelivered;
    private String type;
    private long expiration;
    private long deliveryTime;
    private int priority = Message.DEFAULT_PRIORITY;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private boolean propertiesReadOnly;
    private boolean bodyReadOnly;
    private Acknowledger acknowledger;

    /** The body type's name in the {@code jms.type} record header. */
    String bodyType() {
        return "message";
    }

    /** The body as record value bytes, or {@code null} for no body. */
    byte[] bodyBytes() throws JMSException {
        return null;
    }

    /** Sets the body from record value bytes (a received message). */
    void readBody(byte[] bytes) throws JMSException {}

    /** Marks a received message read-only and remembers how to acknowledge it. */
    void received(Acknowledger acknowledger) {
        this.acknowledger = acknowledger;
        this.propertiesReadOnly = true;
        this.bodyReadOnly = true;
        onReceived();
    }

    /** Prepares the body for reading after {@link #readBody} (streams reset). */
    void onReceived() {}

    void checkBodyWritable() throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("The body of a received message is read-only; call clearBody()");
        }
    }

    void checkBodyReadable(boolean writeOnlyUntilReset) throws MessageNotReadableException {
        if (writeOnlyUntilReset && !bodyReadOnly) {
            throw new MessageNotReadableException("The message is write-only until reset() or sent");
        }
    }

    boolean bodyReadOnly() {
        return bodyReadOnly;
    }

    void setBodyReadOnly(boolean readOnly) {
        this.bodyReadOnly = readOnly;
    }

    Map<String, Object> properties() {
        return properties;
    }

    // ---- headers ------------------------------------------------------------------------------------------------

    @Override
    public String getJMSMessageID() {
        return messageId;
    }

    @Override
    public void setJMSMessageID(String id) {
        this.messageId = id;
    }

    @Override
    public long getJMSTimestamp() {
        return timestamp;
    }

    @Override
    public void setJMSTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return correlationId == null ? null : correlationId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void setJMSCorrelationIDAsBytes(byte[] correlationID) {
        this.correlationId =
                correlationID == null ? null : new String(correlationID, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void setJMSCorrelationID(String correlationID) {
        this.correlationId = correlationID;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationId;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }

    @Override
    public void setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
    }

    @Override
    public Destination getJMSDestination() {
        return destination;
    }

    @Override
    public void setJMSDestination(Destination destination) {
        this.destination = destination;
    }

    @Override
    public int getJMSDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public void setJMSDeliveryMode(int deliveryMode) {
        this.deliveryMode = deliveryMode;
    }

    @Override
    public boolean getJMSRedelivered() {
        return redelivered;
    }

    @Override
    public void setJMSRedelivered(boolean redelivered) {
        this.redelivered = redelivered;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public void setJMSType(String type) {
        this.type = type;
    }

    @Override
    public long getJMSExpiration() {
        return expiration;
    }

    @Override
    public void setJMSExpiration(long expiration) {
        this.expiration = expiration;
    }

    @Override
    public long getJMSDeliveryTime() {
        return deliveryTime;
    }

    @Override
    public void setJMSDeliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
    }

    @Override
    public int getJMSPriority() {
        return priority;
    }

    @Override
    public void setJMSPriority(int priority) {
        this.priority = priority;
    }

    // ---- properties ---------------------------------------------------------------------------------------------

    @Override
    public void clearProperties() {
        properties.clear();
        propertiesReadOnly = false;
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.containsKey(name);
    }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return PropertyValues.toBoolean(properties.get(name));
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return PropertyValues.toByte(properties.get(name));
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return PropertyValues.toShort(properties.get(name));
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return PropertyValues.toInt(properties.get(name));
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return PropertyValues.toLong(properties.get(name));
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return PropertyValues.toFloat(properties.get(name));
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return PropertyValues.toDouble(properties.get(name));
    }

    @Override
    public String getStringProperty(String name) throws JMSException {
        return PropertyValues.toStringValue(properties.get(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return properties.get(name);
    }

    @Override
    public Enumeration<String> getPropertyNames() {
        return Collections.enumeration(new java.util.ArrayList<>(properties.keySet()));
    }

    @Override
    public void setBooleanProperty(String name, boolean value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setByteProperty(String name, byte value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setShortProperty(String name, short value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setIntProperty(String name, int value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setLongProperty(String name, long value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setFloatProperty(String name, float value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setDoubleProperty(String name, double value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setStringProperty(String name, String value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setObjectProperty(String name, Object value) throws JMSException {
        PropertyValues.checkPropertyType(name, value);
        put(name, value);
    }

    private void put(String name, Object value) throws JMSException {
        if (propertiesReadOnly) {
            throw new MessageNotWriteableException(
                    "The properties of a received message are read-only; call clearProperties()");
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A property name must not be null or empty");
        }
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("Property name '" + name + "' is not a Java identifier (JMS 3.5.1)");
        }
        properties.put(name, value);
    }

    /** Sets a property while decoding a received record (no read-only or name checks: JMSX names and others). */
    void putReceived(String name, Object value) {
        properties.put(name, value);
    }

    static boolean isIdentifier(String name) {
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return !switch (name.toUpperCase(java.util.Locale.ROOT)) {
            case "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE" -> true;
            default -> false;
        };
    }

    // ---- acknowledge and body -----------------------------------------------------------------------------------

    @Override
    public void acknowledge() throws JMSException {
        if (acknowledger != null) {
            acknowledger.acknowledge();
        }
    }

    @Override
    public void clearBody() throws JMSException {
        bodyReadOnly = false;
        clearBodyContent();
    }

    void clearBodyContent() throws JMSException {}

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (!isBodyAssignableTo(c)) {
            throw new MessageFormatException("The body cannot be returned as " + c.getName());
        }
        return c.cast(bodyObject());
    }

    /** The body as {@link #getBody} returns it, or null. */
    Object bodyObject() throws JMSException {
        return null;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        Object body = bodyObject();
        return body == null || c.isInstance(body);
    }
}
