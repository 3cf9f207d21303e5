package io.herald.selector;

import java.util.HashMap;
import java.util.Map;

/**
 * A record as a JMS message selector sees it: the headers a selector may name ({@code JMSDeliveryMode}, {@code
 * JMSPriority}, {@code JMSMessageID}, {@code JMSTimestamp}, {@code JMSCorrelationID}, {@code JMSType}, {@code
 * JMSXDeliveryCount}) and the typed properties, read from the record headers of the JMS mapping
 * (docs/jms-mapping.md): {@code jms.*} headers carry the JMS headers, every other header is a property, typed by its
 * {@code jms.pt.<name>} header (String otherwise). One class for broker and provider, so that a browser and a
 * consumer with the same selector select the same messages.
 *
 * <p>Thread-safety: not thread-safe; fill it, then evaluate, on one thread.
 */
public final class JmsRecordValues implements SelectorValues {

    /** The headers of the JMS expiration and delivery time (docs/jms-mapping.md). */
    public static final String EXPIRATION = "jms.expiration";

    public static final String DELIVERY_TIME = "jms.delivery.time";

    private final Map<String, String> jms = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();
    private final String topic;
    private final int partition;
    private final long offset;
    private final long timestamp;
    private final int deliveryCount;

    private JmsRecordValues(String topic, int partition, long offset, long timestamp, int deliveryCount) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.deliveryCount = deliveryCount;
    }

    /** An empty view of record {@code offset} of {@code topic}-{@code partition}; {@link #header} fills it. */
    public static JmsRecordValues of(String topic, int partition, long offset, long timestamp, int deliveryCount) {
        return new JmsRecordValues(topic, partition, offset, timestamp, deliveryCount);
    }

    /** Adds one record header, its value decoded as UTF-8 text (null for a null value). */
    public JmsRecordValues header(String key, String value) {
        if (key.startsWith("jms.")) {
            jms.put(key, value);
        } else {
            properties.put(key, value);
        }
        return this;
    }

    /**
     * Whether a record whose {@code jms.expiration} header is {@code expiration} (or null: never) expired by {@code
     * nowMs}: an expired message is never delivered.
     */
    public static boolean expiredAt(String expiration, long nowMs) {
        long at = parseLong(expiration, 0L);
        return at > 0 && at <= nowMs;
    }

    /**
     * Whether a record with timestamp {@code timestamp} whose {@code jms.delivery.time} header is {@code deliveryTime}
     * (or null) may be delivered at {@code nowMs}: its delivery time has come. Only a delivery time after the record's
     * own timestamp (a delay the sender asked for) holds it back, so a sender whose clock runs ahead of the broker's
     * does not delay every message it sends.
     */
    public static boolean deliverableAt(String deliveryTime, long timestamp, long nowMs) {
        long at = parseLong(deliveryTime, 0L);
        return at <= timestamp || at <= nowMs;
    }

    @Override
    public Object value(String name) {
        switch (name) {
            case "JMSDeliveryMode":
                return "1".equals(jms.get("jms.delivery.mode")) ? "NON_PERSISTENT" : "PERSISTENT";
            case "JMSPriority":
                return parseLong(jms.get("jms.priority"), 4L);
            case "JMSMessageID": {
                String id = jms.get("jms.message.id");
                if (id == null) {
                    return "ID:" + topic + "-" + partition + "-" + offset;
                }
                return id.isEmpty() ? null : id; // empty: the JMS producer disabled message ids
            }
            case "JMSTimestamp":
                return timestamp;
            case "JMSCorrelationID":
                return jms.get("jms.correlation.id");
            case "JMSType":
                return jms.get("jms.jmstype");
            case "JMSXDeliveryCount":
                return (long) deliveryCount;
            default:
                break;
        }
        if (!properties.containsKey(name)) {
            return null;
        }
        String text = properties.get(name);
        String type = jms.get("jms.pt." + name);
        if (text == null || type == null) {
            return text;
        }
        try {
            return switch (type) {
                case "boolean" -> Boolean.parseBoolean(text);
                case "byte", "short", "int", "long" -> Long.parseLong(text);
                case "float", "double" -> Double.parseDouble(text);
                default -> text;
            };
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static Long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
