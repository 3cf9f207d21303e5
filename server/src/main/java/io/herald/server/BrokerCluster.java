package io.herald.server;

import io.herald.log.TopicPartition;
import io.herald.server.cluster.BrokerRegistration;
import io.herald.server.cluster.ClusterConductor;
import io.herald.server.cluster.ClusterMetadataStore;
import io.herald.server.cluster.HazelcastClusterBackend;
import io.herald.server.cluster.HazelcastSettings;
import io.herald.server.cluster.LocalImageCopy;
import io.herald.server.config.BrokerConfig;
import io.herald.server.config.Listener;
import io.herald.server.group.GroupConfig;
import io.herald.server.group.GroupCoordinator;
import io.herald.server.handler.SharePeers;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.metrics.BrokerMetrics;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.replication.ReplicaManager;
import io.herald.server.security.InterBrokerClientSettings;
import io.herald.server.share.ShareGroupNotices;
import io.herald.server.share.SharePartitionManager;
import io.herald.server.share.ShareStateCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The cluster side of one broker that has {@code cluster.members} configured: its Hazelcast member, the conductor
 * that owns its view of the cluster image, the metadata store over that image and, once the partitions exist, the
 * replica manager that turns each image into leader and follower roles. A broker without {@code cluster.members} has
 * none of this and runs alone, as before.
 *
 * <p>Thread-safety: {@link #join}, {@link #startReplication} and {@link #close} are called once each from the thread
 * that starts and stops the broker; {@link #onFollowerFetch} is thread-safe.
 */
final class BrokerCluster implements AutoCloseable {

    /** How long a metadata change (CreateTopics, …) may wait for the consistent store. */
    static final long METADATA_TIMEOUT_MS = 30_000;
    /** How long a starting broker waits to join: a majority of the Raft members must be up. */
    private static final long JOIN_TIMEOUT_MS = 120_000;
    /** Replicas of {@code __share_group_state} (fewer while the cluster has fewer brokers), as Kafka's default. */
    private static final int SHARE_STATE_REPLICATION_FACTOR = 3;

    private final BrokerConfig config;
    private final ClusterConductor conductor;
    private final ClusterMetadataStore metadata;
    private final Clock clock;
    private volatile ReplicaManager replicas;

    private BrokerCluster(BrokerConfig config, ClusterConductor conductor, Clock clock) {
        this.config = config;
        this.conductor = conductor;
        this.metadata = new ClusterMetadataStore(conductor, METADATA_TIMEOUT_MS);
        this.clock = clock;
    }

    /** Whether {@code config} makes the broker a member of a cluster. */
    static boolean configured(BrokerConfig config) {
        return !config.get(BrokerConfig.CLUSTER_MEMBERS).isBlank();
    }

    /** Joins the cluster as {@code self} and returns once this broker is registered in the cluster image. */
    static BrokerCluster join(BrokerConfig config, BrokerNode self, Path metadataDir, Clock clock) throws IOException {
        LocalImageCopy copy = new LocalImageCopy(metadataDir);
        HazelcastClusterBackend backend = new HazelcastClusterBackend(hazelcastSettings(config));
        ClusterConductor conductor = new ClusterConductor(
                backend,
                new BrokerRegistration(self, UUID.randomUUID().toString()),
                copy,
                copy.read(),
                clock,
                new ClusterConductor.Settings(
                        500,
                        config.get(BrokerConfig.AUTO_LEADER_REBALANCE_ENABLE),
                        config.get(BrokerConfig.LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS) * 1000,
                        config.get(BrokerConfig.UNCLEAN_LEADER_ELECTION_ENABLE),
                        30_000,
                        // cut off as long as the others take to count it out: by then they may lead its partitions
                        config.get(BrokerConfig.CLUSTER_FAILURE_TIMEOUT_MS)));
        try {
            conductor.start(JOIN_TIMEOUT_MS);
        } catch (IOException | RuntimeException e) {
            conductor.close();
            throw e;
        }
        return new BrokerCluster(config, conductor, clock);
    }

    static HazelcastSettings hazelcastSettings(BrokerConfig config) {
        List<String> members = Arrays.stream(
                        config.get(BrokerConfig.CLUSTER_MEMBERS).split(","))
                .map(String::trim)
                .filter(m -> !m.isEmpty())
                .toList();
        int cp = config.get(BrokerConfig.CLUSTER_CP_MEMBER_COUNT);
        if (cp < 0) {
            cp = members.size() >= 3 ? members.size() : 0;
        }
        int failureSeconds = (int) Math.max(2, (config.get(BrokerConfig.CLUSTER_FAILURE_TIMEOUT_MS) + 999) / 1000);
        int removalSeconds =
                (int) Math.max(failureSeconds, (config.get(BrokerConfig.CLUSTER_CP_MEMBER_REMOVAL_MS) + 999) / 1000);
        return new HazelcastSettings(
                config.nodeId(),
                config.get(BrokerConfig.CLUSTER_NAME),
                config.get(BrokerConfig.CLUSTER_HOST),
                config.get(BrokerConfig.CLUSTER_PORT),
                config.get(BrokerConfig.CLUSTER_ADVERTISED_ADDRESS),
                members,
                cp,
                1,
                failureSeconds,
                failureSeconds,
                removalSeconds,
                1000,
                5000);
    }

    ClusterConductor conductor() {
        return conductor;
    }

    ClusterMetadataStore metadata() {
        return metadata;
    }

    /**
     * Starts replication once the partitions and the group coordinator exist: the replica manager applies the current
     * image (opening this broker's replicas as leaders or followers) and every later one, and moves group
     * coordination with the leadership of {@code __consumer_offsets} partitions.
     */
    void startReplication(
            PartitionManager partitions, GroupCoordinator groups, SharePartitionManager shares, BrokerMetrics metrics) {
        ReplicaManager r =
                new ReplicaManager(config.nodeId(), partitions, conductor, replicaSettings(), clock, metrics);
        r.addLeadershipListener(new ReplicaManager.LeadershipListener() {
            @Override
            public void onBecomeLeader(TopicPartition tp) {
                if (tp.topic().equals(GroupConfig.OFFSETS_TOPIC)) {
                    groups.onBecomeLeader(tp.partition());
                }
            }

            @Override
            public void onResign(TopicPartition tp) {
                if (tp.topic().equals(GroupConfig.OFFSETS_TOPIC)) {
                    groups.onResign(tp.partition());
                }
                shares.onResign(tp); // the new leader continues the share partitions from the state topic
            }
        });
        replicas = r;
        conductor.addListener(r::apply);
        conductor.reapply();
    }

    /**
     * How share groups reach the replicated {@code __share_group_state}: over the inter-broker listener with its
     * client settings, bootstrapping from the live brokers; and how their notices reach the other brokers: on the
     * cluster backend's notice channel.
     */
    ShareStateCluster shareStateCluster() {
        String listener = interBrokerListener();
        return new ShareStateCluster(
                InterBrokerClientSettings.of(config, listener),
                () -> String.join(
                        ",",
                        conductor.liveBrokers().stream()
                                .flatMap(b -> b.endpoint(listener).stream())
                                .map(e -> e.host() + ":" + e.port())
                                .toList()),
                SHARE_STATE_REPLICATION_FACTOR,
                METADATA_TIMEOUT_MS,
                new ShareGroupNotices.Channel() {
                    @Override
                    public void publish(byte[] notice) {
                        conductor.publishNotice(notice);
                    }

                    @Override
                    public void subscribe(java.util.function.Consumer<byte[]> receiver) {
                        conductor.addNoticeListener(receiver);
                    }
                });
    }

    /** The other brokers, as share-group administration asks them over the inter-broker listener. */
    SharePeers sharePeers() {
        String listener = interBrokerListener();
        return SharePeers.of(
                conductor, config.nodeId(), listener, () -> InterBrokerClientSettings.of(config, listener), (int)
                        METADATA_TIMEOUT_MS);
    }

    private String interBrokerListener() {
        String listener = config.get(BrokerConfig.INTER_BROKER_LISTENER_NAME);
        if (listener.isBlank()) {
            listener =
                    config.listeners().stream().map(Listener::name).findFirst().orElse("PLAINTEXT");
        }
        return listener;
    }

    private ReplicaManager.Settings replicaSettings() {
        String listener = interBrokerListener();
        return new ReplicaManager.Settings(
                listener,
                config.get(BrokerConfig.REPLICA_LAG_TIME_MAX_MS),
                config.get(BrokerConfig.REPLICA_FETCH_WAIT_MAX_MS),
                config.get(BrokerConfig.REPLICA_FETCH_RESPONSE_MAX_BYTES),
                config.get(BrokerConfig.REPLICA_FETCH_MAX_BYTES),
                config.get(BrokerConfig.REPLICA_FETCH_BACKOFF_MS),
                config.get(BrokerConfig.REPLICA_SOCKET_TIMEOUT_MS),
                config.get(BrokerConfig.MIN_INSYNC_REPLICAS),
                InterBrokerClientSettings.of(config, listener));
    }

    /** A follower's fetch reached a partition this broker leads. */
    void onFollowerFetch(Partition partition, int replicaId, long fetchOffset) {
        ReplicaManager r = replicas;
        if (r != null) {
            r.onFollowerFetch(partition, replicaId, fetchOffset);
        }
    }

    /** The brokers that can take replicas now. */
    int availableBrokers() {
        return metadata.availableBrokers().size();
    }

    @Override
    public void close() {
        conductor.close(); // first, so that no image is applied to replicas being closed
        ReplicaManager r = replicas;
        if (r != null) {
            r.close();
        }
    }
}
