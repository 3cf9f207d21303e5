package io.herald.jms;

import jakarta.jms.JMSException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where one consumer's records come from, and what acknowledging them means there.
 *
 * <p>Thread-safety: used by one thread at a time (the session's), as the kafka-clients consumers behind it require;
 * {@link #wakeup} may be called from any thread.
 */
interface MessageSource extends AutoCloseable {

    /** The next record, or null if none came within {@code timeoutMs}. */
    ConsumerRecord<byte[], byte[]> next(long timeoutMs) throws JMSException;

    /** How often {@code r} has been delivered, this delivery included. */
    int deliveryCount(ConsumerRecord<byte[], byte[]> r);

    /**
     * Acknowledges one delivered record (AUTO and DUPS_OK): sent at once without waiting for the answer if {@code
     * now} (AUTO), else with the next fetch or commit (DUPS_OK, lazily, as the spec allows).
     */
    void acceptOne(ConsumerRecord<byte[], byte[]> r, boolean now) throws JMSException;

    /** Gives one delivered record back at once (a listener threw in AUTO mode). */
    void releaseOne(ConsumerRecord<byte[], byte[]> r) throws JMSException;

    /** Acknowledges every record delivered so far (CLIENT acknowledge, commit). */
    void acceptDelivered() throws JMSException;

    /** Gives back every record delivered or fetched and not acknowledged (recover, rollback). */
    void releaseAll() throws JMSException;

    /** Interrupts a blocking {@link #next}. */
    void wakeup();

    @Override
    void close();
}
