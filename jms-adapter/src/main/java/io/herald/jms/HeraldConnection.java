package io.herald.jms;

import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A connection to Herald: one Kafka producer shared by its sessions, an admin client for group configs, temporary
 * destinations and subscriptions, and the started/stopped state that gates delivery.
 *
 * <p>Names on the broker: a queue {@code Q} is topic {@code Q} consumed by share group {@code jms.queue.Q}
 * (configured {@code share.auto.offset.reset=earliest}, {@code share.delivery.count.limit=maxDeliveries} and dead
 * letters to {@code DLQ.Q}); a durable subscription {@code S} of client id {@code C} is share group {@code
 * jms.durable.C.S}; a shared non-durable subscription is {@code jms.shared.S}. While open, the connection is a member of
 * classic groups {@code jms.owner.<connection id>} and, with a client id, {@code jms.client.<client id>}, which the
 * broker caps at one member (see {@link ConnectionPresence}).
 *
 * <p>Thread-safety: thread-safe.
 */
final class HeraldConnection implements QueueConnection, TopicConnection {

    /** The producer's batch size unless {@code kafka.batch.size} says otherwise (kafka-clients' default: 16 KiB). */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    private final ClientSettings settings;
    private final String id = UUID.randomUUID().toString();
    private final long sinceMs = System.currentTimeMillis();
    private final DurableConsumers durableConsumers = new DurableConsumers();
    private final List<HeraldSession> sessions = new CopyOnWriteArrayList<>();
    private final Set<String> configuredGroups = ConcurrentHashMap.newKeySet();
    private final List<Destination> temporaries = new CopyOnWriteArrayList<>();
    private final Object state = new Object();
    private final Admin admin;
    private final BrokerLossSettings loss;
    private BrokerLossMonitor monitor;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile String clientId;
    private volatile boolean clientIdFixed;
    private volatile boolean started;
    /** Deliveries begun and not ended; guarded by {@code state}. */
    private int deliveries;
    /** How many deliveries the current thread is inside (a listener calling stop must not wait for itself). */
    private final ThreadLocal<int[]> deliveringThread = ThreadLocal.withInitial(() -> new int[1]);

    private volatile boolean closed;
    private volatile ExceptionListener exceptionListener;
    private final DestinationCheck destinations;
    private volatile ConnectionPresence presence;

    private HeraldConnection(ClientSettings settings, Admin admin, BrokerLossSettings loss) {
        this.settings = settings;
        this.admin = admin;
        this.destinations = new DestinationCheck(
                admin,
                DestinationCheck.TEMPORARY_PREFIX + id + ".",
                this::holdsTemporary,
                Duration.ofMillis(settings.connectTimeoutMs()));
        this.clientId = settings.clientId();
        this.clientIdFixed = settings.clientId() != null;
        this.loss = loss;
    }

