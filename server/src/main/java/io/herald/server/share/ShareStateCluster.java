package io.herald.server.share;

import java.util.Map;
import java.util.function.Supplier;

/**
 * How a broker that belongs to a cluster reaches the replicated {@code __share_group_state}: the inter-broker client
 * settings (security protocol, TLS and SASL of the inter-broker listener) and the addresses of the live brokers on
 * that listener. A broker without a cluster has none and keeps its share state in local logs it leads.
 *
 * <p>Thread-safety: immutable; {@code bootstrap} must be thread-safe.
 *
 * @param clientSettings kafka-clients settings for connecting to other brokers
 * @param bootstrap the live brokers' {@code host:port} on the inter-broker listener, comma-separated
 * @param replicationFactor the replication factor the state topic is created with
 * @param timeoutMs how long a state write or read may wait for replication or for another broker
 * @param notices how share-group notices reach the other brokers
 */
public record ShareStateCluster(
        Map<String, Object> clientSettings,
        Supplier<String> bootstrap,
        int replicationFactor,
        long timeoutMs,
        ShareGroupNotices.Channel notices) {

    /** The client id the broker's own writes to {@code __share_group_state} carry (Produce accepts only those). */
    public static final String WRITER_CLIENT_ID = "__herald_share_state_writer";

    public ShareStateCluster {
        clientSettings = Map.copyOf(clientSettings);
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, was " + replicationFactor);
        }
    }
}
