package io.herald.console.rest;

import io.herald.console.http.Routes;

/**
 * {@code GET /api/jms}: whether the broker has JMS. It does not yet, and the answer says so rather than showing empty
 * lists that would look like real state. (Security has its own resource, {@link SecurityResource}.)
 *
 * <p>Thread-safety: stateless.
 */
public final class StatusResource {

    /** Whether a feature is there, and why not. */
    public record FeatureStatus(String feature, boolean available, String reason) {}

    static final FeatureStatus JMS = new FeatureStatus(
            "jms",
            false,
            "This broker has no JMS support yet: there are no JMS queues, topics, subscriptions or clients to show."
                    + " Kafka topics and consumer groups are on their own pages.");

    public void register(Routes routes) {
        routes.get("/api/jms", exchange -> JMS);
    }
}