    /**
     * Connects: the brokers must answer within {@code connectTimeoutMs}; a client id of the factory is claimed on the
     * broker (see {@link #setClientID}). Once an {@code ExceptionListener} is set, a
     * {@link BrokerLossMonitor} tells it when no broker answers for {@code loss.timeoutMs}.
     *
     * @throws JMSException with the cause if they do not
     * @throws InvalidClientIDException if another open connection has the factory's client id
     */
    static HeraldConnection open(ClientSettings settings, BrokerLossSettings loss) throws JMSException {
        Properties p = settings.kafkaProperties("herald-jms-admin-" + UUID.randomUUID());
        p.put("request.timeout.ms", String.valueOf(settings.connectTimeoutMs()));
        p.put("default.api.timeout.ms", String.valueOf(settings.connectTimeoutMs()));
        Admin admin = Admin.create(p);
        try {
            admin.describeCluster().clusterId().get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            admin.close(Duration.ZERO);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw JmsErrors.of("Cannot connect to Herald at " + settings.bootstrapServers(), e);
        }
        HeraldConnection c = new HeraldConnection(settings, admin, loss);
        try {
            c.presence = ConnectionPresence.start(
                    settings.kafkaProperties(
                            (c.clientId == null ? "herald-jms" : c.clientId) + "-presence-" + c.id.substring(0, 8)),
                    c.id,
                    c::status);
        } catch (RuntimeException e) {
            admin.close(Duration.ZERO);
            throw JmsErrors.of("Cannot register the connection with Herald at " + settings.bootstrapServers(), e);
        }
        if (c.clientId != null) {
            try {
                c.presence.claimClientId(c.clientId, Duration.ofMillis(settings.connectTimeoutMs()));
            } catch (JMSException e) {
                try {
                    c.close();
                } catch (JMSException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }
        return c;
    }

    /** What the broker's console shows of this connection ({@link ConnectionStatus}). */
    private byte[] status() {
        List<String> reading = new ArrayList<>();
        int producers = 0;
        for (HeraldSession s : sessions) {
            reading.addAll(s.reading());
            producers += s.producerCount();
        }
        return new ConnectionStatus(id, clientId, settings.user(), sinceMs, sessions.size(), producers, reading)
                .encode();
    }

    /** A session, producer or consumer opened or closed: the broker learns it within about two seconds. */
    void statusChanged() {
        presence.statusChanged();
    }

    DurableConsumers durableConsumers() {
        return durableConsumers;
    }

    SubscriptionCheck subscriptions() {
        return new SubscriptionCheck(admin, Duration.ofMillis(settings.connectTimeoutMs()));
    }

    String id() {
        return id;
    }

    ClientSettings settings() {
        return settings;
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw JmsErrors.closed("connection");
        }
    }

    /** kafka-clients properties for one more client of this connection. */
    Properties kafkaProperties(String role) {
        clientIdFixed = true;
        String base = clientId == null ? "herald-jms" : clientId;
        return settings.kafkaProperties(
                base + "-" + role + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    KafkaProducer<byte[], byte[]> producer() throws JMSException {
        checkOpen();
        KafkaProducer<byte[], byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                p = producer;
                if (p == null) {
                    Properties props = kafkaProperties("producer");
                    props.put("acks", "all");
                    props.put("enable.idempotence", "true");
                    props.put("linger.ms", "0");
                    // Asynchronous sends (CompletionListener) pile up while a produce request waits for its fsync;
                    // kafka-clients' 16 KiB batches would carry ~14 messages of 1 KiB per request and so per fsync.
                    // A blocking send is a batch of one either way (linger 0), so this only helps pipelined sends.
                    props.putIfAbsent("batch.size", String.valueOf(PRODUCER_BATCH_BYTES));
                    props.put("max.block.ms", String.valueOf(settings.connectTimeoutMs()));
                    props.put("delivery.timeout.ms", String.valueOf(settings.connectTimeoutMs() * 3L));
                    props.put("request.timeout.ms", String.valueOf(settings.connectTimeoutMs()));
                    props.put("key.serializer", ByteArraySerializer.class.getName());
                    props.put("value.serializer", ByteArraySerializer.class.getName());
                    try {
                        p = new KafkaProducer<>(props);
                    } catch (RuntimeException e) {
                        throw JmsErrors.of("Cannot create the producer", e);
                    }
                    producer = p;
                }
            }
        }
        return p;
    }

    Admin admin() {
        return admin;
    }

    /** Whether destinations exist, for consumer and producer creation and sends. */
    DestinationCheck destinations() {
        return destinations;
    }

    /** Whether this connection created the temporary destination {@code name} and has not deleted it. */
    private boolean holdsTemporary(String name) {
        return temporaries.stream().anyMatch(t -> ((HeraldDestination) t).name().equals(name));
    }

    /** The name of the share group of queue {@code name}. */
    static String queueGroupName(String name) {
        return "jms.queue." + name;
    }

    /** The share group of queue {@code name}, configured for queue semantics on first use by this connection. */
    String queueGroup(String name) throws JMSException {
        String group = queueGroupName(name);
        configureGroup(
                group,
                Map.of(
                        "share.auto.offset.reset",
                        "earliest",
                        "share.delivery.count.limit",
                        String.valueOf(settings.maxDeliveries()),
                        "errors.deadletterqueue.topic.name",
                        "DLQ." + name,
                        "errors.deadletterqueue.copy.record.enable",
                        "true"));
        return group;
    }

    /** The share group of durable subscription {@code name} (this connection's client id is required if unshared). */
    String durableGroup(String name, boolean unshared) throws JMSException {
        if (unshared && clientId == null) {
            throw new IllegalStateException("A durable subscription needs a client id: set clientId on the factory"
                    + " or call Connection.setClientID first");
        }
        clientIdFixed = true;
        return "jms.durable." + (clientId == null ? "" : clientId) + "." + name;
    }

    String sharedGroup(String name) {
        clientIdFixed = true;
        return "jms.shared." + (clientId == null ? "" : clientId) + "." + name;
    }

    private void configureGroup(String group, Map<String, String> configs) throws JMSException {
        if (configuredGroups.contains(group)) {
            return;
        }
        List<AlterConfigOp> ops = new ArrayList<>();
        configs.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
        try {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops))
                    .all()
                    .get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw JmsErrors.of("Cannot configure share group " + group, e);
        }
        configuredGroups.add(group);
    }

    /**
     * Gives the consumer with kafka client id {@code clientId} in share group {@code group} a message selector,
     * evaluated by the broker (Herald extension, IncrementalAlterConfigs on the group with key {@code
     * herald.v1.selector.<client id>}).
     *
     * @throws InvalidSelectorException with the broker's reason if the selector is invalid
     */
    void registerSelector(String group, String clientId, String selector) throws JMSException {
        alterSelector(
                group,
                clientId,
                new AlterConfigOp(
                        new ConfigEntry("herald.v1.selector." + clientId, selector), AlterConfigOp.OpType.SET));
    }

    /** Removes a selector again (best effort: it only lives in the broker's memory). */
    void removeSelector(String group, String clientId) {
        try {
            alterSelector(
                    group,
                    clientId,
                    new AlterConfigOp(
                            new ConfigEntry("herald.v1.selector." + clientId, null), AlterConfigOp.OpType.DELETE));
        } catch (JMSException e) {
            // the broker forgets it at its next restart
        }
    }

    private void alterSelector(String group, String clientId, AlterConfigOp op) throws JMSException {
        try {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(op)))
                    .all()
                    .get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidConfigurationException) {
                InvalidSelectorException invalid =
                        new InvalidSelectorException(e.getCause().getMessage());
                invalid.initCause(e.getCause());
                throw invalid;
            }
            throw JmsErrors.of("Cannot register the selector with the broker", e);
        } catch (InterruptedException | TimeoutException e) {
            throw JmsErrors.of("Cannot register the selector with the broker", e);
        }
    }

    /** Deletes a share group this connection made for one consumer (best effort). */
    void deleteGroup(String group) {
        try {
            admin.deleteShareGroups(List.of(group)).all().get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            // left behind: an empty group with state, harmless
        }
    }

    void unsubscribe(String name) throws JMSException {
        String group = durableGroup(name, false);
        durableConsumers.checkInactive(group, name);
        try {
            admin.deleteShareGroups(List.of(group)).all().get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                throw new InvalidDestinationException("No durable subscription " + name);
            }
            if (e.getCause() instanceof GroupNotEmptyException) {
                throw new IllegalStateException("Durable subscription " + name + " has an active consumer");
            }
            throw JmsErrors.of("Cannot remove durable subscription " + name, e);
        } catch (InterruptedException | TimeoutException e) {
            throw JmsErrors.of("Cannot remove durable subscription " + name, e);
        }
    }

    HeraldTemporaryQueue createTemporaryQueue() throws JMSException {
        HeraldTemporaryQueue q = new HeraldTemporaryQueue(temporaryName(), this);
        createTemporary(q.name());
        temporaries.add(q);
        return q;
    }

    HeraldTemporaryTopic createTemporaryTopic() throws JMSException {
        HeraldTemporaryTopic t = new HeraldTemporaryTopic(temporaryName(), this);
        createTemporary(t.name());
        temporaries.add(t);
        return t;
    }

    /**
     * {@code jms.temp.<connection id>.<uuid>}: the broker deletes it once group {@code jms.owner.<connection id>} has
     * no member (see {@link ConnectionPresence}).
     */
    private String temporaryName() {
        return "jms.temp." + id + "." + UUID.randomUUID();
    }

    /** Creates the topic once this connection is a live owner on the broker, which deletes it if we die. */
    private void createTemporary(String name) throws JMSException {
        checkOpen();
        presence.awaitOwner(Duration.ofMillis(settings.connectTimeoutMs()));
        try {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1)))
                    .all()
                    .get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw JmsErrors.of("Cannot create temporary destination " + name, e);
        }
    }

    /**
     * Refuses a consumer on a temporary destination of another connection: only the creating connection may consume
     * one (JMS 4.1.5, 4.2.7, 6.2.2).
     */
    void checkConsumable(HeraldDestination d) throws JMSException {
        if ((d instanceof HeraldTemporaryQueue || d instanceof HeraldTemporaryTopic) && !temporaries.contains(d)) {
            throw new InvalidDestinationException(
                    d + " is a temporary destination of another connection: only its own connection can consume it");
        }
    }

    /** Deletes a temporary destination; refused while a consumer of this connection is on it (TemporaryQueue.delete). */
    void deleteTemporary(Destination d) throws JMSException {
        checkOpen();
        for (HeraldSession s : sessions) {
            if (s.hasConsumerOn(d)) {
                throw new JMSException("Cannot delete " + d + ": a consumer is still using it; close it first");
            }
        }
        deleteTemporaryTopic(d);
    }

    private void deleteTemporaryTopic(Destination d) throws JMSException {
        String name = ((HeraldDestination) d).name();
        try {
            admin.deleteTopics(List.of(name)).all().get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw JmsErrors.of("Cannot delete temporary destination " + name, e);
        }
        temporaries.remove(d);
    }

    /**
     * Begins handing one message to the application (a receive returning it, or a listener running on it), if the
     * connection is started; {@link #stop} waits until every delivery begun has ended (JMS 6.1.5). Returns false when
     * stopped or closed: the message must wait for start.
     */
    boolean beginDelivery() {
        synchronized (state) {
            if (!started || closed) {
                return false;
            }
            deliveries++;
            deliveringThread.get()[0]++;
            return true;
        }
    }

    /** Ends a delivery {@link #beginDelivery} began. */
    void endDelivery() {
        synchronized (state) {
            deliveries--;
            deliveringThread.get()[0]--;
            state.notifyAll();
        }
    }

    /** Waits until the connection is started (or closed, or {@code deadline}); returns whether it is started. */
    boolean awaitStarted(long deadline) {
        synchronized (state) {
            while (!started && !closed) {
                long wait = deadline - System.currentTimeMillis();
                if (wait <= 0) {
                    return false;
                }
                try {
                    state.wait(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return started && !closed;
        }
    }

    /** Whether the brokers answer, as far as the {@link BrokerLossMonitor} knows (false during a reported outage). */
    synchronized boolean brokersReachable() {
        return monitor == null || monitor.reachable();
    }

    void onException(JMSException e) {
        ExceptionListener l = exceptionListener;
        if (l != null) {
            l.onException(e);
        }
    }

    void removeSession(HeraldSession s) {
        sessions.remove(s);
        statusChanged();
    }

    // ---- jakarta.jms.Connection ---------------------------------------------------------------------------------

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        checkOpen();
        clientIdFixed = true;
        if (!transacted
                && acknowledgeMode != Session.AUTO_ACKNOWLEDGE
                && acknowledgeMode != Session.CLIENT_ACKNOWLEDGE
                && acknowledgeMode != Session.DUPS_OK_ACKNOWLEDGE) {
            throw new JMSException("Unknown acknowledge mode " + acknowledgeMode);
        }
        HeraldSession s = new HeraldSession(this, transacted, acknowledgeMode);
        sessions.add(s);
        statusChanged();
        return s;
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return createSession(sessionMode == Session.SESSION_TRANSACTED, sessionMode);
    }

    @Override
    public Session createSession() throws JMSException {
        return createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return ((HeraldSession) createSession(transacted, acknowledgeMode)).restrictTo(HeraldSession.Domain.QUEUE);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return ((HeraldSession) createSession(transacted, acknowledgeMode)).restrictTo(HeraldSession.Domain.TOPIC);
    }

    @Override
    public String getClientID() throws JMSException {
        checkOpen();
        return clientId;
    }

    /**
     * Sets the client id, which the broker lets one open connection of the cluster have at a time.
     *
     * @throws InvalidClientIDException if it is empty or another open connection has it
     * @throws IllegalStateException if the id was set already or the connection was used
     */
    @Override
    public synchronized void setClientID(String id) throws JMSException {
        checkOpen();
        if (clientIdFixed) {
            throw new IllegalStateException("The client id can only be set before the connection is used");
        }
        if (id == null || id.isBlank()) {
            throw new InvalidClientIDException("The client id must not be empty");
        }
        presence.claimClientId(id, Duration.ofMillis(settings.connectTimeoutMs()));
        this.clientId = id;
        this.clientIdFixed = true;
        statusChanged();
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        return new HeraldMetaData();
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        clientIdFixed = true;
        this.exceptionListener = listener;
        synchronized (this) {
            // Only a connection with a listener probes the brokers: without one nobody would hear of an outage.
            if (listener != null && monitor == null) {
                monitor = BrokerLossMonitor.start(
                        admin,
                        loss,
                        settings.bootstrapServers(),
                        this::onException,
                        System::currentTimeMillis,
                        "herald-jms-broker-monitor-" + id.substring(0, 8));
            }
        }
    }

    @Override
    public void start() throws JMSException {
        checkOpen();
        clientIdFixed = true;
        synchronized (state) {
            started = true;
            state.notifyAll();
        }
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        if (deliveringThread.get()[0] > 0) {
            // 6.1.5 lets stop from a listener of its own connection fail instead of waiting for that listener
            throw new IllegalStateException("stop() from a MessageListener or receive of this connection");
        }
        synchronized (state) {
            started = false;
            // 6.1.5: stop returns once delivery has paused: no listener running, no receive returning a message
            while (deliveries > 0 && !closed) {
                try {
                    state.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JMSException("Interrupted while stopping");
                }
            }
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        synchronized (state) {
            closed = true;
            state.notifyAll();
        }
        BrokerLossMonitor m;
        synchronized (this) {
            m = monitor;
        }
        if (m != null) {
            m.close();
        }
        JMSException first = null;
        for (HeraldSession s : sessions) {
            try {
                s.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        for (Destination d : temporaries) {
            try {
                deleteTemporaryTopic(d);
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        // after the temporaries: while the owner is a member, the broker's reaper leaves them to us
        presence.close();
        KafkaProducer<byte[], byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(10));
        }
        admin.close(Duration.ofSeconds(5));
        if (first != null) {
            throw first;
        }
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(
            Destination destination, String messageSelector, ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw new JMSException("Connection consumers (application-server facility) are not supported");
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(
            Topic topic,
            String subscriptionName,
            String messageSelector,
            ServerSessionPool sessionPool,
            int maxMessages)
            throws JMSException {
        throw new JMSException("Connection consumers (application-server facility) are not supported");
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(
            Topic topic,
            String subscriptionName,
            String messageSelector,
            ServerSessionPool sessionPool,
            int maxMessages)
            throws JMSException {
        throw new JMSException("Connection consumers (application-server facility) are not supported");
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(
            Topic topic,
            String subscriptionName,
            String messageSelector,
            ServerSessionPool sessionPool,
            int maxMessages)
            throws JMSException {
        throw new JMSException("Connection consumers (application-server facility) are not supported");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(
            Queue queue, String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw new JMSException("Connection consumers (application-server facility) are not supported");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(
            Topic topic, String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw new JMSException("Connection consumers (application-server facility) are not supported");
    }
}
