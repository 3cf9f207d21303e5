package io.herald.jms;

import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * the subscriber is created (so it sees what is published after), without a group. Recovery seeks back to the first
 * record not acknowledged; those come again flagged redelivered.
 *
 * <p>Thread-safety: confined to the session's thread, except {@link #wakeup}.
 */
final class TopicSource implements MessageSource {

    private static final long POLL_SLICE_MS = 100;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PrefetchBuffer buffer = new PrefetchBuffer();
    private final List<ConsumerRecord<byte[], byte[]>> delivered = new ArrayList<>();
    private final Set<String> redelivering = new HashSet<>();
    private final String noLocalConnection;

    TopicSource(Properties base, String topic, String noLocalConnection, Duration timeout) {
        Properties p = new Properties();
        p.putAll(base);
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.noLocalConnection = noLocalConnection;
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
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
                long remaining = deadline - System.currentTimeMillis();
                if (remaining <= 0) {
                    return null;
                }
                consumer.poll(Duration.ofMillis(Math.min(remaining, POLL_SLICE_MS)))
                        .forEach(buffer::add);
            }
        } catch (WakeupException e) {
            return null;
        } catch (RuntimeException e) {
            throw JmsErrors.of("Receiving failed", e);
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

    @Override
    public void releaseAll() {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : delivered) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
            redelivering.add(r.partition() + ":" + r.offset());
        }
        for (ConsumerRecord<byte[], byte[]> r : buffer.records()) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        delivered.clear();
        buffer.clear();
        first.forEach(consumer::seek);
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
