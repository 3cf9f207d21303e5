package io.herald.jms;

import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a connection's temporary destinations alive on the broker: a member of classic consumer group {@code
 * jms.owner.<connection id>} subscribed to them, whose heartbeats stop when the connection's process dies; the
 * broker's {@code TemporaryDestinationReaper} then deletes every {@code jms.temp.<connection id>.*} topic.
 *
 * <p>Design note: the member exists only to be alive. It pauses every partition it is assigned, so it fetches no
 * records, commits nothing, and a poll of its own thread every {@link #POLL} keeps it in the group
 * ({@code max.poll.interval.ms} is never reached) and completes rebalances when the subscription changes. Its
 * session timeout ({@value #SESSION_TIMEOUT_MS} ms) is how soon the broker notices a dead connection.
 *
 * <p>Thread-safety: thread-safe; the consumer is used by the owner's thread only, the others hand it subscriptions.
 */
final class TemporaryDestinationOwner implements AutoCloseable {

    static final int SESSION_TIMEOUT_MS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(TemporaryDestinationOwner.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean subscriptionChanged;
    private volatile boolean closed;

    private TemporaryDestinationOwner(Properties base, String group, String name) {
        Properties p = new Properties();
        p.putAll(base);
        p.put("group.id", group);
        p.put("group.protocol", "classic");
        p.put("session.timeout.ms", String.valueOf(SESSION_TIMEOUT_MS));
        p.put("heartbeat.interval.ms", String.valueOf(SESSION_TIMEOUT_MS / 4));
        p.put("max.poll.interval.ms", String.valueOf(Integer.MAX_VALUE));
        p.put("enable.auto.commit", "false");
        p.put("allow.auto.create.topics", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** The owner of group {@code group}, with its thread started. */
    static TemporaryDestinationOwner start(Properties base, String group, String threadName) {
        TemporaryDestinationOwner o = new TemporaryDestinationOwner(base, group, threadName);
        o.thread.start();
        return o;
    }

    private void run() {
        boolean subscribed = false;
        try {
            while (!closed) {
                if (subscriptionChanged) {
                    subscriptionChanged = false;
                    List<String> topics = List.copyOf(wanted);
                    if (topics.isEmpty()) {
                        consumer.unsubscribe();
                        assigned.clear();
                    } else {
                        consumer.subscribe(topics, new PauseAll());
                    }
                    subscribed = !topics.isEmpty();
                }
                if (subscribed) {
                    consumer.poll(POLL);
                } else {
                    idle(); // a consumer without subscription must not poll
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn(
                        "The owner of temporary destinations {} stopped: they live until the connection" + " closes",
                        wanted,
                        e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void idle() {
        if (!subscriptionChanged && !closed) {
            try {
                wait(POLL.toMillis());
            } catch (InterruptedException e) {
                closed = true;
            }
        }
    }

    /** Pauses what it is given: the member only needs to exist, not to read. */
    private final class PauseAll implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumer.pause(partitions);
            assigned.addAll(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
        }
    }

    /**
     * Owns {@code topic} from now on: returns once the member holds it (the broker then sees a live owner).
     *
     * @throws JMSException if that does not happen within {@code timeout}
     */
    void own(String topic, Duration timeout) throws JMSException {
        wanted.add(topic);
        synchronized (this) {
            subscriptionChanged = true;
            notifyAll();
        }
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (assigned.stream().noneMatch(tp -> tp.topic().equals(topic))) {
            if (closed || System.currentTimeMillis() > deadline || !thread.isAlive()) {
                throw new JMSException("The connection could not register itself as the owner of temporary"
                        + " destination " + topic + " within " + timeout);
            }
            synchronized (this) {
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw JmsErrors.of("Interrupted while creating temporary destination " + topic, e);
                }
            }
        }
    }

    /** Gives {@code topic} up (it was deleted). */
    void disown(String topic) {
        if (wanted.remove(topic)) {
            subscriptionChanged = true;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
