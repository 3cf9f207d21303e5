package io.herald.jms;

import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Acknowledgements (design note): AUTO_ACKNOWLEDGE and DUPS_OK acknowledgements are recorded in the share consumer
 * when {@code receive} (or {@code onMessage}) returns and travel with the next ShareFetch, so draining a prefetch window
 * of {@code prefetch} records costs one round trip, which both acknowledges the window and acquires the next, instead
 * of one ShareAcknowledge per message (KafkaShareConsumer's own piggy-backing; ActiveMQ's AUTO acknowledgements are
 * likewise sent without waiting). So that an application that stops receiving does not leave acknowledged messages to
 * time out and come back, a shared timer sends pending acknowledgements on their own after {@link #ACK_FLUSH_MS}
 * without a fetch. A consumer crash between {@code receive} and that send redelivers at most the window's accepted
 * messages, flagged {@code JMSRedelivered} (the duplicate window the spec allows AUTO/DUPS_OK after a failure).
 *
 * <p>Prefetched records past most of their broker lock are not handed out but given back ({@link AcquisitionWindow}):
 * the broker may already have given them to another consumer, and a second first delivery would be a duplicate.
 *
 * <p>Thread-safety: used by the session's thread; {@link #wakeup} from any thread; the flush timer touches the share
 * consumer only under {@code lock} with {@code tryLock}, so never while the session's thread is inside it (the share
 * consumer allows one thread at a time, not one thread forever).
 */
final class ShareSource implements MessageSource {

    private static final long POLL_SLICE_MS = 100;

    /** Bytes of records one fetch may acquire unless {@code kafka.fetch.max.bytes} says otherwise. */
    static final int PREFETCH_MAX_BYTES = 1024 * 1024;

