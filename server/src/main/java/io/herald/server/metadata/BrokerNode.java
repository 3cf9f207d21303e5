package io.herald.server.metadata;

import java.util.Map;
import java.util.Optional;

/**
 * A broker as clients see it: its id, rack and the address of each listener as advertised.
 *
 * @param id the node id
 * @param rack the rack, or {@code null}
 * @param endpoints listener name -> advertised host and port
 */
public record BrokerNode(int id, String rack, Map<String, Endpoint> endpoints) {

    /** An advertised address. */
    public record Endpoint(String host, int port) {}

    public BrokerNode {
        endpoints = Map.copyOf(endpoints);
    }

    /** The address on {@code listener}, which is how a client that came in on it reaches this broker. */
    public Optional<Endpoint> endpoint(String listener) {
        return Optional.ofNullable(endpoints.get(listener));
    }
}
