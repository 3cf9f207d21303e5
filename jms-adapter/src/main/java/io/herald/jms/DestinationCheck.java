package io.herald.jms;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a destination exists, asked where the spec wants {@code InvalidDestinationException} at the call: creating
 * a consumer or a producer, and sending. Every destination is a topic, and the broker creates a missing topic the
 * first time a producer or consumer names it when {@code auto.create.topics.enable} is on — which would resurrect a
 * deleted temporary destination. So:
 *
 * <ul>
 *   <li>a temporary destination of this connection exists while the connection holds it (no broker round trip);
 *   <li>another connection's temporary destination exists if the broker has its topic (asked every time: a reply
 *       to a deleted one must fail at once, not recreate it);
 *   <li>any other destination exists if the broker creates topics on use, or else if it has the topic. For a send, a
 *       topic seen once is not asked about again (sends are hot); if it was deleted since, the send fails after the
 *       producer's metadata wait, and {@link #sendFailed} then tells it apart from other failures.
 * </ul>
 *
 * <p>Thread-safety: thread-safe; the caches are concurrent and only ever remember facts that hold (a topic seen, the
 * broker's setting).
 */
final class DestinationCheck {

    private static final Logger log = LoggerFactory.getLogger(DestinationCheck.class);
    private static final String AUTO_CREATE = "auto.create.topics.enable";

    /** The name prefix of every temporary destination, this connection's or another's (see HeraldConnection). */
    static final String TEMPORARY_PREFIX = "jms.temp.";

    private final Admin admin;
    private final String ownTemporaryPrefix;
    private final Predicate<String> ownTemporaryLive;
    private final Duration timeout;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile Boolean autoCreate;

    /**
     * @param ownTemporaryPrefix the name prefix of the connection's temporary destinations
     * @param ownTemporaryLive whether the connection still holds the temporary destination of that name
     */
    DestinationCheck(Admin admin, String ownTemporaryPrefix, Predicate<String> ownTemporaryLive, Duration timeout) {
        this.admin = admin;
        this.ownTemporaryPrefix = ownTemporaryPrefix;
        this.ownTemporaryLive = ownTemporaryLive;
        this.timeout = timeout;
    }

    /** Before a consumer or producer is created: asks the broker unless it is the connection's own temporary. */
    void require(HeraldDestination d) throws JMSException {
        require(d, false);
    }

    /** Before a send: as {@link #require}, but a topic already seen passes. */
    void requireForSend(HeraldDestination d) throws JMSException {
        require(d, true);
    }

    /**
     * The exception for a send to {@code d} that failed with {@code cause}: invalid destination if the broker, which
     * does not create topics, no longer has it. Asks only then, so that a send failing because the broker is away
     * does not wait for one more answer (a temporary destination was asked about just before the send).
     */
    JMSException sendFailed(HeraldDestination d, Exception cause) {
        String name = d.name();
        if (!name.startsWith(TEMPORARY_PREFIX) && Boolean.FALSE.equals(autoCreate)) {
            seen.remove(name);
            try {
                if (!exists(name)) {
                    InvalidDestinationException gone = new InvalidDestinationException(doesNotExist(d));
                    gone.initCause(cause);
                    return gone;
                }
                seen.add(name);
            } catch (JMSException e) {
                // cannot tell: report the send's own failure
            }
        }
        return JmsErrors.of("Sending to " + d + " failed", cause);
    }

    private static String doesNotExist(HeraldDestination d) {
        return d + " does not exist (and the broker does not create topics: " + AUTO_CREATE + "=false)";
    }

    private void require(HeraldDestination d, boolean send) throws JMSException {
        String name = d.name();
        if (name.startsWith(ownTemporaryPrefix)) {
            if (!ownTemporaryLive.test(name)) {
                throw new InvalidDestinationException("Temporary destination " + d + " was deleted");
            }
            return;
        }
        if (name.startsWith(TEMPORARY_PREFIX)) {
            if (!exists(name)) {
                throw new InvalidDestinationException("Temporary destination " + d + " was deleted");
            }
            return;
        }
        if ((send && seen.contains(name)) || brokerCreatesTopics()) {
            return;
        }
        if (!exists(name)) {
            throw new InvalidDestinationException(doesNotExist(d));
        }
        seen.add(name);
    }

    private boolean exists(String topic) throws JMSException {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw JmsErrors.of("Cannot look up " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.of("Interrupted while looking up " + topic, e);
        } catch (TimeoutException e) {
            throw JmsErrors.of("Cannot look up " + topic, e);
        }
    }

    /**
     * The broker's {@code auto.create.topics.enable}, asked once. If the broker does not say (a user not allowed to
     * describe the cluster's configuration), assumes it creates topics: destinations then behave as before this
     * check, never refused wrongly.
     */
    private boolean brokerCreatesTopics() {
        Boolean known = autoCreate;
        if (known != null) {
            return known;
        }
        boolean value;
        try {
            Node node = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no broker listed"));
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(node.id()));
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(broker)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ConfigEntry entry = configs.get(broker).get(AUTO_CREATE);
            value = entry == null || entry.value() == null || Boolean.parseBoolean(entry.value());
        } catch (ExecutionException e) {
            log.debug(
                    "The broker refused to tell its {}; assuming topics are created on use: {}",
                    AUTO_CREATE,
                    e.toString());
            value = true; // an answer (not authorized, say): remembered
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true; // no answer: asked again next time
        } catch (TimeoutException | RuntimeException e) {
            return true;
        }
        autoCreate = value;
        return value;
    }
}
