package io.herald.jms;

import io.herald.selector.JmsRecordValues;
import io.herald.selector.MessageSelector;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One enumeration of a {@code QueueBrowser}: the messages of the queue between its share group's start offset and the
 * end offsets of the moment the enumeration began, in log order per partition, read by a plain consumer without a
 * group, so nothing is acquired and consumers still receive every one of them. Records are fetched as {@link
 * #hasMoreElements} needs them; expired ones and those the selector rejects are skipped.
 *
 * <p>Design note: the end offsets are read once, at creation, so an enumeration is a snapshot and ends even while
 * producers keep writing. With {@code read_committed} they are the last stable offsets: an open transaction's
 * records are not shown, as consumers would not get them yet either.
 *
 * <p>Thread-safety: used by one thread at a time (the session's), as {@code KafkaConsumer} demands; {@link #close} may
 * be called from any thread.
 */
final class QueueSnapshot implements Enumeration<Message>, AutoCloseable {

    private static final Duration POLL_SLICE = Duration.ofMillis(100);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Queue queue;
    private final MessageSelector selector;
    private final Duration timeout;
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private final Deque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
    private volatile boolean closed;
    private boolean consumerClosed; // guarded by this

    private QueueSnapshot(
            KafkaConsumer<byte[], byte[]> consumer, Queue queue, MessageSelector selector, Duration timeout) {
        this.consumer = consumer;
        this.queue = queue;
        this.selector = selector;
        this.timeout = timeout;
    }

    /**
     * Fixes the range to show: per partition from the later of the log start and {@code group}'s start offset to the
     * current end.
     *
     * @param selector the compiled selector, or null for every message
     * @throws JMSException if the brokers do not tell the partitions or offsets within {@code timeout}
     */
    static QueueSnapshot open(
            Properties base,
            Admin admin,
            String topic,
            String group,
            Queue queue,
            MessageSelector selector,
            Duration timeout)
            throws JMSException {
        Properties p = new Properties();
        p.putAll(base);
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(p);
        } catch (RuntimeException e) {
            throw JmsErrors.of("Cannot create the browser's consumer", e);
        }
        QueueSnapshot s = new QueueSnapshot(consumer, queue, selector, timeout);
        try {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo i : consumer.partitionsFor(topic, timeout)) {
                tps.add(new TopicPartition(topic, i.partition()));
            }
            // assigned while offsets are listed: read_committed end offsets update the assignment's stable offsets
            consumer.assign(tps);
            Map<TopicPartition, Long> groupStarts = ShareGroupStartOffsets.of(admin, group, tps, timeout);
            Map<TopicPartition, Long> logStarts = consumer.beginningOffsets(tps, timeout);
            Map<TopicPartition, Long> logEnds = consumer.endOffsets(tps, timeout);
            List<TopicPartition> assigned = new ArrayList<>();
            Map<TopicPartition, Long> starts = new HashMap<>();
            for (TopicPartition tp : tps) {
                long start = Math.max(logStarts.getOrDefault(tp, 0L), groupStarts.getOrDefault(tp, 0L));
                long end = logEnds.getOrDefault(tp, 0L);
                if (start < end) {
                    assigned.add(tp);
                    starts.put(tp, start);
                    s.ends.put(tp, end);
                }
            }
            consumer.assign(assigned);
            starts.forEach(consumer::seek);
        } catch (RuntimeException e) {
            s.close();
            throw JmsErrors.of("Cannot browse queue " + topic, e);
        }
        return s;
    }

    @Override
    public boolean hasMoreElements() {
        try {
            return fill();
        } catch (WakeupException e) {
            close(); // closed from another thread while this one polled
            return false;
        } catch (RuntimeException e) {
            close();
            throw JmsErrors.runtime(JmsErrors.of("Browsing " + queue + " failed", e));
        }
    }

    /** Polls until a shown record is buffered or every partition reached its end; false at the end. */
    private boolean fill() {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        if (closed) {
            buffer.clear();
            close();
            return false;
        }
        while (buffer.isEmpty()) {
            if (closed || ends.isEmpty()) {
                close();
                return false;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new org.apache.kafka.common.errors.TimeoutException(
                        "No records from " + ends.keySet() + " within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL_SLICE)) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                Long end = ends.get(tp);
                if (end != null && r.offset() < end && shows(r)) {
                    buffer.add(r);
                }
            }
            // read_committed skips transaction markers and aborted records: the position, not the last record,
            // tells that a partition is done.
            for (TopicPartition tp : List.copyOf(ends.keySet())) {
                if (consumer.position(tp, timeout) >= ends.get(tp)) {
                    ends.remove(tp);
                    consumer.pause(List.of(tp));
                }
            }
        }
        return true;
    }

    private boolean shows(ConsumerRecord<byte[], byte[]> r) {
        long expiration = RecordMapping.expirationOf(r);
        if (expiration != 0 && expiration <= System.currentTimeMillis()) {
            return false;
        }
        if (selector == null) {
            return true;
        }
        JmsRecordValues values = JmsRecordValues.of(r.topic(), r.partition(), r.offset(), r.timestamp(), 1);
        for (Header h : r.headers()) {
            values.header(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return selector.matches(values);
    }

    @Override
    public Message nextElement() {
        if (!hasMoreElements()) {
            throw new NoSuchElementException("No more messages in this browse of " + queue);
        }
        try {
            HeraldMessage m = RecordMapping.fromRecord(buffer.poll(), queue, 1);
            m.received(() -> {}); // browsing acknowledges nothing
            return m;
        } catch (JMSException e) {
            throw JmsErrors.runtime(e);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Ends this enumeration. From another thread while the browsing one polls (a session closed from elsewhere), the
     * consumer cannot be closed here: it is woken up and the browsing thread closes it.
     */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (consumerClosed) {
                return;
            }
            try {
                consumer.close(Duration.ofSeconds(5));
                consumerClosed = true;
            } catch (ConcurrentModificationException e) {
                consumer.wakeup();
            }
        }
    }
}
