package io.herald.jms;

import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One member of a classic consumer group that exists only to be alive: while it heartbeats, the broker knows the
 * connection is there (the reaper of temporary destinations, the one-member cap of a client-id group, the console's
 * list of connections).
 *
 * <p>Design note: it subscribes to a pattern that matches no topic, so it joins the group but is assigned, fetches and
 * commits nothing. Its session timeout ({@value #SESSION_TIMEOUT_MS} ms) is how soon the broker notices a connection
 * whose process died; {@code max.poll.interval.ms} is never reached, and polls (every {@link ConnectionPresence}
 * loop) complete the rebalances that a coordinator move or a status refresh starts.
 *
 * <p>Thread-safety: not thread-safe (a Kafka consumer): used by one thread at a time, handed over with a
 * happens-before edge; {@link #wakeup} may be called from any thread.
 */
final class PresenceMember implements AutoCloseable {

    static final int SESSION_TIMEOUT_MS = 10_000;
    /** Java regex that no topic name matches (an always-failing lookahead). */
    private static final Pattern NO_TOPIC = Pattern.compile("(?!)");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String group;
    private volatile boolean joined;

    private PresenceMember(KafkaConsumer<byte[], byte[]> consumer, String group) {
        this.consumer = consumer;
        this.group = group;
    }

    /** A member of {@code group} (not yet joined: see {@link #poll}) that reports {@code status} to the broker. */
    static PresenceMember create(Properties base, String group, Supplier<byte[]> status) {
        Properties p = new Properties();
        p.putAll(base);
        p.put("group.id", group);
        p.put("group.protocol", "classic");
        p.put("session.timeout.ms", String.valueOf(SESSION_TIMEOUT_MS));
        p.put("heartbeat.interval.ms", String.valueOf(SESSION_TIMEOUT_MS / 4));
        p.put("max.poll.interval.ms", String.valueOf(Integer.MAX_VALUE));
        p.put("enable.auto.commit", "false");
        p.put("allow.auto.create.topics", "false");
        p.put("partition.assignment.strategy", PresenceAssignor.class.getName());
        p.put(PresenceAssignor.STATUS_CONFIG, status);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        PresenceMember m = new PresenceMember(consumer, group);
        consumer.subscribe(NO_TOPIC, m.new Joined());
        return m;
    }

    String group() {
        return group;
    }

    /** Whether the member completed a join (it stays a member until closed or its process dies). */
    boolean joined() {
        return joined;
    }

    /**
     * Drives the membership for up to {@code timeout}: joins, heartbeats' rejoins.
     *
     * @throws org.apache.kafka.common.errors.GroupMaxSizeReachedException if the broker refuses the member (a
     *     client-id group already has its one member)
     */
    void poll(Duration timeout) {
        consumer.poll(timeout);
    }

    /** Makes the member rejoin, which sends the broker a fresh status. */
    void refreshStatus() {
        consumer.enforceRebalance("the connection's status changed");
    }

    void wakeup() {
        consumer.wakeup();
    }

    /** Leaves the group (LeaveGroup: the broker forgets the member at once). */
    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** Marks the member joined: called after each successful rebalance, also with nothing assigned. */
    private final class Joined implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // nothing is ever assigned
        }
    }
}
