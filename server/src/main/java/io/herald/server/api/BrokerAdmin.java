package io.herald.server.api;

import io.herald.server.cluster.ClusterView;
import io.herald.server.config.BrokerConfig;
import io.herald.server.config.ConfigDescriber;
import io.herald.server.config.ConfigUpdater;
import io.herald.server.config.Listener;
import io.herald.server.group.GroupCoordinator;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.metadata.TopicManager;
import io.herald.server.metrics.BrokerMetrics;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.security.BrokerSecurity;
import io.herald.server.security.InterBrokerClientSettings;
import io.herald.server.share.ShareCoordinator;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The administration API of one running broker (see the package description): the cluster's state as this broker
 * knows it, its log directories, and the topic, record and group areas.
 *
 * <p>Brokers, controller, leaders, replicas and ISRs come from the {@link ClusterView}: in a cluster, the cluster image
 * this broker applied last; a single broker is its own cluster and controller, and its partitions have one replica,
 * itself, in sync while the partition's log is open. "Under-replicated" and "offline" are computed from those facts
 * the same way in both.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class BrokerAdmin {

    /** What the cluster state calls a running broker. */
    public static final String RUNNING = "running";
    /** What the cluster state calls a registered broker that membership does not see (down or cut off). */
    public static final String OFFLINE = "offline";

    /**
     * A broker of the cluster.
     *
     * @param host the host clients are told (the first advertised listener's)
     * @param state {@link #RUNNING} for a broker that serves requests, {@link #OFFLINE} for one registered in the
     *     cluster that membership does not see
     */
    public record BrokerState(int id, String host, int port, String rack, String state, boolean controller) {}

    /**
     * The cluster at a glance.
     *
     * @param partitions partitions of all topics, internal ones included
     * @param underReplicatedPartitions online partitions with fewer in-sync replicas than replicas
     * @param offlinePartitions partitions without a live leader (on a single broker: their log could not be opened)
     * @param startTimeMs when this broker started
     */
    public record ClusterState(
            String clusterId,
            int controllerId,
            List<BrokerState> brokers,
            int topics,
            int partitions,
            int underReplicatedPartitions,
            int offlinePartitions,
            String version,
            long startTimeMs) {}

    /**
     * The replicas this broker holds, as Kafka's {@code ReplicaManager} metrics count them.
     *
     * @param partitions replicas hosted here, leaders and followers
     * @param leaders partitions this broker leads
     * @param underReplicatedPartitions partitions this broker leads whose ISR is smaller than their replicas (summed
     *     over the brokers, each under-replicated partition counts once)
     * @param isrShrinks ISR shrinks of partitions led here since the broker started
     * @param isrExpands ISR expansions of partitions led here since the broker started
     */
    public record ReplicaState(
            int partitions, int leaders, int underReplicatedPartitions, long isrShrinks, long isrExpands) {}

    /**
     * A data directory ({@code log.dirs}) of this broker.
     *
     * @param totalBytes the size of its file system, -1 if unknown
     * @param usableBytes the space left on it, -1 if unknown
     * @param partitionBytes what the partitions stored in it take
     * @param error why it cannot be used, or {@code null} when it is fine
     */
    public record LogDirState(
            String path, long totalBytes, long usableBytes, long partitionBytes, int partitions, String error) {}

    private final BrokerConfig config;
    private final BrokerNode self;
    private final ClusterView clusterView;
    private final PartitionManager partitions;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final long startTimeMs;
    private final TopicAdmin topics;
    private final RecordAccess records;
    private final GroupAdmin groups;
    private final SecurityAdmin security;
    private final JmsAdmin jms;
    private final JmsConnections jmsConnections;
    /** How long the console waits for another broker's answer before it reports the broker as not answering. */
    private static final int PEER_TIMEOUT_MS = 3000;

    private final ShareGroupAdmin shareGroups;

    private BrokerAdmin(
            BrokerConfig config,
            BrokerNode self,
            ClusterView clusterView,
            PartitionManager partitions,
            TopicManager topicManager,
            ConfigUpdater configUpdater,
            GroupCoordinator coordinator,
            BrokerSecurity security,
            ShareCoordinator shares,
            BrokerMetrics metrics,
            Clock clock) {
        this.config = config;
        this.self = self;
        this.clusterView = clusterView;
        this.partitions = partitions;
        this.metrics = metrics;
        this.clock = clock;
        this.startTimeMs = clock.millis();
        ConfigDescriber describer = new ConfigDescriber(configUpdater.broker());
        this.topics = new TopicAdmin(clusterView, partitions, topicManager, configUpdater, describer, metrics);
        this.records = new RecordAccess(partitions, metrics, clock);
        this.groups = new GroupAdmin(coordinator, partitions);
        this.security = new SecurityAdmin(config, security);
        ShareGroupReader shareReader = new ShareGroupReader(shares, records);
        this.jms = new JmsAdmin(shares, partitions, records, shareReader);
        this.jmsConnections = new JmsConnections(coordinator, peers(config, clusterView, self.id()));
        this.shareGroups = new ShareGroupAdmin(shares, partitions, shareReader);
    }

    /** Asks the other brokers for their JMS presence groups, over the listener followers fetch from. */
    private static PeerPresenceGroups peers(BrokerConfig config, ClusterView clusterView, int selfId) {
        String configured = config.get(BrokerConfig.INTER_BROKER_LISTENER_NAME);
        String listener = configured.isBlank()
                ? config.listeners().stream().map(Listener::name).findFirst().orElse("PLAINTEXT")
                : configured;
        return new PeerPresenceGroups(
                clusterView, selfId, listener, () -> InterBrokerClientSettings.of(config, listener), PEER_TIMEOUT_MS);
    }

    /** The administration API over the components of a started broker. */
    public static BrokerAdmin of(
            BrokerConfig config,
            BrokerNode self,
            ClusterView clusterView,
            PartitionManager partitions,
            TopicManager topicManager,
            ConfigUpdater configUpdater,
            GroupCoordinator coordinator,
            BrokerSecurity security,
            ShareCoordinator shares,
            BrokerMetrics metrics,
            Clock clock) {
        return new BrokerAdmin(
                config,
                self,
                clusterView,
                partitions,
                topicManager,
                configUpdater,
                coordinator,
                security,
                shares,
                metrics,
                clock);
    }

    /** The setting {@code admin.listeners}: where the admin console listens, empty when it is off. */
    public String adminListeners() {
        return config.get(BrokerConfig.ADMIN_LISTENERS);
    }

    /** How long an unused console login session lasts ({@code admin.session.idle.timeout.ms}). */
    public long adminSessionIdleTimeoutMs() {
        return config.get(BrokerConfig.ADMIN_SESSION_IDLE_TIMEOUT_MS);
    }

    /** How long a console login session lasts at most ({@code admin.session.max.lifetime.ms}). */
    public long adminSessionMaxLifetimeMs() {
        return config.get(BrokerConfig.ADMIN_SESSION_MAX_LIFETIME_MS);
    }

    /** The partitions of a topic created without a count ({@code num.partitions}). */
    public int defaultPartitions() {
        return config.get(BrokerConfig.NUM_PARTITIONS);
    }

    /** The replication factor of a topic created without one ({@code default.replication.factor}). */
    public int defaultReplicationFactor() {
        return config.get(BrokerConfig.DEFAULT_REPLICATION_FACTOR);
    }

    public int nodeId() {
        return self.id();
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    public Clock clock() {
        return clock;
    }

    public TopicAdmin topics() {
        return topics;
    }

    public RecordAccess records() {
        return records;
    }

    public GroupAdmin groups() {
        return groups;
    }

    /** Share groups (KIP-932), JMS ones included, as groups: members, assignments, what is waiting and in flight. */
    public ShareGroupAdmin shareGroups() {
        return shareGroups;
    }

    public SecurityAdmin security() {
        return security;
    }

    /** JMS queues and topics as the share groups behind them see them (docs/jms-mapping.md). */
    public JmsAdmin jms() {
        return jms;
    }

    /** The open JMS connections of the cluster (this broker's presence groups and the other brokers'). */
    public JmsConnections jmsConnections() {
        return jmsConnections;
    }

    /** Herald's version, from the server jar's manifest ("(development build)" when run from classes). */
    public static String version() {
        String v = BrokerAdmin.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    public long startTimeMs() {
        return startTimeMs;
    }

    /** The cluster's state, computed now from the metadata and the partitions. */
    public ClusterState cluster() {
        List<TopicAdmin.TopicState> all = topics.list();
        int partitionCount = 0;
        int underReplicated = 0;
        int offline = 0;
        for (TopicAdmin.TopicState t : all) {
            for (TopicAdmin.PartitionState p : t.partitionStates()) {
                partitionCount++;
                if (p.offline()) {
                    offline++;
                } else if (p.isr().size() < p.replicas().size()) {
                    underReplicated++;
                }
            }
        }
        int controller = clusterView.controllerId();
        List<BrokerState> brokers = new ArrayList<>();
        for (BrokerNode b : clusterView.registeredBrokers()) {
            BrokerNode.Endpoint endpoint =
                    b.endpoints().values().stream().findFirst().orElse(new BrokerNode.Endpoint("", -1));
            brokers.add(new BrokerState(
                    b.id(),
                    endpoint.host(),
                    endpoint.port(),
                    b.rack(),
                    clusterView.isLive(b.id()) ? RUNNING : OFFLINE,
                    b.id() == controller));
        }
        return new ClusterState(
                clusterView.clusterId(),
                controller,
                brokers,
                all.size(),
                partitionCount,
                underReplicated,
                offline,
                version(),
                startTimeMs);
    }

    /** The replicas this broker holds and the ISR changes of those it leads. */
    public ReplicaState replicas() {
        int hosted = 0;
        int leaders = 0;
        int underReplicated = 0;
        for (Partition p : partitions.partitions()) {
            hosted++;
            if (p.isLeader()) {
                leaders++;
                if (p.isr().size() < p.replicas().size()) {
                    underReplicated++;
                }
            }
        }
        return new ReplicaState(hosted, leaders, underReplicated, metrics.isrShrinks(), metrics.isrExpands());
    }

    /** Each data directory with its file system's size and free space and what the partitions in it take. */
    public List<LogDirState> logDirs() {
        Map<Path, long[]> usage = new LinkedHashMap<>();
        for (Path dir : config.logDirs()) {
            usage.put(dir.toAbsolutePath().normalize(), new long[2]);
        }
        for (Partition p : partitions.partitions()) {
            long[] u = usage.get(p.log().dir().getParent().toAbsolutePath().normalize());
            if (u != null) {
                u[0] += p.log().size();
                u[1]++;
            }
        }
        List<LogDirState> result = new ArrayList<>();
        usage.forEach((dir, u) -> {
            if (!Files.isDirectory(dir) || !Files.isReadable(dir) || !Files.isWritable(dir)) {
                result.add(new LogDirState(
                        dir.toString(), -1, -1, u[0], (int) u[1], "the directory cannot be read or written"));
                return;
            }
            long total = -1;
            long usable = -1;
            String error = null;
            try {
                FileStore store = Files.getFileStore(dir);
                total = store.getTotalSpace();
                usable = store.getUsableSpace();
            } catch (IOException e) {
                error = "the size of its file system is unknown: " + e.getMessage();
            }
            result.add(new LogDirState(dir.toString(), total, usable, u[0], (int) u[1], error));
        });
        return result;
    }
}
