package io.herald.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import java.util.HashMap;
import java.util.Map;

/**
 * The open consumers of one connection's durable subscriptions, which enforces Jakarta Messaging 3.1 §8.3.2-§8.3.4:
 * an unshared durable subscription has at most one active consumer, a name cannot be used for an unshared and a
 * shared durable subscription of the same client id at once, and a subscription with an active consumer cannot be
 * unsubscribed, and a shared one with an active consumer of this connection is not joined with another topic or
 * selector.
 *
 * <p>Design note: an unshared durable subscription is named by its client id, and the broker lets one open connection
 * in the whole cluster hold a client id ({@link ConnectionPresence}); so every consumer of an unshared durable
 * subscription that can exist at one time is a consumer of this one connection, and counting them here is a
 * cluster-wide check. A shared durable subscription without a client id has no such owner, and may have any number of
 * consumers anyway.
 *
 * <p>Thread-safety: thread-safe (synchronized).
 */
final class DurableConsumers {

    /** The open consumers of one subscription, whether it is unshared, and its topic and selector. */
    private record Use(boolean unshared, int consumers, Definition definition) {}

    /** What a consumer asked of a subscription: its topic and selector ({@code null} for none). */
    record Definition(String topic, String selector) {}

    private final Map<String, Use> byGroup = new HashMap<>();

    /**
     * Records one more consumer of the durable subscription kept by share group {@code group}.
     *
     * @throws IllegalStateException if it is unshared and already has a consumer, or if the name is in use by the
     *     other kind of durable subscription
     * @throws JMSException if it is shared and has a consumer with another topic or selector (§8.3.4)
     */
    synchronized void open(String group, String name, boolean unshared, Definition definition) throws JMSException {
        Use use = byGroup.get(group);
        if (use != null) {
            if (use.unshared() && unshared) {
                throw new IllegalStateException("The unshared durable subscription '" + name
                        + "' already has an active consumer (one at a time; close it first)");
            }
            if (use.unshared() != unshared) {
                throw new IllegalStateException("Durable subscription '" + name + "' is in use as "
                        + (use.unshared() ? "an unshared" : "a shared") + " subscription of this client id");
            }
            if (!use.definition().equals(definition)) {
                throw new JMSException("Shared durable subscription '" + name + "' has an active consumer on topic "
                        + use.definition().topic() + " with selector "
                        + use.definition().selector()
                        + ": a consumer on topic " + definition.topic() + " with selector " + definition.selector()
                        + " cannot join it until its consumers are closed");
            }
        }
        byGroup.put(group, new Use(unshared, use == null ? 1 : use.consumers() + 1, definition));
    }

    /** One consumer of {@code group}'s subscription closed. */
    synchronized void close(String group) {
        Use use = byGroup.get(group);
        if (use == null) {
            return;
        }
        if (use.consumers() <= 1) {
            byGroup.remove(group);
        } else {
            byGroup.put(group, new Use(use.unshared(), use.consumers() - 1, use.definition()));
        }
    }

    /**
     * Checks that the subscription of {@code group} may be deleted.
     *
     * @throws IllegalStateException if a consumer of this connection is active on it
     */
    synchronized void checkInactive(String group, String name) throws IllegalStateException {
        if (byGroup.containsKey(group)) {
            throw new IllegalStateException(
                    "Durable subscription '" + name + "' has an active consumer: close it before unsubscribing");
        }
    }
}
