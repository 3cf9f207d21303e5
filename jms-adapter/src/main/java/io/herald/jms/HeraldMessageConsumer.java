package io.herald.jms;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A message consumer of a queue or a topic subscription: receives synchronously, or through its session's delivery
 * thread when it has a {@link MessageListener}; acknowledges as its session's mode says.
 *
 * <p>Thread-safety: used by its session's thread (the application's, or the session's delivery thread), as the spec
 * requires; {@link #close} may come from another thread.
 */
final class HeraldMessageConsumer implements QueueReceiver, TopicSubscriber {

    private final HeraldSession session;
    private final HeraldDestination destination;
    private final MessageSource source;
    private final String selector;
    private final boolean noLocal;
    private volatile MessageListener listener;
    private volatile boolean closed;

    HeraldMessageConsumer(
            HeraldSession session,
            HeraldDestination destination,
            MessageSource source,
            String selector,
            boolean noLocal) {
        this.session = session;
        this.destination = destination;
        this.source = source;
        this.selector = selector;
        this.noLocal = noLocal;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        this.listener = listener;
        if (listener != null) {
            session.startDelivery();
        }
    }

    MessageListener listener() {
        return listener;
    }

    @Override
    public Message receive() throws JMSException {
        while (!closed) {
            Message m = receive(1000);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        if (timeout == 0) {
            return receive();
        }
        checkOpen();
        if (listener != null) {
            throw new jakarta.jms.IllegalStateException("This consumer has a MessageListener: receive is not allowed");
        }
        return next(timeout, true);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        checkOpen();
        return next(1, true);
    }

    /**
     * The next message within {@code timeoutMs} once the connection is started, acknowledged at once in AUTO and
     * DUPS_OK mode if {@code ackNow} (a listener's is acknowledged after onMessage).
     */
    HeraldMessage next(long timeoutMs, boolean ackNow) throws JMSException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        HeraldConnection connection = session.connection();
        while (true) {
            if (!connection.awaitStarted(deadline)) {
                return null;
            }
            synchronized (this) {
                if (closed) {
                    return null;
                }
                ConsumerRecord<byte[], byte[]> r = givenBack;
                givenBack = null;
                if (r == null) {
                    r = source.next(Math.max(1, deadline - System.currentTimeMillis()));
                }
                if (r == null) {
                    return null;
                }
                if (!connection.beginDelivery()) {
                    givenBack = r; // stop() came while this waited: the message waits for start (6.1.5)
                    continue;
                }
                try {
                    HeraldMessage m = RecordMapping.fromRecord(r, destination, source.deliveryCount(r));
                    m.received(session::acknowledgeClient);
                    session.delivered(this);
                    if (!session.acknowledgesEach()) {
                        unacknowledged = true;
                    }
                    if (ackNow && session.acknowledgesEach()) {
                        source.acceptOne(r, session.getAcknowledgeMode() == jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                    } else {
                        lastDelivered = r;
                    }
                    return m;
                } finally {
                    connection.endDelivery();
                }
            }
        }
    }

    private ConsumerRecord<byte[], byte[]> lastDelivered;

    /** CLIENT_ACKNOWLEDGE or transacted: a message went to the application and the session has not acknowledged it. */
    private volatile boolean unacknowledged;

    /** A record receiveBody gave back (AUTO, DUPS_OK): the next receive delivers it again, first (JMS 8.6). */
    private ConsumerRecord<byte[], byte[]> givenBack;

    /**
     * The next message for receiveBody (JMS 8.6), acknowledged as receive's would be when its body can be returned as
     * {@code type}. When it cannot (a plain or stream message, no body, another type) this throws
     * MessageFormatException; in AUTO and DUPS_OK mode the message is then given back unacknowledged and delivered
     * again before any other, not as a redelivery; in CLIENT and transacted mode it counts as delivered.
     */
    HeraldMessage nextWithBody(long timeoutMs, Class<?> type) throws JMSException {
        checkOpen();
        if (listener != null) {
            throw new jakarta.jms.IllegalStateException("This consumer has a MessageListener: receive is not allowed");
        }
        HeraldMessage m = next(timeoutMs, false);
        if (m == null) {
            return null;
        }
        boolean returnable = !(m instanceof HeraldStreamMessage)
                && m.getClass() != HeraldMessage.class
                && m.bodyObject() != null
                && m.isBodyAssignableTo(type);
        if (returnable) {
            afterListener(true);
            return m;
        }
        synchronized (this) {
            if (session.acknowledgesEach()) {
                givenBack = lastDelivered;
                lastDelivered = null;
            }
        }
        throw new jakarta.jms.MessageFormatException(
                "receiveBody: the message has no body that can be returned as " + type.getName());
    }

    /** After a listener returned (AUTO, DUPS_OK): acknowledges; after it threw: gives the message back. */
    synchronized void afterListener(boolean ok) throws JMSException {
        ConsumerRecord<byte[], byte[]> r = lastDelivered;
        lastDelivered = null;
        if (r == null || !session.acknowledgesEach()) {
            return;
        }
        if (ok) {
            source.acceptOne(r, session.getAcknowledgeMode() == jakarta.jms.Session.AUTO_ACKNOWLEDGE);
        } else {
            source.releaseOne(r);
        }
    }

    synchronized void acceptDelivered() throws JMSException {
        lastDelivered = null;
        source.acceptDelivered();
        acknowledgedOrReleased();
    }

    synchronized void releaseAll() throws JMSException {
        lastDelivered = null;
        source.releaseAll();
        acknowledgedOrReleased();
    }

    /** After the session acknowledged, committed, recovered or rolled back: a close waiting for that completes. */
    private void acknowledgedOrReleased() {
        unacknowledged = false;
        if (closed) {
            closeNow();
        }
    }

    /**
     * Closes the consumer. In CLIENT_ACKNOWLEDGE and transacted mode the messages it delivered are acknowledged (or
     * rolled back) by the session, before or after this close (JMS 8.8): if some are not yet, the source stays open
     * until the session does that, or closes.
     */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        if (unacknowledged) {
            return; // no wakeup: the consumer's next call (the session's acknowledge or commit) would fail with it
        }
        closeNow();
    }

    /** Closes the source now, releasing what it holds unacknowledged (session close). */
    void closeNow() {
        closed = true;
        source.wakeup();
        synchronized (this) {
            source.close();
        }
        session.removeConsumer(this);
    }

    boolean isClosed() {
        return closed;
    }

    private void checkOpen() throws jakarta.jms.IllegalStateException {
        if (closed) {
            throw JmsErrors.closed("consumer");
        }
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        if (destination instanceof Queue q) {
            return q;
        }
        throw new jakarta.jms.IllegalStateException("This consumer reads a topic");
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        if (destination instanceof Topic t) {
            return t;
        }
        throw new jakarta.jms.IllegalStateException("This consumer reads a queue");
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return noLocal;
    }

    Destination destination() {
        return destination;
    }
}
