package io.herald.jms;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a destination exists, asked where the spec wants {@code InvalidDestinationException} at the call: creating
 * a consumer or a producer, and sending. Every destination is a topic; the broker creates a missing topic the first
 * time a producer or consumer names it when {@code auto.create.topics.enable} is on, except the topic of a temporary
 * destination ({@code jms.temp.*}), which it never creates on use. So:
 *
 * <ul>
 *   <li>a temporary destination of this connection exists while the connection holds it (no broker round trip);
 *   <li>any other destination exists if the broker would create it on use (not a temporary one, and the broker
 *       creates topics), or else if the broker has its topic.
 * </ul>
 *
 * <p>Sends are hot: a destination seen to exist once is not asked about again, and another connection's temporary
 * destination (the {@code JMSReplyTo} of a request) is not asked about at all. The broker answers a send to a
 * temporary destination's topic it deleted, or does not have where its view is the store itself, with {@code
 * INVALID_TOPIC_EXCEPTION}, which the producer does not retry: such a send fails at once, and {@link #sendFailed}
 * makes it an {@code InvalidDestinationException}. Where the broker cannot tell (a cluster broker started after the
 * deletion), the send fails after the producer's wait, and {@link #sendFailed} asks the broker whether the destination
 * still exists.
 *
 * <p>Thread-safety: thread-safe; the caches are concurrent and only ever remember facts that hold (a topic seen, the
 * broker's setting).
 */
final class DestinationCheck {

    private static final Logger log = LoggerFactory.getLogger(DestinationCheck.class);
    private static final String AUTO_CREATE = "auto.create.topics.enable";

    /** The name prefix of every temporary destination, this connection's or another's (see HeraldConnection). */
    static final String TEMPORARY_PREFIX = "jms.temp.";

    /**
     * How many destinations seen are remembered: a replier sends to a new temporary queue per requester (or per
     * request), so the set is emptied past this size rather than growing for the life of the connection; a
     * destination forgotten costs one more round trip.
     */
    static final int MAX_SEEN = 10_000;

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

    /**
     * Before a send: as {@link #require}, but a topic already seen passes, and so does another connection's temporary
     * destination, which the broker refuses at once if it is gone.
     */
    void requireForSend(HeraldDestination d) throws JMSException {
        require(d, true);
    }

    /**
     * The exception for a send to {@code d} that failed with {@code cause}, waiting at most the timeout for the
     * answer of {@link #sendFailedLater}.
     */
    JMSException sendFailed(HeraldDestination d, Exception cause) {
        try {
            return sendFailedLater(d, cause).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JmsErrors.of("Sending to " + d + " failed", cause);
        } catch (ExecutionException | TimeoutException e) {
            return JmsErrors.of("Sending to " + d + " failed", cause);
        }
    }

    /**
     * The exception for a send to {@code d} that failed with {@code cause}: invalid destination if the broker, which
     * does not create its topic, no longer has it. Asks only then, so that a send failing because the broker is away
     * does not wait for one more answer; the answer comes on the admin client's thread.
     */
    CompletionStage<JMSException> sendFailedLater(HeraldDestination d, Exception cause) {
        String name = d.name();
        JMSException failed = JmsErrors.of("Sending to " + d + " failed", cause);
        if (!name.startsWith(TEMPORARY_PREFIX) && !Boolean.FALSE.equals(autoCreate)) {
            return CompletableFuture.completedFuture(failed);
        }
        seen.remove(name);
        if (brokerSaysGone(cause)) {
            InvalidDestinationException gone = new InvalidDestinationException(doesNotExist(d));
            gone.initCause(cause);
            return CompletableFuture.completedFuture(gone);
        }
        return admin.describeTopics(List.of(name))
                .allTopicNames()
                .toCompletionStage()
                .handle((found, error) -> {
                    if (error == null) {
                        remember(name);
                        return failed;
                    }
                    Throwable why = error instanceof CompletionException ? error.getCause() : error;
                    if (!(why instanceof UnknownTopicOrPartitionException || why instanceof InvalidTopicException)) {
                        return failed; // cannot tell: the send's own failure
                    }
                    InvalidDestinationException gone = new InvalidDestinationException(doesNotExist(d));
                    gone.initCause(cause);
                    return gone;
                });
    }

    private static String doesNotExist(HeraldDestination d) {
        return d.name().startsWith(TEMPORARY_PREFIX)
                ? "Temporary destination " + d + " was deleted"
                : d + " does not exist (and the broker does not create topics: " + AUTO_CREATE + "=false)";
    }

    /** Whether the send failed because the broker said the topic is a temporary destination's topic gone for good. */
    private static boolean brokerSaysGone(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof InvalidTopicException) {
                return true;
            }
        }
        return false;
    }

    private void require(HeraldDestination d, boolean send) throws JMSException {
        String name = d.name();
        if (name.startsWith(ownTemporaryPrefix)) {
            if (!ownTemporaryLive.test(name)) {
                throw new InvalidDestinationException("Temporary destination " + d + " was deleted");
            }
            return;
        }
        boolean temporary = name.startsWith(TEMPORARY_PREFIX);
        if (send && (temporary || seen.contains(name)) || (!temporary && brokerCreatesTopics())) {
            return;
        }
        if (!exists(name)) {
            throw new InvalidDestinationException(doesNotExist(d));
        }
        remember(name);
    }

    private void remember(String name) {
        if (seen.size() >= MAX_SEEN) {
            seen.clear();
        }
        seen.add(name);
    }

    private boolean exists(String topic) throws JMSException {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException
                    || e.getCause() instanceof InvalidTopicException) {
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
