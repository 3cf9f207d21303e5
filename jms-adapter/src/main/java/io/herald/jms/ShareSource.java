package io.herald.jms;

import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Records of a share group (a queue, or a durable or shared subscription), through kafka-clients' {@code
 * KafkaShareConsumer} in explicit acknowledgement mode: the broker holds each record for this consumer alone until it
 * is accepted or released, and counts deliveries.
 *
 * <p>Design note: the share consumer demands that every record of one poll be acknowledged before the next poll. So
 * this source polls only when everything it handed out has been acknowledged; a CLIENT_ACKNOWLEDGE or transacted
 * session that holds more than {@code prefetch} unacknowledged messages of one consumer receives nothing more until it
 * acknowledges, commits or recovers (as ActiveMQ's prefetch limit does).
 *
 * <p>Thread-safety: confined to the session's thread, except {@link #wakeup}.
 */
final class ShareSource implements MessageSource {

    private static final long POLL_SLICE_MS = 100;

    private final KafkaShareConsumer<byte[], byte[]> consumer;
    private final Deque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
    private final List<ConsumerRecord<byte[], byte[]>> delivered = new ArrayList<>();
    private final String noLocalConnection;
    private final String group;
    private final String clientId;
    private Runnable onClose = () -> {};

    ShareSource(Properties base, String group, String topic, int prefetch, String noLocalConnection) {
        Properties p = new Properties();
        p.putAll(base);
        p.put("group.id", group);
        p.put("share.acknowledgement.mode", "explicit");
        p.put("max.poll.records", String.valueOf(prefetch));
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaShareConsumer<>(p);
        this.consumer.subscribe(List.of(topic));
        this.noLocalConnection = noLocalConnection;
        this.group = group;
        this.clientId = p.getProperty("client.id");
    }

    String clientId() {
        return clientId;
    }

    String group() {
        return group;
    }

    /** Runs {@code cleanup} after the consumer closed (selector removal, deletion of a per-consumer group). */
    void onClose(Runnable cleanup) {
        this.onClose = cleanup;
    }

    /**
     * Waits until this consumer is a member of its share group with an assignment: the broker then has initialized
     * the group's position, so a new subscription receives everything published from now on.
     *
     * @throws JMSException if that does not happen within {@code timeout}
     */
    void awaitJoined(Admin admin, Duration timeout) throws JMSException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        try {
            while (System.currentTimeMillis() < deadline) {
                if (!buffer.isEmpty()) {
                    return; // records came: the member has joined and fetched
                }
                consumer.poll(Duration.ofMillis(POLL_SLICE_MS)).forEach(buffer::add);
                try {
                    ShareGroupDescription d = admin.describeShareGroups(List.of(group))
                            .describedGroups()
                            .get(group)
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    boolean joined = d.members().stream()
                            .anyMatch(m -> clientId.equals(m.clientId())
                                    && !m.assignment().topicPartitions().isEmpty());
                    if (joined) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // not known yet: keep polling
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.of("Interrupted while subscribing", e);
        } catch (TimeoutException | RuntimeException e) {
            throw JmsErrors.of("Subscribing through share group " + group + " failed", e);
        }
        throw new JMSException("Subscribing through share group " + group + " did not complete within " + timeout);
    }

    @Override
    public ConsumerRecord<byte[], byte[]> next(long timeoutMs) throws JMSException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try {
            while (true) {
                ConsumerRecord<byte[], byte[]> r = buffer.poll();
                if (r != null) {
                    if (skip(r)) {
                        consumer.acknowledge(r, AcknowledgeType.ACCEPT);
                        continue;
                    }
                    delivered.add(r);
                    return r;
                }
                long remaining = deadline - System.currentTimeMillis();
                if (!delivered.isEmpty() || remaining <= 0) {
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

    /** Records the broker delivered that a JMS consumer must not see: expired, or its own with noLocal. */
    private boolean skip(ConsumerRecord<byte[], byte[]> r) {
        long expiration = RecordMapping.expirationOf(r);
        if (expiration != 0 && expiration <= System.currentTimeMillis()) {
            return true;
        }
        return noLocalConnection != null && noLocalConnection.equals(RecordMapping.connectionOf(r));
    }

    @Override
    public int deliveryCount(ConsumerRecord<byte[], byte[]> r) {
        return r.deliveryCount().map(Short::intValue).orElse(1);
    }

    @Override
    public void acceptOne(ConsumerRecord<byte[], byte[]> r, boolean now) throws JMSException {
        try {
            consumer.acknowledge(r, AcknowledgeType.ACCEPT);
            delivered.remove(r);
            if (now) {
                consumer.commitAsync();
            }
        } catch (RuntimeException e) {
            throw JmsErrors.of("Acknowledging failed", e);
        }
    }

    @Override
    public void releaseOne(ConsumerRecord<byte[], byte[]> r) throws JMSException {
        try {
            consumer.acknowledge(r, AcknowledgeType.RELEASE);
            delivered.remove(r);
            consumer.commitSync();
        } catch (RuntimeException e) {
            throw JmsErrors.of("Releasing failed", e);
        }
    }

    @Override
    public void acceptDelivered() throws JMSException {
        if (delivered.isEmpty()) {
            return;
        }
        try {
            for (ConsumerRecord<byte[], byte[]> r : delivered) {
                consumer.acknowledge(r, AcknowledgeType.ACCEPT);
            }
            delivered.clear();
            consumer.commitSync();
        } catch (RuntimeException e) {
            throw JmsErrors.of("Acknowledging failed", e);
        }
    }

    @Override
    public void releaseAll() throws JMSException {
        if (delivered.isEmpty() && buffer.isEmpty()) {
            return;
        }
        try {
            for (ConsumerRecord<byte[], byte[]> r : delivered) {
                consumer.acknowledge(r, AcknowledgeType.RELEASE);
            }
            for (ConsumerRecord<byte[], byte[]> r : buffer) {
                consumer.acknowledge(r, AcknowledgeType.RELEASE);
            }
            delivered.clear();
            buffer.clear();
            consumer.commitSync();
        } catch (RuntimeException e) {
            throw JmsErrors.of("Releasing failed", e);
        }
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        try {
            releaseAll();
        } catch (JMSException | RuntimeException e) {
            // closing: the broker releases what this member still holds when its session closes
        }
        consumer.close(Duration.ofSeconds(5));
        onClose.run();
    }
}
