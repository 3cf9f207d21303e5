package io.herald.server.queue;

import io.herald.log.record.Header;
import io.herald.log.record.Record;
import io.herald.selector.JmsRecordValues;
import java.nio.charset.StandardCharsets;

/**
 * A log-engine record as a JMS message selector sees it: its headers read into the {@link JmsRecordValues} of the
 * JMS mapping (docs/jms-mapping.md), which the JMS provider's browser uses too.
 *
 * <p>Thread-safety: not thread-safe; one per evaluation.
 */
public final class MessageView {

    private final JmsRecordValues values;

    public MessageView(Record record, String topic, int partition, int deliveryCount) {
        this.values = JmsRecordValues.of(topic, partition, record.offset(), record.timestamp(), deliveryCount);
        for (Header h : record.headers()) {
            values.header(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Whether {@code record} expired by {@code nowMs} (see {@link JmsRecordValues#expiredAt}), reading only the
     * header it needs: for every fetch of a JMS queue, not only those with a selector.
     */
    public static boolean expiredAt(Record record, long nowMs) {
        return JmsRecordValues.expiredAt(header(record, JmsRecordValues.EXPIRATION), nowMs);
    }

    /** Whether {@code record}'s delivery time has come by {@code nowMs} (see {@link JmsRecordValues#deliverableAt}). */
    public static boolean deliverableAt(Record record, long nowMs) {
        return JmsRecordValues.deliverableAt(header(record, JmsRecordValues.DELIVERY_TIME), record.timestamp(), nowMs);
    }

    private static String header(Record record, String key) {
        String value = null;
        for (Header h : record.headers()) {
            if (h.key().equals(key) && h.value() != null) {
                value = new String(h.value(), StandardCharsets.UTF_8); // the last one counts, as lastHeader does
            }
        }
        return value;
    }

    JmsRecordValues values() {
        return values;
    }

    /** The value of identifier {@code name}: a String, Long, Double or Boolean, or null if absent. */
    Object value(String name) {
        return values.value(name);
    }
}
