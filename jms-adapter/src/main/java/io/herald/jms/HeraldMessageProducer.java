package io.herald.jms;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import java.util.UUID;

/**
 * A message producer: stamps the headers (message id, timestamp, expiration, delivery time, mode, priority) and sends
 * through its session (at once, or at commit in a transacted session).
 *
 * <p>Thread-safety: used by its session's thread, as the spec requires.
 */
final class HeraldMessageProducer implements QueueSender, TopicPublisher {

    private final HeraldSession session;
    private final HeraldDestination destination;
    private boolean disableMessageId;
    private boolean disableTimestamp;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive;
    private long deliveryDelay;
    private volatile boolean closed;

    HeraldMessageProducer(HeraldSession session, HeraldDestination destination) {
        this.session = session;
        this.destination = destination;
    }

    private void checkOpen() throws jakarta.jms.IllegalStateException {
        if (closed) {
            throw JmsErrors.closed("producer");
        }
    }

    @Override
    public void setDisableMessageID(boolean value) throws JMSException {
        checkOpen();
        disableMessageId = value;
    }

    @Override
    public boolean getDisableMessageID() throws JMSException {
        checkOpen();
        return disableMessageId;
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) throws JMSException {
        checkOpen();
        disableTimestamp = value;
    }

    @Override
    public boolean getDisableMessageTimestamp() throws JMSException {
        checkOpen();
        return disableTimestamp;
    }

    @Override
    public void setDeliveryMode(int deliveryMode) throws JMSException {
        checkOpen();
        if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("Unknown delivery mode " + deliveryMode);
        }
        this.deliveryMode = deliveryMode;
    }

    @Override
    public int getDeliveryMode() throws JMSException {
        checkOpen();
        return deliveryMode;
    }

    @Override
    public void setPriority(int priority) throws JMSException {
        checkOpen();
        checkPriority(priority);
        this.priority = priority;
    }

    private static void checkPriority(int priority) throws JMSException {
        if (priority < 0 || priority > 9) {
            throw new JMSException("Priority must be 0-9, got " + priority);
        }
    }

    @Override
    public int getPriority() throws JMSException {
        checkOpen();
        return priority;
    }

    @Override
    public void setTimeToLive(long timeToLive) throws JMSException {
        checkOpen();
        this.timeToLive = timeToLive;
    }

    @Override
    public long getTimeToLive() throws JMSException {
        checkOpen();
        return timeToLive;
    }

    @Override
    public void setDeliveryDelay(long deliveryDelay) throws JMSException {
        checkOpen();
        this.deliveryDelay = deliveryDelay;
    }

    @Override
    public long getDeliveryDelay() throws JMSException {
        checkOpen();
        return deliveryDelay;
    }

    @Override
    public Destination getDestination() throws JMSException {
        checkOpen();
        return destination;
    }

    @Override
    public Queue getQueue() throws JMSException {
        return (Queue) getDestination();
    }

    @Override
    public Topic getTopic() throws JMSException {
        return (Topic) getDestination();
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        session.asyncSends().checkNotInCallback("close a producer");
        session.awaitAsyncSends();
        closed = true;
        session.removeProducer(this);
    }

    @Override
    public void send(Message message) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        sendTo(requireDestination(), message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Destination destination, Message message) throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        sendTo(unidentified(destination), message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Message message, CompletionListener listener) throws JMSException {
        sendTo(requireDestination(), message, deliveryMode, priority, timeToLive, requireListener(listener));
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive, CompletionListener listener)
            throws JMSException {
        sendTo(requireDestination(), message, deliveryMode, priority, timeToLive, requireListener(listener));
    }

    @Override
    public void send(Destination destination, Message message, CompletionListener listener) throws JMSException {
        sendTo(unidentified(destination), message, deliveryMode, priority, timeToLive, requireListener(listener));
    }

    @Override
    public void send(
            Destination destination,
            Message message,
            int deliveryMode,
            int priority,
            long timeToLive,
            CompletionListener listener)
            throws JMSException {
        sendTo(unidentified(destination), message, deliveryMode, priority, timeToLive, requireListener(listener));
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send((Destination) queue, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send(topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send(topic, message, deliveryMode, priority, timeToLive);
    }

    private static CompletionListener requireListener(CompletionListener l) {
        if (l == null) {
            throw new IllegalArgumentException("The CompletionListener is null");
        }
        return l;
    }

    private HeraldDestination requireDestination() throws JMSException {
        checkOpen();
        if (destination == null) {
            throw new UnsupportedOperationException("This producer has no destination: name one in send");
        }
        return destination;
    }

    private HeraldDestination unidentified(Destination d) throws JMSException {
        checkOpen();
        if (destination != null) {
            throw new UnsupportedOperationException("This producer sends to " + destination + " only");
        }
        return HeraldDestination.check(d);
    }

    private void sendTo(
            HeraldDestination to, Message message, int mode, int prio, long ttl, CompletionListener listener)
            throws JMSException {
        if (message == null) {
            throw new jakarta.jms.MessageFormatException("The message is null");
        }
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("Unknown delivery mode " + mode);
        }
        checkPriority(prio);
        HeraldDestination.check(to);
        HeraldMessage m = message instanceof HeraldMessage h ? h : ForeignMessages.copy(message);
        long now = System.currentTimeMillis();
        m.setJMSDestination(to);
        m.setJMSDeliveryMode(mode);
        m.setJMSPriority(prio);
        m.setJMSTimestamp(disableTimestamp ? 0 : now);
        m.setJMSExpiration(ttl > 0 ? now + ttl : 0);
        m.setJMSDeliveryTime(now + deliveryDelay);
        m.setJMSMessageID(disableMessageId ? null : "ID:" + UUID.randomUUID());
        if (m != message) {
            message.setJMSDestination(to);
            message.setJMSDeliveryMode(mode);
            message.setJMSPriority(prio);
            message.setJMSTimestamp(m.getJMSTimestamp());
            message.setJMSExpiration(m.getJMSExpiration());
            message.setJMSDeliveryTime(m.getJMSDeliveryTime());
            message.setJMSMessageID(m.getJMSMessageID());
        }
        session.send(to, m, mode == DeliveryMode.PERSISTENT, message, listener);
    }
}
