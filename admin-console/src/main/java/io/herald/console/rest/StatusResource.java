package io.herald.console.rest;

import io.herald.console.http.Routes;

/**
 * {@code GET /api/jms} and {@code GET /api/security}: what these areas offer on this broker. Neither exists yet, and
 * the answers say so rather than showing empty lists that would look like real state.
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
    static final FeatureStatus SECURITY = new FeatureStatus(
            "security",
            false,
            "Security is not enabled: this broker has no TLS, SASL users (SCRAM) or ACLs yet, so every client may do"
                    + " everything. Run it only on a trusted network.");

    public void register(Routes routes) {
        routes.get("/api/jms", exchange -> JMS);
        routes.get("/api/security", exchange -> SECURITY);
    }
}
