package io.herald.jms;

import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The one mapping between a JMS message and a Kafka record, used in both directions (docs/jms-mapping.md):
 *
 * <ul>
 *   <li>value: the body ({@code TextMessage}: UTF-8; {@code BytesMessage}: the bytes; map, stream and object
 *       messages: their encodings; no body: null);
 *   <li>key: the {@code JMSXGroupID} property (messages of a group keep their order in one partition), else null;
 *   <li>timestamp: {@code JMSTimestamp} (when timestamps are disabled the broker's time, and a header {@code
 *       jms.no.timestamp} so the receiver sees 0);
 *   <li>headers {@code jms.*}: the JMS headers, as UTF-8 text: {@code jms.type} (body type), {@code
 *       jms.message.id} (empty when the producer disabled ids: the receiver sees null), {@code jms.correlation.id}, {@code jms.reply.to} ({@code queue://name}, ...), {@code
 *       jms.delivery.mode} (1 or 2), {@code jms.priority}, {@code jms.expiration}, {@code jms.delivery.time}, {@code
 *       jms.jmstype}, and {@code jms.connection} (the sender's connection, for noLocal);
 *   <li>every other header: a property of that name with the value as UTF-8 text; a non-String property also has a
 *       header {@code jms.pt.<name>} naming its type (boolean, byte, short, int, long, float, double).
 * </ul>
 *
 * A record produced by a Kafka client (no {@code jms.type}) becomes a {@code TextMessage} if its header {@code
 * jms.type} is {@code text} or its {@code content-type} starts with {@code text/} or is {@code application/json},
 * else a {@code BytesMessage}; its headers become String properties; its message id is {@code
 * ID:<topic>-<partition>-<offset>}.
 *
 * <p>Thread-safety: stateless.
 */
final class RecordMapping {

    static final String TYPE = "jms.type";
    static final String MESSAGE_ID = "jms.message.id";
    static final String CORRELATION_ID = "jms.correlation.id";
    static final String REPLY_TO = "jms.reply.to";
    static final String DELIVERY_MODE = "jms.delivery.mode";
    static final String PRIORITY = "jms.priority";
    static final String EXPIRATION = "jms.expiration";
    static final String DELIVERY_TIME = "jms.delivery.time";
    static final String NO_TIMESTAMP = "jms.no.timestamp";
    static final String JMS_TYPE = "jms.jmstype";
    static final String CONNECTION = "jms.connection";
    static final String PROPERTY_TYPE = "jms.pt.";
    static final String GROUP_ID = "JMSXGroupID";

    private RecordMapping() {}

    static ProducerRecord<byte[], byte[]> toRecord(HeraldMessage m, String topic, String connectionId)
            throws JMSException {
        List<Header> headers = new ArrayList<>();
        add(headers, TYPE, m.bodyType());
        // An empty id says "the producer disabled ids": the receiver must see null too (JMS 3.4.3), where a record
        // without the header (from a Kafka client) gets an id made from its position.
        add(headers, MESSAGE_ID, m.getJMSMessageID() == null ? "" : m.getJMSMessageID());
        add(headers, CORRELATION_ID, m.getJMSCorrelationID());
        if (m.getJMSReplyTo() != null) {
            add(headers, REPLY_TO, HeraldDestination.check(m.getJMSReplyTo()).uri());
        }
        add(headers, DELIVERY_MODE, String.valueOf(m.getJMSDeliveryMode()));
        add(headers, PRIORITY, String.valueOf(m.getJMSPriority()));
        if (m.getJMSExpiration() != 0) {
            add(headers, EXPIRATION, String.valueOf(m.getJMSExpiration()));
        }
        if (m.getJMSDeliveryTime() != 0) {
            add(headers, DELIVERY_TIME, String.valueOf(m.getJMSDeliveryTime()));
        }
        add(headers, JMS_TYPE, m.getJMSType());
        add(headers, CONNECTION, connectionId);
        byte[] key = null;
        for (Map.Entry<String, Object> p : m.properties().entrySet()) {
            Object v = p.getValue();
            headers.add(
                    new RecordHeader(p.getKey(), v == null ? null : v.toString().getBytes(StandardCharsets.UTF_8)));
            String type = typeName(v);
            if (type != null) {
                add(headers, PROPERTY_TYPE + p.getKey(), type);
            }
            if (p.getKey().equals(GROUP_ID) && v != null) {
                key = v.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
        Long timestamp = m.getJMSTimestamp() == 0 ? null : m.getJMSTimestamp();
        if (timestamp == null) {
            // The record keeps the broker's time (retention and the delivery-time check need one), the receiver
            // sees JMSTimestamp 0 as the sender did (JMS 3.4.4).
            add(headers, NO_TIMESTAMP, "true");
        }
        return new ProducerRecord<>(topic, null, timestamp, key, m.bodyBytes(), headers);
    }

    private static String typeName(Object v) {
        if (v == null || v instanceof String) {
            return null;
        }
        return switch (v.getClass().getSimpleName()) {
            case "Boolean" -> "boolean";
            case "Byte" -> "byte";
            case "Short" -> "short";
            case "Integer" -> "int";
            case "Long" -> "long";
            case "Float" -> "float";
            case "Double" -> "double";
            default -> null;
        };
    }

    private static void add(List<Header> headers, String key, String value) {
        if (value != null) {
            headers.add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** A received message: the record, the destination it was consumed from and its delivery count. */
    static HeraldMessage fromRecord(ConsumerRecord<byte[], byte[]> r, Destination destination, int deliveryCount)
            throws JMSException {
        Map<String, String> jms = new HashMap<>();
        Map<String, byte[]> props = new java.util.LinkedHashMap<>();
        String contentType = null;
        for (Header h : r.headers()) {
            if (h.key().startsWith("jms.")) {
                jms.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            } else {
                props.put(h.key(), h.value());
                if (h.key().equalsIgnoreCase("content-type") && h.value() != null) {
                    contentType = new String(h.value(), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
                }
            }
        }
        String type = jms.get(TYPE);
        if (type == null
                && contentType != null
                && (contentType.startsWith("text/") || contentType.startsWith("application/json"))) {
            type = "text";
        }
        HeraldMessage m = newMessage(type == null ? "bytes" : type);
        m.readBody(r.value());
        for (Map.Entry<String, byte[]> p : props.entrySet()) {
            String text = p.getValue() == null ? null : new String(p.getValue(), StandardCharsets.UTF_8);
            m.putReceived(p.getKey(), typed(text, jms.get(PROPERTY_TYPE + p.getKey())));
        }
        String id = jms.get(MESSAGE_ID);
        if (id == null) {
            id = "ID:" + r.topic() + "-" + r.partition() + "-" + r.offset();
        }
        m.setJMSMessageID(id.isEmpty() ? null : id);
        m.setJMSTimestamp(jms.containsKey(NO_TIMESTAMP) ? 0 : r.timestamp());
        m.setJMSCorrelationID(jms.get(CORRELATION_ID));
        String replyTo = jms.get(REPLY_TO);
        if (replyTo != null) {
            try {
                m.setJMSReplyTo(HeraldDestination.parse(replyTo));
            } catch (IllegalArgumentException e) {
                // a Kafka client wrote something else: no reply-to
            }
        }
        m.setJMSDestination(destination);
        m.setJMSDeliveryMode(
                "1".equals(jms.get(DELIVERY_MODE)) ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT);
        m.setJMSPriority(parseInt(jms.get(PRIORITY), 4));
        m.setJMSExpiration(parseLong(jms.get(EXPIRATION), 0));
        m.setJMSDeliveryTime(parseLong(jms.get(DELIVERY_TIME), r.timestamp()));
        m.setJMSType(jms.get(JMS_TYPE));
        m.setJMSRedelivered(deliveryCount > 1);
        m.putReceived("JMSXDeliveryCount", Math.max(1, deliveryCount));
        return m;
    }

    /** The connection that sent {@code r}, if a JMS client did. */
    static String connectionOf(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(CONNECTION);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The JMS priority of {@code r}: 4 (the default) for a record without one, such as a Kafka client's. */
    static int priorityOf(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(PRIORITY);
        int p = h == null || h.value() == null ? 4 : parseInt(new String(h.value(), StandardCharsets.UTF_8), 4);
        return Math.max(0, Math.min(9, p));
    }

    /** The expiration time of {@code r}, or 0 for none. */
    static long expirationOf(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(EXPIRATION);
        return h == null || h.value() == null ? 0 : parseLong(new String(h.value(), StandardCharsets.UTF_8), 0);
    }

    static HeraldMessage newMessage(String type) {
        return switch (type) {
            case "text" -> new HeraldTextMessage();
            case "map" -> new HeraldMapMessage();
            case "object" -> new HeraldObjectMessage();
            case "stream" -> new HeraldStreamMessage();
            case "message" -> new HeraldMessage();
            default -> new HeraldBytesMessage();
        };
    }

    private static Object typed(String text, String type) {
        if (text == null || type == null) {
            return text;
        }
        try {
            return switch (type) {
                case "boolean" -> Boolean.parseBoolean(text);
                case "byte" -> Byte.parseByte(text);
                case "short" -> Short.parseShort(text);
                case "int" -> Integer.parseInt(text);
                case "long" -> Long.parseLong(text);
                case "float" -> Float.parseFloat(text);
                case "double" -> Double.parseDouble(text);
                default -> text;
            };
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
