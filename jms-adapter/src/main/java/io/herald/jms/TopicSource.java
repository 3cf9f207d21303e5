package io.herald.jms;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Records of a topic for a non-durable subscriber: a plain consumer of every partition, positioned at the end when
 * the subscriber is created (so it sees what is published after), without a group. A record fetched before its
 * delivery time waits in {@link DelayedRecords} while the due ones behind it go on. Recovery hands the delivered and
 * not acknowledged records out again, first and flagged redelivered, from memory: seeking back would fetch again
 * records acknowledged since, or held as delayed.
 *
 * <p>Thread-safety: confined to the session's thread, except {@link #wakeup}.
 */
final class TopicSource implements MessageSource {

    private static final long POLL_SLICE_MS = 100;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PrefetchBuffer buffer = new PrefetchBuffer();
    private final DelayedRecords delayed;
    private final List<ConsumerRecord<byte[], byte[]>> delivered = new ArrayList<>();
    private final Set<String> redelivering = new HashSet<>();
    private final String noLocalConnection;
    private boolean paused;

    /**
     * @throws InvalidDestinationException if the topic does not exist (and the broker does not create it)
     */
    TopicSource(Properties base, String topic, String noLocalConnection, Duration timeout, int delayedCapacity)
            throws InvalidDestinationException {
        Properties p = new Properties();
        p.putAll(base);
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.noLocalConnection = noLocalConnection;
        this.delayed = new DelayedRecords(delayedCapacity);
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos.isEmpty()) {
            // partitionsFor asks with auto-creation allowed: nothing back means the broker has no such topic and
            // creates none; a subscriber assigned to nothing would wait forever instead.
            consumer.close(Duration.ZERO);
            throw new InvalidDestinationException("Topic " + topic + " does not exist");
        }
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo i : infos) {
            tps.add(new TopicPartition(topic, i.partition()));
        }
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(tp -> consumer.position(tp, timeout)); // fixes the start now, not at the first poll
    }

    @Override
    public ConsumerRecord<byte[], byte[]> next(long timeoutMs) throws JMSException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try {
            while (true) {
                delayed.releaseDue(System.currentTimeMillis(), buffer::add);
                ConsumerRecord<byte[], byte[]> r = buffer.poll();
                if (r != null) {
                    long expiration = RecordMapping.expirationOf(r);
                    if ((expiration != 0 && expiration <= System.currentTimeMillis())
                            || (noLocalConnection != null && noLocalConnection.equals(RecordMapping.connectionOf(r)))) {
                        continue;
                    }
                    delivered.add(r);
                    return r;
                }
                long now = System.currentTimeMillis();
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return null;
                }
                pauseWhileFull();
                long wait = Math.min(Math.min(remaining, POLL_SLICE_MS), delayed.msUntilNextDue(now));
                for (ConsumerRecord<byte[], byte[]> fetched : consumer.poll(Duration.ofMillis(Math.max(1, wait)))) {
                    if (!delayed.holdIfEarly(fetched, System.currentTimeMillis())) {
                        buffer.add(fetched);
                    }
                }
            }
        } catch (WakeupException e) {
            return null;
        } catch (RuntimeException e) {
            throw JmsErrors.of("Receiving failed", e);
        }
    }

    /** Stops fetching while the delayed records fill their bound, so that memory stays bounded; nothing is dropped. */
    private void pauseWhileFull() {
        if (delayed.isFull() != paused) {
            paused = !paused;
            if (paused) {
                consumer.pause(consumer.assignment());
            } else {
                consumer.resume(consumer.assignment());
            }
        }
    }

    @Override
    public int deliveryCount(ConsumerRecord<byte[], byte[]> r) {
        return redelivering.contains(r.partition() + ":" + r.offset()) ? 2 : 1;
    }

    @Override
    public void acceptOne(ConsumerRecord<byte[], byte[]> r, boolean now) {
        delivered.remove(r);
        redelivering.remove(r.partition() + ":" + r.offset());
    }

    @Override
    public void releaseOne(ConsumerRecord<byte[], byte[]> r) {
        delivered.remove(r);
        buffer.addFirst(r);
        redelivering.add(r.partition() + ":" + r.offset());
    }

    @Override
    public void acceptDelivered() {
        delivered.forEach(r -> redelivering.remove(r.partition() + ":" + r.offset()));
        delivered.clear();
    }

    /** Puts the delivered records back before the prefetched ones, first delivered first, flagged redelivered. */
    @Override
    public void releaseAll() {
        for (int i = delivered.size() - 1; i >= 0; i--) {
            ConsumerRecord<byte[], byte[]> r = delivered.get(i);
            buffer.addFirst(r);
            redelivering.add(r.partition() + ":" + r.offset());
        }
        delivered.clear();
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
