package io.herald.server;

import io.herald.log.LogManager;
import io.herald.log.io.DiskStorage;
import io.herald.server.api.BrokerAdmin;
import io.herald.server.api.BrokerExtension;
import io.herald.server.cluster.ClusterPartitionAdministration;
import io.herald.server.cluster.ClusterView;
import io.herald.server.cluster.PartitionAdministration;
import io.herald.server.cluster.SingleBrokerView;
import io.herald.server.config.BrokerConfig;
import io.herald.server.config.ConfigDescriber;
import io.herald.server.config.ConfigUpdater;
import io.herald.server.config.DynamicBrokerConfig;
import io.herald.server.config.Listener;
import io.herald.server.fetch.DelayedFetches;
import io.herald.server.fetch.FetchSessionCache;
import io.herald.server.group.GroupConfig;
import io.herald.server.group.GroupCoordinator;
import io.herald.server.group.SystemGroupTime;
import io.herald.server.handler.AlterConfigsHandler;
import io.herald.server.handler.AlterPartitionReassignmentsHandler;
import io.herald.server.handler.AlterShareGroupOffsetsHandler;
import io.herald.server.handler.AlterUserScramCredentialsHandler;
import io.herald.server.handler.ApiVersionsHandler;
import io.herald.server.handler.ConsumerGroupDescribeHandler;
import io.herald.server.handler.ConsumerGroupHeartbeatHandler;
import io.herald.server.handler.CreateAclsHandler;
import io.herald.server.handler.CreatePartitionsHandler;
import io.herald.server.handler.CreateTopicsHandler;
import io.herald.server.handler.DeleteAclsHandler;
import io.herald.server.handler.DeleteGroupsHandler;
import io.herald.server.handler.DeleteRecordsHandler;
import io.herald.server.handler.DeleteTopicsHandler;
import io.herald.server.handler.DescribeAclsHandler;
import io.herald.server.handler.DescribeClusterHandler;
import io.herald.server.handler.DescribeConfigsHandler;
import io.herald.server.handler.DescribeGroupsHandler;
import io.herald.server.handler.DescribeLogDirsHandler;
import io.herald.server.handler.DescribeShareGroupOffsetsHandler;
import io.herald.server.handler.DescribeUserScramCredentialsHandler;
import io.herald.server.handler.ElectLeadersHandler;
import io.herald.server.handler.FetchHandler;
import io.herald.server.handler.FindCoordinatorHandler;
import io.herald.server.handler.HeartbeatHandler;
import io.herald.server.handler.IncrementalAlterConfigsHandler;
import io.herald.server.handler.InitProducerIdHandler;
import io.herald.server.handler.JoinGroupHandler;
import io.herald.server.handler.LeaveGroupHandler;
import io.herald.server.handler.ListGroupsHandler;
import io.herald.server.handler.ListOffsetsHandler;
import io.herald.server.handler.ListPartitionReassignmentsHandler;
import io.herald.server.handler.MetadataHandler;
import io.herald.server.handler.OffsetCommitHandler;
import io.herald.server.handler.OffsetDeleteHandler;
import io.herald.server.handler.OffsetFetchHandler;
import io.herald.server.handler.OffsetForLeaderEpochHandler;
import io.herald.server.handler.OnGroupThreads;
import io.herald.server.handler.ProduceHandler;
import io.herald.server.handler.SaslAuthenticateHandler;
import io.herald.server.handler.SaslHandshakeHandler;
import io.herald.server.handler.ShareAcknowledgeHandler;
import io.herald.server.handler.ShareFetchHandler;
import io.herald.server.handler.ShareGroupDescribeHandler;
import io.herald.server.handler.ShareGroupHeartbeatHandler;
import io.herald.server.handler.SharePeers;
import io.herald.server.handler.SyncGroupHandler;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.metadata.LocalMetadataStore;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.metadata.TopicManager;
import io.herald.server.metrics.BrokerMetrics;
import io.herald.server.network.NetworkSettings;
import io.herald.server.network.RequestChannel;
import io.herald.server.network.SocketServer;
import io.herald.server.partition.PartitionManager;
import io.herald.server.partition.ProducerIdManager;
import io.herald.server.protocol.ApiDispatcher;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestHandlerPool;
import io.herald.server.queue.TemporaryDestinationReaper;
import io.herald.server.security.BrokerSecurity;
import io.herald.server.security.SharedSecurityStores;
import io.herald.server.share.ShareCoordinator;
import io.herald.server.share.ShareFetchService;
import io.herald.server.share.ShareGroupConfig;
import io.herald.server.share.ShareGroupConfigUpdater;
import io.herald.server.share.SharePartitionManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Herald broker: the log engine, the metadata, the partitions, the network layer and the API handlers, started in
 * dependency order and stopped in reverse (sockets first, so no request arrives while the logs close; the logs last,
 * flushed and checkpointed, with the clean-shutdown marker). {@link BrokerExtension}s found on the class path (the admin
 * console) start last, over {@link #admin()}, and stop first.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} are called once each.
 */
public final class HeraldServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeraldServer.class);
    private static final long PRODUCER_ID_EXPIRATION_MS = 24L * 3600 * 1000;

    private final BrokerConfig config;
    private final Clock clock;
    private LogManager logs;
    private MetadataStore metadata;
    private DynamicBrokerConfig dynamicConfig;
    private PartitionManager partitions;
    private DelayedFetches delayedFetches;
    private BrokerSecurity security;
    private SocketServer socketServer;
    private RequestHandlerPool handlerPool;
    private SystemGroupTime groupTime;
    private GroupCoordinator groupCoordinator;
    private SharePartitionManager sharePartitions;
    private ShareCoordinator shareCoordinator;
    private SharePeers sharePeers;
    private TemporaryDestinationReaper temporaryReaper;
    private BrokerNode self;
    private ClusterView clusterView;
    private BrokerCluster cluster;
    private final BrokerMetrics metrics = new BrokerMetrics();
    private BrokerAdmin admin;
    private final List<BrokerExtension.Running> extensions = new ArrayList<>();
    private volatile boolean closed;

    private HeraldServer(BrokerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Starts a broker; on failure everything started so far is stopped again. */
    public static HeraldServer start(BrokerConfig config) throws IOException {
        return start(config, Clock.systemUTC());
    }

    public static HeraldServer start(BrokerConfig config, Clock clock) throws IOException {
        HeraldServer server = new HeraldServer(config, clock);
        try {
            server.startComponents();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startComponents() throws IOException {
        if (!config.unknownKeys().isEmpty()) {
            log.warn("Ignoring unknown configuration keys: {}", String.join(", ", config.unknownKeys()));
        }
        Path metadataDir = config.logDirs().get(0);
        security = BrokerSecurity.open(config);
        RequestChannel channel = new RequestChannel(config.get(BrokerConfig.QUEUED_MAX_REQUESTS));
        channel.onCompleted(r -> metrics.requestCompleted(r.header().apiKey(), r.times()));
        boolean clustered = BrokerCluster.configured(config);
        if (clustered) {
            // A broker registers its advertised endpoints when it joins, so its listeners are bound first; requests
            // wait in the channel until the handlers start.
            startSocketServer(channel);
            cluster = BrokerCluster.join(config, self, metadataDir, clock);
            metadata = cluster.metadata();
            SharedSecurityStores.install(cluster.conductor(), security, BrokerCluster.METADATA_TIMEOUT_MS);
        } else {
            metadata = LocalMetadataStore.open(metadataDir);
        }
        dynamicConfig = DynamicBrokerConfig.load(config, metadata);
        Map<String, Map<String, String>> overrides = new LinkedHashMap<>();
        for (TopicInfo t : metadata.topics()) {
            overrides.put(t.name(), t.configs());
        }
        logs = LogManager.open(
                config.logManagerConfig()
                        .withTopicDefaults(dynamicConfig.current().topicDefaults()),
                DiskStorage.instance(),
                clock,
                overrides);
        dynamicConfig.addListener(current -> logs.setTopicDefaults(current.topicDefaults()));
        if (clustered) {
            cluster.conductor().addListener(image -> dynamicConfig.refresh());
        }
        if (clustered) {
            // The replica manager opens the partitions assigned here once the handlers exist (startReplication).
            partitions = new PartitionManager(logs, metadata, clock, PRODUCER_ID_EXPIRATION_MS, config.nodeId(), true);
        } else {
            partitions = new PartitionManager(logs, metadata, clock, PRODUCER_ID_EXPIRATION_MS);
            partitions.start();
        }
        delayedFetches = new DelayedFetches();
        partitions.addAppendListener(delayedFetches::onAppend);

        TopicManager topics;
        ProducerIdManager producerIds;
        if (clustered) {
            clusterView = cluster.conductor();
            topics = new TopicManager(
                    metadata,
                    partitions,
                    config.topicDefaults(),
                    cluster::availableBrokers,
                    config.get(BrokerConfig.DELETE_TOPIC_ENABLE));
            producerIds = ProducerIdManager.open(metadataDir, (long) config.nodeId() << 40);
        } else {
            startSocketServer(channel);
            clusterView = new SingleBrokerView(metadata, partitions, () -> self);
            topics = new TopicManager(
                    metadata, partitions, config.topicDefaults(), 1, config.get(BrokerConfig.DELETE_TOPIC_ENABLE));
            producerIds = ProducerIdManager.open(metadataDir);
        }
        AtomicReference<ApiDispatcher> dispatcher = new AtomicReference<>();
        List<ApiHandler<?>> handlers = new ArrayList<>();
        handlers.add(new ApiVersionsHandler(() -> dispatcher.get().apiVersions()));
        handlers.add(new MetadataHandler(
                topics,
                partitions,
                clusterView,
                config.get(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE),
                config.get(BrokerConfig.NUM_PARTITIONS),
                config.get(BrokerConfig.DEFAULT_REPLICATION_FACTOR)));
        handlers.add(new CreateTopicsHandler(
                topics,
                config.get(BrokerConfig.NUM_PARTITIONS),
                config.get(BrokerConfig.DEFAULT_REPLICATION_FACTOR),
                new ConfigDescriber(dynamicConfig)));
        handlers.add(new ProduceHandler(partitions, metrics));
        handlers.add(new FetchHandler(
                partitions,
                new FetchSessionCache(1000),
                delayedFetches,
                metrics,
                clustered ? cluster::onFollowerFetch : (p, replica, offset) -> {}));
        handlers.add(new ListOffsetsHandler(partitions));
        handlers.add(new OffsetForLeaderEpochHandler(partitions));
        handlers.add(new InitProducerIdHandler(producerIds));
        handlers.add(new DeleteTopicsHandler(topics));
        handlers.add(new CreatePartitionsHandler(topics, config.nodeId()));
        handlers.add(new DeleteRecordsHandler(partitions));
        ConfigUpdater configUpdater = new ConfigUpdater(topics, dynamicConfig);
        sharePartitions = clustered
                ? SharePartitionManager.startClustered(
                        ShareGroupConfig.from(config), topics, partitions, clock, cluster.shareStateCluster())
                : SharePartitionManager.start(ShareGroupConfig.from(config), topics, partitions, clock);
        shareCoordinator = new ShareCoordinator(sharePartitions, metadata);
        sharePeers = clustered ? cluster.sharePeers() : SharePeers.none();
        handlers.add(new IncrementalAlterConfigsHandler(
                configUpdater,
                new ShareGroupConfigUpdater(sharePartitions),
                sharePeers,
                group -> groupCoordinator.partitionFor(group)));
        handlers.add(new DescribeConfigsHandler(metadata, dynamicConfig, sharePartitions));
        handlers.add(new AlterConfigsHandler(configUpdater));
        handlers.add(new DescribeClusterHandler(clusterView));
        handlers.add(new DescribeLogDirsHandler(config.logDirs(), partitions));
        PartitionAdministration partitionAdmin = clustered
                ? new ClusterPartitionAdministration(cluster.metadata())
                : PartitionAdministration.single(clusterView, config.nodeId());
        handlers.add(new ElectLeadersHandler(partitionAdmin));
        handlers.add(new AlterPartitionReassignmentsHandler(partitionAdmin));
        handlers.add(new ListPartitionReassignmentsHandler(partitionAdmin));
        addGroupHandlers(handlers, topics);
        temporaryReaper = TemporaryDestinationReaper.start(topics, groupCoordinator, clock::millis);
        addSecurityHandlers(handlers);
        addShareHandlers(handlers);
        if (clustered) {
            cluster.startReplication(partitions, groupCoordinator, sharePartitions, metrics);
        }
        dispatcher.set(new ApiDispatcher(handlers, security.access(), metrics));
        handlerPool = new RequestHandlerPool(channel, dispatcher.get(), config.get(BrokerConfig.NUM_IO_THREADS));
        handlerPool.start();
        admin = BrokerAdmin.of(
                config,
                self,
                clusterView,
                partitions,
                topics,
                configUpdater,
                groupCoordinator,
                security,
                shareCoordinator,
                metrics,
                clock);
        startExtensions();
        log.info(
                "Herald broker {} started: cluster {}, listeners {}, data in {}",
                config.nodeId(),
                metadata.clusterId(),
                self.endpoints().entrySet().stream()
                        .map(e -> e.getKey() + "://" + e.getValue().host() + ":"
                                + e.getValue().port())
                        .toList(),
                config.logDirs());
    }

    /** The group coordinator and its APIs; KIP-848's only when the consumer protocol is enabled. */
    private void addGroupHandlers(List<ApiHandler<?>> handlers, TopicManager topics) {
        GroupConfig groupConfig = GroupConfig.from(config);
        groupTime = new SystemGroupTime(clock);
        groupCoordinator = GroupCoordinator.start(groupConfig, topics, partitions, groupTime);
        handlers.add(new FindCoordinatorHandler(groupCoordinator, clusterView));
        handlers.add(OnGroupThreads.of(new JoinGroupHandler(groupCoordinator), groupCoordinator));
        handlers.add(OnGroupThreads.of(new SyncGroupHandler(groupCoordinator), groupCoordinator));
        handlers.add(OnGroupThreads.of(new HeartbeatHandler(groupCoordinator), groupCoordinator));
        handlers.add(OnGroupThreads.of(new LeaveGroupHandler(groupCoordinator), groupCoordinator));
        handlers.add(OnGroupThreads.of(new OffsetCommitHandler(groupCoordinator), groupCoordinator));
        handlers.add(OnGroupThreads.of(new OffsetFetchHandler(groupCoordinator), groupCoordinator));
        handlers.add(OnGroupThreads.of(new OffsetDeleteHandler(groupCoordinator), groupCoordinator));
        handlers.add(OnGroupThreads.of(
                new ListGroupsHandler(groupCoordinator, shareCoordinator::listGroups, sharePeers), groupCoordinator));
        handlers.add(OnGroupThreads.of(new DescribeGroupsHandler(groupCoordinator), groupCoordinator));
        handlers.add(new DeleteGroupsHandler(groupCoordinator, shareCoordinator, sharePeers));
        if (groupConfig.consumer().enabled()) {
            handlers.add(OnGroupThreads.of(new ConsumerGroupHeartbeatHandler(groupCoordinator), groupCoordinator));
            handlers.add(OnGroupThreads.of(new ConsumerGroupDescribeHandler(groupCoordinator), groupCoordinator));
        }
    }

    private void startSocketServer(RequestChannel channel) throws IOException {
        socketServer = new SocketServer(config.listeners(), networkSettings(), channel, security);
        socketServer.start();
        self = advertisedNode();
    }

    /** Starts every {@link BrokerExtension} on the class path (the admin console, when its jar is there). */
    private void startExtensions() throws IOException {
        for (BrokerExtension extension :
                ServiceLoader.load(BrokerExtension.class, HeraldServer.class.getClassLoader())) {
            log.debug("Starting the {}", extension.name());
            extensions.add(extension.start(admin));
        }
    }

    /** SASL authentication, SCRAM credential and ACL administration. */
    private void addSecurityHandlers(List<ApiHandler<?>> handlers) {
        handlers.add(new SaslHandshakeHandler(security.mechanisms()));
        handlers.add(new SaslAuthenticateHandler(config.get(BrokerConfig.CONNECTIONS_MAX_REAUTH_MS)));
        handlers.add(new DescribeUserScramCredentialsHandler(security.credentials()));
        handlers.add(new AlterUserScramCredentialsHandler(security.credentials()));
        handlers.add(new CreateAclsHandler(security.access()));
        handlers.add(new DescribeAclsHandler(security.access()));
        handlers.add(new DeleteAclsHandler(security.access()));
    }

    /** Share groups (KIP-932), which JMS queues use. */
    private void addShareHandlers(List<ApiHandler<?>> handlers) {
        ShareFetchService shareFetches = new ShareFetchService(sharePartitions, partitions);
        handlers.add(new ShareGroupHeartbeatHandler(shareCoordinator));
        handlers.add(new ShareGroupDescribeHandler(shareCoordinator));
        handlers.add(new DescribeShareGroupOffsetsHandler(sharePartitions, partitions, metadata, sharePeers));
        handlers.add(new AlterShareGroupOffsetsHandler(shareCoordinator, metadata, sharePeers));
        handlers.add(new ShareFetchHandler(shareFetches, delayedFetches, config.nodeId()));
        handlers.add(new ShareAcknowledgeHandler(shareFetches, config.nodeId()));
    }

    private NetworkSettings networkSettings() {
        return new NetworkSettings(
                config.get(BrokerConfig.NUM_NETWORK_THREADS),
                config.get(BrokerConfig.SOCKET_REQUEST_MAX_BYTES),
                config.get(BrokerConfig.SOCKET_SEND_BUFFER_BYTES),
                config.get(BrokerConfig.SOCKET_RECEIVE_BUFFER_BYTES),
                config.get(BrokerConfig.CONNECTIONS_MAX_IDLE_MS));
    }

    /** The advertised endpoints, with the bound port where a listener asked for an ephemeral one. */
    private BrokerNode advertisedNode() {
        Map<String, BrokerNode.Endpoint> endpoints = new LinkedHashMap<>();
        for (Listener l : config.advertisedListeners()) {
            int port = l.port() == 0 ? socketServer.boundPort(l.name()) : l.port();
            endpoints.put(l.name(), new BrokerNode.Endpoint(l.host(), port));
        }
        return new BrokerNode(config.nodeId(), null, endpoints);
    }

    /** The port {@code listener} is bound to (useful when it was configured as 0). */
    public int boundPort(String listener) {
        return socketServer.boundPort(listener);
    }

    public BrokerConfig config() {
        return config;
    }

    public PartitionManager partitions() {
        return partitions;
    }

    public MetadataStore metadata() {
        return metadata;
    }

    /** The configuration in force: {@code server.properties} with the dynamic broker configs. */
    public DynamicBrokerConfig dynamicConfig() {
        return dynamicConfig;
    }

    /** The cluster as this broker sees it (itself alone without {@code cluster.members}). */
    public ClusterView cluster() {
        return clusterView;
    }

    /** Credentials and authorization, e.g. for the console. */
    public BrokerSecurity security() {
        return security;
    }

    public GroupCoordinator groupCoordinator() {
        return groupCoordinator;
    }

    /** The broker's traffic and request counters. */
    public BrokerMetrics metrics() {
        return metrics;
    }

    /** The administration API of this broker (what the admin console uses). */
    public BrokerAdmin admin() {
        return admin;
    }

    /** The running {@link BrokerExtension}s, in the order they started. */
    public List<BrokerExtension.Running> extensions() {
        return List.copyOf(extensions);
    }

    public ShareCoordinator shareCoordinator() {
        return shareCoordinator;
    }

    /** Stops accepting and closes connections, stops the I/O threads, then flushes and closes the logs. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = extensions.size() - 1; i >= 0; i--) {
            try {
                extensions.get(i).close();
            } catch (RuntimeException e) {
                log.warn("Stopping a broker extension failed", e);
            }
        }
        if (socketServer != null) {
            socketServer.close();
        }
        try {
            if (handlerPool != null) {
                handlerPool.close();
            }
            if (delayedFetches != null) {
                delayedFetches.close();
            }
            if (temporaryReaper != null) {
                temporaryReaper.close();
            }
            if (groupCoordinator != null) {
                groupCoordinator.close();
            }
            if (groupTime != null) {
                groupTime.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            if (shareCoordinator != null) {
                shareCoordinator.close();
            }
            if (sharePeers != null) {
                sharePeers.close();
            }
            if (sharePartitions != null) {
                sharePartitions.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (security != null) {
            security.close();
        }
        if (logs != null) {
            try {
                logs.close();
            } catch (IOException e) {
                log.error("Closing the logs failed; the next start will recover them", e);
            }
        }
        log.info("Herald broker {} stopped", config.nodeId());
    }
}
