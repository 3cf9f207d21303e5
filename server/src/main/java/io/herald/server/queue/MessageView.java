package io.herald.server.queue;

import io.herald.log.record.Header;
import io.herald.log.record.Record;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A record as a JMS message selector sees it: the headers a selector may name ({@code JMSDeliveryMode}, {@code
 * JMSPriority}, {@code JMSMessageID}, {@code JMSTimestamp}, {@code JMSCorrelationID}, {@code JMSType}) and the typed
 * properties, read from the record headers of the JMS mapping (docs/jms-mapping.md): {@code jms.*} headers carry the
 * JMS headers, every other header is a property, typed by its {@code jms.pt.<name>} header (String otherwise).
 *
 * <p>Thread-safety: not thread-safe; one per evaluation.
 */
public final class MessageView {

    private final Map<String, String> jms = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();
    private final Record record;
    private final String topic;
    private final int partition;
    private final int deliveryCount;

    public MessageView(Record record, String topic, int partition, int deliveryCount) {
        this.record = record;
        this.topic = topic;
        this.partition = partition;
        this.deliveryCount = deliveryCount;
        for (Header h : record.headers()) {
            String v = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
            if (h.key().startsWith("jms.")) {
                jms.put(h.key(), v);
            } else {
                properties.put(h.key(), v);
            }
        }
    }

    /** The value of identifier {@code name}: a String, Long, Double or Boolean, or null if absent. */
    Object value(String name) {
        switch (name) {
            case "JMSDeliveryMode":
                return "1".equals(jms.get("jms.delivery.mode")) ? "NON_PERSISTENT" : "PERSISTENT";
            case "JMSPriority":
                return parseLong(jms.get("jms.priority"), 4L);
            case "JMSMessageID": {
                String id = jms.get("jms.message.id");
                return id != null ? id : "ID:" + topic + "-" + partition + "-" + record.offset();
            }
            case "JMSTimestamp":
                return record.timestamp();
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
