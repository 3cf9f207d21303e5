package io.herald.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import jakarta.jms.TransactionRolledBackException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session: a factory of producers, consumers and messages, the unit of acknowledgement and of transactions.
 *
 * <p>Design note: a transacted session keeps its sends in memory until {@link #commit}, which writes them and waits
 * for the broker, then accepts every message received in the transaction; {@link #rollback} drops the sends and
 * releases the received messages, which the broker delivers again with a higher delivery count. A crash before commit
 * loses no received message (the broker releases them when the consumer's session ends) and publishes none of the
 * sends. The commit itself is not atomic across destinations: a failure between writing the sends and accepting the
 * received messages may deliver the received ones again (flagged redelivered).
 *
 * <p>Listeners run on one delivery thread per session, so a session's listeners never run concurrently, as the spec
 * requires.
 *
 * <p>Thread-safety: a session is used by one thread at a time, as the spec requires; {@link #close} may be called from
 * any thread.
 */
final class HeraldSession implements Session, QueueSession, TopicSession {

    private static final Logger log = LoggerFactory.getLogger(HeraldSession.class);

    private final HeraldConnection connection;
    private final boolean transacted;
    private final int ackMode;
    private final List<HeraldMessageConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<HeraldQueueBrowser> browsers = new CopyOnWriteArrayList<>();
    /** What each consumer reads, for the connection's status ({@code queue:Q}, {@code topic:T[/group]}). */
    private final Map<HeraldMessageConsumer, String> reading = new ConcurrentHashMap<>();
    /** The share group of each consumer of a durable subscription. */
    private final Map<HeraldMessageConsumer, String> durables = new ConcurrentHashMap<>();
    /** The open producers the application created (a JMSProducer's per-send ones are not counted). */
    private final Set<HeraldMessageProducer> producers = ConcurrentHashMap.newKeySet();

    private final List<ProducerRecord<byte[], byte[]>> pending = new ArrayList<>();
    private final AsyncSends asyncSends = new AsyncSends();
    private volatile boolean closed;
    /** QUEUE for a QueueSession, TOPIC for a TopicSession: the other domain's methods are refused (JMS 9.2). */
    private volatile Domain domain = Domain.ANY;

    private Thread deliveryThread;
    private MessageListener sessionListener;

    HeraldSession(HeraldConnection connection, boolean transacted, int ackMode) {
        this.connection = connection;
        this.transacted = transacted;
        this.ackMode = transacted ? Session.SESSION_TRANSACTED : ackMode;
    }

    HeraldConnection connection() {
        return connection;
    }

    /** The messaging domain of a session made by createQueueSession or createTopicSession (JMS 9.2). */
    enum Domain {
        ANY,
        QUEUE,
        TOPIC
    }

    /** Makes this a QueueSession or TopicSession of the legacy domain-specific API. */
    HeraldSession restrictTo(Domain d) {
        this.domain = d;
        return this;
    }

    /** Table 9-1: a QueueSession refuses the topic methods, a TopicSession the queue methods (IllegalStateException). */
    private void checkDomain(Domain needed, String method) throws IllegalStateException {
        if (domain != Domain.ANY && domain != needed) {
            throw new IllegalStateException(method + " is not allowed on a "
                    + (domain == Domain.QUEUE ? "QueueSession" : "TopicSession") + " (JMS 9.2)");
        }
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw JmsErrors.closed("session");
        }
    }

    /** Fails if this session is closed (for the objects it created). */
    void checkUsable() throws IllegalStateException {
        checkOpen();
    }

    // ---- messages -----------------------------------------------------------------------------------------------

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return new HeraldBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen();
        return new HeraldMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return new HeraldMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return new HeraldObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        ObjectMessage m = createObjectMessage();
        m.setObject(object);
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen();
        return new HeraldStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return new HeraldTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        TextMessage m = createTextMessage();
        m.setText(text);
        return m;
    }

    // ---- acknowledgement and transactions -----------------------------------------------------------------------

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return transacted;
    }

    @Override
    public int getAcknowledgeMode() {
        return ackMode;
    }

    /** Whether each message is acknowledged on its own when delivered (AUTO, DUPS_OK). */
    boolean acknowledgesEach() {
        return ackMode == Session.AUTO_ACKNOWLEDGE || ackMode == Session.DUPS_OK_ACKNOWLEDGE;
    }

    void delivered(HeraldMessageConsumer consumer) {
        // Nothing to remember here: each consumer's source keeps what it delivered.
    }

    /** {@code Message.acknowledge()}: in CLIENT_ACKNOWLEDGE mode, every message this session delivered so far. */
    void acknowledgeClient() throws JMSException {
        checkOpen();
        if (ackMode != Session.CLIENT_ACKNOWLEDGE) {
            return;
        }
        for (HeraldMessageConsumer c : consumers) {
            c.acceptDelivered();
        }
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        if (!transacted) {
            throw new IllegalStateException("commit() on a session that is not transacted");
        }
        asyncSends.checkNotInCallback("commit");
        awaitAsyncSends();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try {
            for (ProducerRecord<byte[], byte[]> r : pending) {
                sends.add(connection.producer().send(r));
            }
            for (Future<RecordMetadata> f : sends) {
                f.get(connection.settings().connectTimeoutMs() * 3L, TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            pending.clear();
            for (HeraldMessageConsumer c : consumers) {
                c.releaseAll();
            }
            TransactionRolledBackException t =
                    new TransactionRolledBackException("The transaction's sends failed, it was rolled back: " + e);
            t.initCause(e);
            throw t;
        }
        pending.clear();
        for (HeraldMessageConsumer c : consumers) {
            c.acceptDelivered();
        }
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        if (!transacted) {
            throw new IllegalStateException("rollback() on a session that is not transacted");
        }
        asyncSends.checkNotInCallback("roll back");
        awaitAsyncSends();
        pending.clear();
        for (HeraldMessageConsumer c : consumers) {
            c.releaseAll();
        }
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (transacted) {
            throw new IllegalStateException("recover() on a transacted session; use rollback()");
        }
        for (HeraldMessageConsumer c : consumers) {
            c.releaseAll();
        }
    }

    /** Sends {@code m} now, or at commit. */
    void send(HeraldDestination to, HeraldMessage m, boolean persistent, Message original, CompletionListener listener)
            throws JMSException {
        checkOpen();
        connection.destinations().requireForSend(to);
        ProducerRecord<byte[], byte[]> record = RecordMapping.toRecord(m, to.name(), connection.id());
        if (transacted) {
            pending.add(record);
            if (listener != null) {
                asyncSends.completeLater(listener, original);
            }
            return;
        }
        if (listener != null) {
            asyncSends.started();
            try {
                connection.producer().send(record, (md, e) -> {
                    if (e == null) {
                        asyncSends.complete(listener, original, null);
                    } else {
                        asyncSends.completeFailed(
                                listener, original, connection.destinations().sendFailedLater(to, e));
                    }
                });
            } catch (RuntimeException e) {
                asyncSends.complete(listener, original, JmsErrors.of("Sending to " + to + " failed", e));
            }
            return;
        }
        try {
            Future<RecordMetadata> f = connection.producer().send(record);
            if (persistent) {
                f.get(connection.settings().connectTimeoutMs() * 3L, TimeUnit.MILLISECONDS);
            }
        } catch (JMSException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw JmsErrors.of("Sending to " + to + " failed", e);
            }
            throw connection.destinations().sendFailed(to, e);
        }
    }

    /** Waits for the callbacks of this session's asynchronous sends (close, commit and rollback do, JMS 7.3.4). */
    void awaitAsyncSends() {
        asyncSends.awaitAll(connection.settings().connectTimeoutMs() * 3L);
    }

    /** The asynchronous sends of this session, for its producers. */
    AsyncSends asyncSends() {
        return asyncSends;
    }

    // ---- producers and consumers --------------------------------------------------------------------------------

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        HeraldDestination d = destination == null ? null : HeraldDestination.check(destination);
        if (d != null) {
            connection.destinations().require(d);
        }
        HeraldMessageProducer p = new HeraldMessageProducer(this, d);
        producers.add(p);
        connection.statusChanged();
        return p;
    }

    /** A producer for one send of a {@code JMSProducer}, which has no close and so is not counted as open. */
    HeraldMessageProducer sendingProducer() throws JMSException {
        checkOpen();
        return new HeraldMessageProducer(this, null);
    }

    void removeProducer(HeraldMessageProducer p) {
        if (producers.remove(p)) {
            connection.statusChanged();
        }
    }

    int producerCount() {
        return producers.size();
    }

    /** What the open consumers read ({@code queue:Q}, {@code topic:T}, {@code topic:T/<share group>}). */
    Collection<String> reading() {
        return reading.values();
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String selector) throws JMSException {
        return createConsumer(destination, selector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String selector, boolean noLocal)
            throws JMSException {
        checkOpen();
        HeraldDestination d = HeraldDestination.check(destination);
        String sel = Selectors.normalize(selector);
        connection.destinations().require(d);
        connection.checkConsumable(d);
        if (d instanceof Queue) {
            return shareConsumer(d, connection.queueGroup(d.name()), sel, noLocal, false, false);
        }
        if (sel != null) {
            // The broker evaluates selectors for share groups: a selective non-durable subscriber gets one of its own.
            return shareConsumer(d, "jms.subscriber." + UUID.randomUUID(), sel, noLocal, true, true);
        }
        try {
            MessageSource source = new TopicSource(
                    connection.kafkaProperties("topic"),
                    d.name(),
                    noLocal ? connection.id() : null,
                    Duration.ofMillis(connection.settings().connectTimeoutMs()),
                    DelayedRecords.DEFAULT_CAPACITY);
            return add(new HeraldMessageConsumer(this, d, source, null, noLocal), "topic:" + d.name());
        } catch (RuntimeException e) {
            throw JmsErrors.of("Cannot consume from " + d, e);
        }
    }

    /**
     * A consumer of share group {@code group}: registers its selector first; for a subscription waits until it has
     * joined (so it receives everything published from now on); a {@code temporary} group is deleted at close.
     */
    private HeraldMessageConsumer shareConsumer(
            HeraldDestination d,
            String group,
            String selector,
            boolean noLocal,
            boolean subscription,
            boolean temporary)
            throws JMSException {
        Properties props = connection.kafkaProperties(subscription ? "subscription" : "queue");
        String clientId = props.getProperty("client.id");
        if (selector != null) {
            connection.registerSelector(group, clientId, selector);
        }
        ShareSource source;
        try {
            source = new ShareSource(
                    props, group, d.name(), connection.settings().prefetch(), noLocal ? connection.id() : null);
        } catch (RuntimeException e) {
            if (selector != null) {
                connection.removeSelector(group, clientId);
            }
            throw JmsErrors.of("Cannot consume from " + d, e);
        }
        source.onClose(() -> {
            if (selector != null) {
                connection.removeSelector(group, clientId);
            }
            if (temporary) {
                connection.deleteGroup(group);
            }
        });
        if (subscription) {
            try {
                source.awaitJoined(
                        connection.admin(),
                        Duration.ofMillis(connection.settings().connectTimeoutMs()));
            } catch (JMSException e) {
                source.close();
                throw e;
            }
        }
        String what = d instanceof Queue ? "queue:" + d.name() : "topic:" + d.name() + (temporary ? "" : "/" + group);
        return add(new HeraldMessageConsumer(this, d, source, selector, noLocal), what);
    }

    private HeraldMessageConsumer add(HeraldMessageConsumer c, String what) throws JMSException {
        consumers.add(c);
        reading.put(c, what);
        connection.statusChanged();
        if (closed) {
            c.close();
            throw JmsErrors.closed("session");
        }
        return c;
    }

    /** A consumer of the share group that keeps a durable (or shared) subscription. */
    private HeraldMessageConsumer subscription(Topic topic, String group, String selector, boolean noLocal)
            throws JMSException {
        checkOpen();
        HeraldDestination d = HeraldDestination.check(topic);
        connection.destinations().require(d);
        return shareConsumer(d, group, Selectors.normalize(selector), noLocal, true, false);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return createSharedConsumer(topic, sharedSubscriptionName, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name, String selector) throws JMSException {
        checkDomain(Domain.TOPIC, "createSharedConsumer");
        checkOpen();
        String group = connection.sharedGroup(requireName(name));
        connection
                .subscriptions()
                .prepare(
                        group,
                        name,
                        HeraldDestination.check(topic).name(),
                        SubscriptionCheck.Filter.of(selector, false));
        return subscription(topic, group, selector, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createDurableSubscriber");
        return durable(topic, name, selector, noLocal, true);
    }

    /** A consumer of a durable subscription, counted (and refused when not allowed) by {@link DurableConsumers}. */
    private HeraldMessageConsumer durable(Topic topic, String name, String selector, boolean noLocal, boolean unshared)
            throws JMSException {
        checkOpen();
        String group = connection.durableGroup(requireName(name), unshared);
        HeraldDestination d = HeraldDestination.check(topic);
        connection
                .durableConsumers()
                .open(group, name, unshared, new DurableConsumers.Definition(d.name(), Selectors.normalize(selector)));
        try {
            connection.subscriptions().prepare(group, name, d.name(), SubscriptionCheck.Filter.of(selector, noLocal));
            HeraldMessageConsumer c = subscription(topic, group, selector, noLocal);
            durables.put(c, group);
            if (!consumers.contains(c) && durables.remove(c) != null) {
                connection.durableConsumers().close(group); // closed meanwhile
            }
            return c;
        } catch (JMSException | RuntimeException e) {
            connection.durableConsumers().close(group);
            throw e;
        }
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        return createDurableSubscriber(topic, name, selector, noLocal);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String selector) throws JMSException {
        checkDomain(Domain.TOPIC, "createSharedDurableConsumer");
        return durable(topic, name, selector, false, false);
    }

    private static String requireName(String name) throws InvalidDestinationException {
        if (name == null || name.isBlank()) {
            throw new InvalidDestinationException("A subscription needs a name");
        }
        return name;
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkDomain(Domain.TOPIC, "unsubscribe");
        checkOpen();
        connection.unsubscribe(requireName(name));
    }

    void removeConsumer(HeraldMessageConsumer c) {
        consumers.remove(c);
        reading.remove(c);
        String group = durables.remove(c);
        if (group != null) {
            connection.durableConsumers().close(group);
        }
        connection.statusChanged();
    }

    /** Whether a consumer of this session (not closed) consumes {@code d}. */
    boolean hasConsumerOn(Destination d) {
        return consumers.stream().anyMatch(c -> !c.isClosed() && c.destination().equals(d));
    }

    // ---- destinations -------------------------------------------------------------------------------------------

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkDomain(Domain.QUEUE, "createQueue");
        checkOpen();
        return (Queue) HeraldDestination.check(new HeraldQueue(queueName));
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkDomain(Domain.TOPIC, "createTopic");
        checkOpen();
        return (Topic) HeraldDestination.check(new HeraldTopic(topicName));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String selector) throws JMSException {
        checkDomain(Domain.QUEUE, "createBrowser");
        checkOpen();
        if (queue == null) {
            throw new InvalidDestinationException("A browser needs a queue");
        }
        HeraldDestination d = HeraldDestination.check(queue);
        connection.destinations().require(d);
        HeraldQueueBrowser b = HeraldQueueBrowser.create(this, connection, d, selector);
        browsers.add(b);
        return b;
    }

    void removeBrowser(HeraldQueueBrowser b) {
        browsers.remove(b);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkDomain(Domain.QUEUE, "createTemporaryQueue");
        checkOpen();
        return connection.createTemporaryQueue();
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkDomain(Domain.TOPIC, "createTemporaryTopic");
        checkOpen();
        return connection.createTemporaryTopic();
    }

    // ---- queue and topic sessions -------------------------------------------------------------------------------

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return (QueueReceiver) createConsumer(queue);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String selector) throws JMSException {
        return (QueueReceiver) createConsumer(queue, selector);
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return (TopicSubscriber) createConsumer(topic);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String selector, boolean noLocal) throws JMSException {
        return (TopicSubscriber) createConsumer(topic, selector, noLocal);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    // ---- listeners ----------------------------------------------------------------------------------------------

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return sessionListener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        this.sessionListener = listener;
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("Session.run is for application servers; Herald does not offer it");
    }

    /** Starts the delivery thread of this session's listeners, once. */
    synchronized void startDelivery() {
        if (deliveryThread != null || closed) {
            return;
        }
        deliveryThread = new Thread(
                this::deliver, "herald-jms-session-" + connection.id().substring(0, 8));
        deliveryThread.setDaemon(true);
        deliveryThread.start();
    }

    private void deliver() {
        while (!closed) {
            boolean any = false;
            for (HeraldMessageConsumer c : consumers) {
                MessageListener l = c.listener();
                if (l == null || c.isClosed()) {
                    continue;
                }
                if (!connection.beginDelivery()) {
                    connection.awaitStarted(System.currentTimeMillis() + 50); // stopped: Connection.stop (6.1.5)
                    continue;
                }
                try {
                    HeraldMessage m = c.next(50, false);
                    if (m == null) {
                        continue;
                    }
                    any = true;
                    boolean ok = true;
                    try {
                        l.onMessage(m);
                    } catch (RuntimeException e) {
                        ok = false;
                        log.warn("A MessageListener threw; the message is delivered again: {}", e.toString());
                    }
                    c.afterListener(ok);
                } catch (JMSException | RuntimeException e) {
                    if (!closed && !c.isClosed()) {
                        connection.onException(e instanceof JMSException j ? j : JmsErrors.of("Delivery failed", e));
                    }
                } finally {
                    connection.endDelivery(); // stop() waits for a running listener to return
                }
            }
            if (!any) {
                try {
                    Thread.sleep(consumers.stream().anyMatch(c -> c.listener() != null) ? 1 : 50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        asyncSends.checkNotInCallback("close");
        awaitAsyncSends();
        closed = true;
        Thread t;
        synchronized (this) {
            t = deliveryThread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pending.clear();
        for (HeraldMessageConsumer c : consumers) {
            c.closeNow();
        }
        for (HeraldQueueBrowser b : browsers) {
            b.close();
        }
        producers.clear();
        connection.removeSession(this);
    }
}
