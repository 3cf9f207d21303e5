package io.herald.jms;

import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's presence on the broker, for as long as it is open: a {@link PresenceMember} of classic group {@code
 * jms.owner.<connection id>}, and, once the connection has a client id, one of {@code jms.client.<client id>}.
 *
 * <p>Design note: the broker already tracks group members' liveness (heartbeats, session timeout) and a group has one
 * coordinator in the cluster, so membership gives three things without a new wire API. (1) The owner group keeps the
 * connection's temporary destinations alive: the broker's {@code TemporaryDestinationReaper} deletes {@code
 * jms.temp.<connection id>.*} once it has no member. (2) The broker caps each {@code jms.client.*} group at one member
 * ({@code JmsPresenceGroups}), so a second open connection with the same client id, in any process and through any
 * broker, is refused: the client-id uniqueness of Jakarta Messaging 3.1 §6.1.2. The id is free again when its holder
 * closes (LeaveGroup), or {@value PresenceMember#SESSION_TIMEOUT_MS} ms after its process died. (3) The owner member's
 * user data carries the connection's {@link ConnectionStatus}, which the admin console lists. Two members rather than
 * one because the owner group is named by the connection id (what temporary destination names carry) and the claim
 * by the client id (what must be unique); the members have no initial rebalance delay on the broker, so the claim
 * costs a few round trips, not seconds.
 *
 * <p>One daemon thread polls both members; the client-id claim joins on the caller's thread (the JMS call must fail
 * there) and is handed to that thread once joined. A status change makes the owner rejoin, at most once per {@link
 * #REFRESH}.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ConnectionPresence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPresence.class);
    private static final Duration POLL = Duration.ofMillis(100);
    // each rejoin writes the group's metadata record: a connection that opens and closes consumers all the time
    // (a listener container without caching) must not turn that into a stream of writes
    private static final Duration REFRESH = Duration.ofSeconds(2);

    private final Properties base;
    private final Supplier<byte[]> status;
    private final PresenceMember owner;
    private final Thread thread;
    private volatile PresenceMember claim;
    private volatile RuntimeException ownerFailure;
    private volatile boolean statusChanged;
    private volatile boolean closed;

    private ConnectionPresence(Properties base, String connectionId, Supplier<byte[]> status, String threadName) {
        this.base = base;
        this.status = status;
        this.owner = PresenceMember.create(base, ownerGroup(connectionId), status);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** The presence of connection {@code connectionId}; its owner member joins on the presence's thread. */
    static ConnectionPresence start(Properties base, String connectionId, Supplier<byte[]> status) {
        ConnectionPresence p = new ConnectionPresence(
                base, connectionId, status, "herald-jms-presence-" + connectionId.substring(0, 8));
        p.thread.start();
        return p;
    }

    /** The group whose members keep connection {@code connectionId}'s temporary destinations. */
    static String ownerGroup(String connectionId) {
        return "jms.owner." + connectionId;
    }

    /** The group whose one member is the connection holding client id {@code clientId}. */
    static String clientGroup(String clientId) {
        return "jms.client." + clientId;
    }

    /**
     * Claims {@code clientId} for this connection: returns once the broker has made it the client-id group's one member.
     *
     * @throws InvalidClientIDException if another open connection holds it
     * @throws JMSSecurityException if the user may not use the group
     * @throws JMSException if the broker does not answer within {@code timeout}
     */
    void claimClientId(String clientId, Duration timeout) throws JMSException {
        PresenceMember m;
        try {
            m = PresenceMember.create(base, clientGroup(clientId), status);
        } catch (RuntimeException e) {
            throw JmsErrors.of("Cannot register client id '" + clientId + "'", e);
        }
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        try {
            while (!m.joined()) {
                if (closed) {
                    throw JmsErrors.closed("connection");
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new JMSException(
                            "The broker did not register client id '" + clientId + "' within " + timeout);
                }
                m.poll(POLL);
            }
        } catch (GroupMaxSizeReachedException e) {
            m.close();
            InvalidClientIDException refused =
                    new InvalidClientIDException("Client id '" + clientId + "' is in use by another open connection");
            refused.setLinkedException(e);
            refused.initCause(e);
            throw refused;
        } catch (GroupAuthorizationException e) {
            m.close();
            JMSSecurityException refused = new JMSSecurityException("Not authorized to use client id '" + clientId
                    + "': the user needs READ on group '" + clientGroup(clientId) + "'");
            refused.setLinkedException(e);
            refused.initCause(e);
            throw refused;
        } catch (JMSException | RuntimeException e) {
            m.close();
            throw e instanceof JMSException j ? j : JmsErrors.of("Cannot register client id '" + clientId + "'", e);
        }
        claim = m;
        if (closed && !thread.isAlive()) {
            m.close(); // the connection closed while we joined: nobody else would
            throw JmsErrors.closed("connection");
        }
        statusChanged();
    }

    /**
     * Returns once the owner member is in its group, so that the broker sees a live owner of temporary destinations.
     *
     * @throws JMSException if that does not happen within {@code timeout}
     */
    void awaitOwner(Duration timeout) throws JMSException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!owner.joined()) {
            RuntimeException failure = ownerFailure;
            if (failure != null || closed || System.currentTimeMillis() > deadline || !thread.isAlive()) {
                throw JmsErrors.of(
                        "The connection could not register itself with the broker (group " + owner.group() + ") within "
                                + timeout,
                        failure == null ? new IllegalStateException("not joined") : failure);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JmsErrors.of("Interrupted while registering the connection", e);
            }
        }
    }

    /** The connection's status changed: the broker gets the new one with the owner's next rejoin. */
    void statusChanged() {
        statusChanged = true;
    }

    private void run() {
        long lastRefresh = 0;
        try {
            while (!closed) {
                if (ownerFailure == null) {
                    pollOwner();
                }
                PresenceMember c = claim;
                if (c != null) {
                    pollClaim(c);
                }
                if (ownerFailure != null && c == null) {
                    sleep();
                }
                long now = System.currentTimeMillis();
                if (statusChanged && owner.joined() && now - lastRefresh >= REFRESH.toMillis()) {
                    statusChanged = false;
                    lastRefresh = now;
                    owner.refreshStatus();
                }
            }
        } finally {
            PresenceMember c = claim;
            if (c != null) {
                c.close();
            }
            owner.close();
        }
    }

    private void pollOwner() {
        try {
            owner.poll(POLL);
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) {
                ownerFailure = e;
                if (e instanceof GroupAuthorizationException) {
                    LOG.warn(
                            "The user may not join group {} (READ on it is needed): this connection cannot have"
                                    + " temporary destinations, and the console does not list it",
                            owner.group());
                } else {
                    LOG.warn(
                            "The connection's member of group {} stopped: its temporary destinations live until it"
                                    + " closes, and the console does not list it",
                            owner.group(),
                            e);
                }
            }
        }
    }

    private void pollClaim(PresenceMember c) {
        try {
            c.poll(POLL);
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) {
                // e.g. the member was expired during a long pause and another connection took the id meanwhile
                LOG.warn(
                        "The connection lost its client id (group {}): another connection may now use it",
                        c.group(),
                        e);
                claim = null;
                c.close();
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    /** Leaves both groups: the client id is free at once, the temporary destinations' owner is gone. */
    @Override
    public void close() {
        closed = true;
        owner.wakeup();
        PresenceMember c = claim;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
