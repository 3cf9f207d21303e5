package io.herald.console.rest;

import io.herald.console.http.Routes;
import io.herald.server.api.BrokerAdmin;
import java.util.List;

/**
 * {@code GET /api/cluster}: the brokers, the controller, partition health, version, uptime and the data directories.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ClusterResource {

    /** The cluster page's data. */
    public record ClusterView(
            BrokerAdmin.ClusterState cluster, long uptimeMs, long now, List<BrokerAdmin.LogDirState> logDirs) {}

    private final BrokerAdmin admin;

    public ClusterResource(BrokerAdmin admin) {
        this.admin = admin;
    }

    public void register(Routes routes) {
        routes.get("/api/cluster", exchange -> view());
    }

    ClusterView view() {
        long now = admin.clock().millis();
        BrokerAdmin.ClusterState cluster = admin.cluster();
        return new ClusterView(cluster, now - cluster.startTimeMs(), now, admin.logDirs());
    }
}
