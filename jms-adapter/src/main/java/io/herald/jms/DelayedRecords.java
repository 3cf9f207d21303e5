package io.herald.jms;

import io.herald.selector.JmsRecordValues;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The records a non-durable subscriber fetched before their {@code JMSDeliveryTime}: held here, earliest delivery
 * time first, until that time comes (Jakarta Messaging 3.1, section 7.9), while the records behind them that are due
 * go on. The spec allows that: "messages with a later delivery time may be delivered after messages with an earlier
 * delivery time" (section 6.2.9.2). A delivery time counts only if it is after the record's own timestamp, the rule
 * the broker applies to queues ({@link JmsRecordValues#deliverableAt}), so a sender whose clock runs ahead does not
 * hold back everything it sends.
 *
 * <p>Design note: a plain consumer has no broker-side hold, so the subscriber's memory is the only place a delayed
 * message can wait. The number held is bounded by {@code capacity}; when it is reached, {@link #isFull} tells the
 * source to stop fetching until some are due, so a flood of far-future messages costs bounded memory and delays what
 * comes after them instead of dropping anything.
 *
 * <p>Thread-safety: not thread-safe; confined to its source's thread.
 */
final class DelayedRecords {

    /** How many delayed records one non-durable subscriber holds before it stops fetching. */
    static final int DEFAULT_CAPACITY = 10_000;

    private record Entry(ConsumerRecord<byte[], byte[]> record, long dueAtMs, long sequence) {}

    private final PriorityQueue<Entry> entries =
            new PriorityQueue<>(Comparator.comparingLong(Entry::dueAtMs).thenComparingLong(Entry::sequence));
    private final int capacity;
    private long nextSequence;

    DelayedRecords(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Keeps {@code r} if it may not be delivered at {@code nowMs}; returns whether it did. */
    boolean holdIfEarly(ConsumerRecord<byte[], byte[]> r, long nowMs) {
        Header h = r.headers().lastHeader(RecordMapping.DELIVERY_TIME);
        String deliveryTime = h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        if (JmsRecordValues.deliverableAt(deliveryTime, r.timestamp(), nowMs)) {
            return false; // also a missing or unreadable time: such a record was never meant to wait
        }
        entries.add(new Entry(r, Long.parseLong(deliveryTime), nextSequence++));
        return true;
    }

    /** Hands every record whose delivery time has come by {@code nowMs} to {@code sink}, earliest first. */
    void releaseDue(long nowMs, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        while (!entries.isEmpty() && entries.peek().dueAtMs() <= nowMs) {
            sink.accept(entries.poll().record());
        }
    }

    /** Milliseconds from {@code nowMs} until the earliest record is due (0 if one is), or Long.MAX_VALUE if none. */
    long msUntilNextDue(long nowMs) {
        Entry first = entries.peek();
        return first == null ? Long.MAX_VALUE : Math.max(0, first.dueAtMs() - nowMs);
    }

    /** Whether as many records are held as the subscriber may hold: stop fetching until some are due. */
    boolean isFull() {
        return entries.size() >= capacity;
    }

    int size() {
        return entries.size();
    }
}