    /** How long accepted acknowledgements wait for a fetch to carry them before they are sent on their own. */
    static final long ACK_FLUSH_MS = 50;

    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "herald-jms-ack-flush");
        t.setDaemon(true);
        return t;
    });

    private final KafkaShareConsumer<byte[], byte[]> consumer;
    private final PrefetchBuffer buffer = new PrefetchBuffer();
    private final AcquisitionWindow window = new AcquisitionWindow();
    private final List<ConsumerRecord<byte[], byte[]>> delivered = new ArrayList<>();
    private final String noLocalConnection;
    private final String group;
    private final String clientId;
    private Runnable onClose = () -> {};
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledFuture<?> flushTask;
    /** Accepted records not yet sent to the broker; guarded by {@code lock}. */
    private int pendingAcks;
    /** When the oldest of {@code pendingAcks} was accepted; guarded by {@code lock}. */
    private long pendingSinceMs;

    ShareSource(Properties base, String group, String topic, int prefetch, String noLocalConnection) {
        Properties p = new Properties();
        p.putAll(base);
        p.put("group.id", group);
        p.put("share.acknowledgement.mode", "explicit");
        p.put("max.poll.records", String.valueOf(prefetch));
        // Bounds the prefetch window by bytes too (kafka-clients' default is 50 MiB), as Artemis's consumer window
        // does,
        // so that a prefetch of 500 large messages does not pull hundreds of MiB into one consumer.
        p.putIfAbsent("fetch.max.bytes", String.valueOf(PREFETCH_MAX_BYTES));
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaShareConsumer<>(p);
        this.consumer.subscribe(List.of(topic));
        this.noLocalConnection = noLocalConnection;
        this.group = group;
        this.clientId = p.getProperty("client.id");
        this.flushTask =
                FLUSHER.scheduleWithFixedDelay(this::flushIdle, ACK_FLUSH_MS, ACK_FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    /** Sends acknowledgements no fetch has carried for {@link #ACK_FLUSH_MS}; skipped while the session polls. */
    private void flushIdle() {
        if (!lock.tryLock()) {
            return; // the session's thread is in the consumer: its poll carries them
        }
        try {
            if (pendingAcks > 0 && System.currentTimeMillis() - pendingSinceMs >= ACK_FLUSH_MS) {
                consumer.commitAsync();
                pendingAcks = 0;
            }
        } catch (RuntimeException e) {
            // closed meanwhile, or the broker is away: the next poll or commit carries them
        } finally {
            lock.unlock();
        }
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
                lock.lock();
                try {
                    fetch(POLL_SLICE_MS);
                } finally {
                    lock.unlock();
                }
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
        lock.lock();
        try {
            while (true) {
                ConsumerRecord<byte[], byte[]> r = buffer.poll();
                if (r != null && window.runningOut(System.currentTimeMillis(), consumer.acquisitionLockTimeoutMs())) {
                    giveBackWindow(r);
                    continue;
                }
                if (r != null) {
                    if (skip(r)) {
                        consumer.acknowledge(r, AcknowledgeType.ACCEPT);
                        notePending();
                        continue;
                    }
                    delivered.add(r);
                    return r;
                }
                long remaining = deadline - System.currentTimeMillis();
                if (!delivered.isEmpty() || remaining <= 0) {
                    return null;
                }
                pendingAcks = 0; // the poll carries them
                fetch(Math.min(remaining, POLL_SLICE_MS));
            }
        } catch (WakeupException e) {
            return null;
        } catch (RuntimeException e) {
            throw JmsErrors.of("Receiving failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** Polls once into the buffer (which is empty), noting when the records came. Caller holds {@code lock}. */
    private void fetch(long timeoutMs) {
        long startedAt = System.currentTimeMillis();
        consumer.poll(Duration.ofMillis(timeoutMs)).forEach(buffer::add);
        window.polled(startedAt, !buffer.isEmpty());
    }

    /**
     * Gives back {@code first} and the rest of the buffer: their lock is running out (see {@link AcquisitionWindow}),
     * and the broker may already have given them to another consumer. Those it has not come back to a consumer
     * flagged redelivered. The acceptances recorded so far go first, on their own: the broker refuses a batch of
     * acknowledgements if one record of it is no longer this consumer's, and must not refuse those with the
     * releases. Caller holds {@code lock}.
     */
    private void giveBackWindow(ConsumerRecord<byte[], byte[]> first) {
        if (pendingAcks > 0) {
            consumer.commitSync();
            pendingAcks = 0;
        }
        consumer.acknowledge(first, AcknowledgeType.RELEASE);
        for (ConsumerRecord<byte[], byte[]> r : buffer.records()) {
            consumer.acknowledge(r, AcknowledgeType.RELEASE);
        }
        buffer.clear();
        consumer.commitSync(); // refusals come back in the result, not thrown: nothing to do about records gone
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

    private void notePending() {
        if (pendingAcks++ == 0) {
            pendingSinceMs = System.currentTimeMillis();
        }
    }

    /**
     * Accepts {@code r}; the acknowledgement goes with the next fetch, or on its own after {@link #ACK_FLUSH_MS} (see
     * the class note). {@code now} is no longer different: AUTO and DUPS_OK both batch.
     */
    @Override
    public void acceptOne(ConsumerRecord<byte[], byte[]> r, boolean now) throws JMSException {
        lock.lock();
        try {
            consumer.acknowledge(r, AcknowledgeType.ACCEPT);
            delivered.remove(r);
            notePending();
        } catch (RuntimeException e) {
            throw JmsErrors.of("Acknowledging failed", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void releaseOne(ConsumerRecord<byte[], byte[]> r) throws JMSException {
        lock.lock();
        try {
            consumer.acknowledge(r, AcknowledgeType.RELEASE);
            delivered.remove(r);
            consumer.commitSync();
            pendingAcks = 0;
        } catch (RuntimeException e) {
            throw JmsErrors.of("Releasing failed", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void acceptDelivered() throws JMSException {
        lock.lock();
        try {
            if (delivered.isEmpty()) {
                return;
            }
            for (ConsumerRecord<byte[], byte[]> r : delivered) {
                consumer.acknowledge(r, AcknowledgeType.ACCEPT);
            }
            delivered.clear();
            consumer.commitSync();
            pendingAcks = 0;
        } catch (RuntimeException e) {
            throw JmsErrors.of("Acknowledging failed", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases the delivered and the prefetched-but-undelivered records at once, so that other consumers get them
     * (recover, rollback, close) instead of waiting for their acquisition lock to run out.
     */
    @Override
    public void releaseAll() throws JMSException {
        lock.lock();
        try {
            if (delivered.isEmpty() && buffer.isEmpty() && pendingAcks == 0) {
                return;
            }
            markReleased();
            consumer.commitSync();
            pendingAcks = 0;
        } catch (RuntimeException e) {
            throw JmsErrors.of("Releasing failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** Marks the delivered and the prefetched records released (sent with the next commit or at close); under lock. */
    private void markReleased() {
        for (ConsumerRecord<byte[], byte[]> r : delivered) {
            consumer.acknowledge(r, AcknowledgeType.RELEASE);
        }
        for (ConsumerRecord<byte[], byte[]> r : buffer.records()) {
            consumer.acknowledge(r, AcknowledgeType.RELEASE);
        }
        delivered.clear();
        buffer.clear();
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        flushTask.cancel(false);
        lock.lock();
        try {
            try {
                markReleased();
            } catch (RuntimeException e) {
                // closing: the broker releases what this member still holds when its session closes
            }
            // close() sends the pending acknowledgements (releases and AUTO accepts) itself; a commitSync just before
            // it made close() wait out its whole timeout, so closing a consumer, session or connection took 5 s.
            consumer.close(Duration.ofSeconds(5));
        } finally {
            lock.unlock();
        }
        onClose.run();
    }
}
