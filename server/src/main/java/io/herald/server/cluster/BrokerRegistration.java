package io.herald.server.cluster;

import io.herald.server.metadata.BrokerNode;

/**
 * A broker the cluster knows: its node id and advertised endpoints, registered by the broker itself when it starts.
 * Whether it is alive is membership's business, not the image's.
 *
 * @param node the broker's id, rack and endpoints
 * @param incarnation the registering process's random id; a restarted broker registers anew
 */
public record BrokerRegistration(BrokerNode node, String incarnation) {

    public int id() {
        return node.id();
    }
}
