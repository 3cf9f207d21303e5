package io.herald.jms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The records a consumer fetched and has not handed to the application yet, handed out highest JMS priority first
 * and, within a priority, in the order they came: the spec's best effort at priority ordering (section 3.4.10),
 * within what one consumer holds — a message of priority 9 fetched with a backlog of priority-4 ones overtakes them,
 * one not yet fetched does not. Records from Kafka clients, without a priority, count as 4 (the default).
 *
 * <p>Thread-safety: not thread-safe; its consumer's lock guards it.
 */
final class PrefetchBuffer {

    private record Entry(ConsumerRecord<byte[], byte[]> record, int priority, long sequence) {}

    private final PriorityQueue<Entry> entries = new PriorityQueue<>(
            Comparator.comparingInt((Entry e) -> -e.priority()).thenComparingLong(Entry::sequence));
    private long nextSequence;
    private long firstSequence;

    /** Adds a fetched record behind those of its priority. */
    void add(ConsumerRecord<byte[], byte[]> r) {
        entries.add(new Entry(r, RecordMapping.priorityOf(r), nextSequence++));
    }

    /** Puts a record given back before those of its priority (it was handed out before them). */
    void addFirst(ConsumerRecord<byte[], byte[]> r) {
        entries.add(new Entry(r, RecordMapping.priorityOf(r), --firstSequence));
    }

    /** The next record to hand out, or null. */
    ConsumerRecord<byte[], byte[]> poll() {
        Entry e = entries.poll();
        return e == null ? null : e.record();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Every record held, in no particular order. */
    List<ConsumerRecord<byte[], byte[]>> records() {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(e.record()));
        return out;
    }

    void clear() {
        entries.clear();
    }
}
