package io.herald.server.api;

import io.herald.server.cluster.ClusterView;
import io.herald.server.group.JmsPresenceGroups;
import io.herald.server.metadata.BrokerNode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.NetworkClientUtils;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.ChannelBuilders;
import org.apache.kafka.common.network.NetworkReceive;
import org.apache.kafka.common.network.Selectable;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMS presence groups ({@code jms.owner.*}) that the other live brokers of the cluster coordinate, asked of each
 * over its inter-broker listener with the broker's own inter-broker credentials: ListGroups (v4), then DescribeGroups
 * (v5) of the {@code jms.owner.*} groups it lists. Each broker lists only the groups it coordinates, so together with
 * this broker's own every open connection is seen once.
 *
 * <p>Design note: one short-lived kafka-clients {@code NetworkClient} per broker and call (as the replica fetchers
 * use, so TLS and SASL come for free): the console asks every few seconds at most, and a connection per ask needs no
 * cache to invalidate when brokers come and go. A broker that does not answer within the timeout is reported, not
 * waited for.
 *
 * <p>Thread-safety: thread-safe; nothing is shared between calls.
 */
final class PeerPresenceGroups {

    private static final Logger LOG = LoggerFactory.getLogger(PeerPresenceGroups.class);
    private static final short LIST_VERSION = 4;
    private static final short DESCRIBE_VERSION = 5;
    private static final ConfigDef CLIENT_SECURITY = new ConfigDef()
            .define(
                    "security.protocol",
                    ConfigDef.Type.STRING,
                    "PLAINTEXT",
                    ConfigDef.Importance.HIGH,
                    "The peer's listener protocol.")
            .withClientSslSupport()
            .withClientSaslSupport();

    /** What the other brokers answered: their groups, and the ids of those that did not answer. */
    record Answer(List<DescribedGroup> groups, List<Integer> unreachableBrokers) {}

    private final ClusterView cluster;
    private final int selfId;
    private final String listener;
    private final Supplier<Map<String, Object>> security;
    private final int timeoutMs;
    private final Time time = Time.SYSTEM;

    PeerPresenceGroups(
            ClusterView cluster, int selfId, String listener, Supplier<Map<String, Object>> security, int timeoutMs) {
        this.cluster = cluster;
        this.selfId = selfId;
        this.listener = listener;
        this.security = security;
        this.timeoutMs = timeoutMs;
    }

    /** The presence groups of every other live broker that answers. */
    Answer describe() {
        List<DescribedGroup> groups = new ArrayList<>();
        List<Integer> unreachable = new ArrayList<>();
        for (BrokerNode b : cluster.liveBrokers()) {
            if (b.id() == selfId) {
                continue;
            }
            try {
                groups.addAll(describe(b));
            } catch (IOException | RuntimeException e) {
                LOG.debug("Broker {} did not list its JMS presence groups", b.id(), e);
                unreachable.add(b.id());
            }
        }
        return new Answer(groups, unreachable);
    }

    private List<DescribedGroup> describe(BrokerNode broker) throws IOException {
        BrokerNode.Endpoint e = broker.endpoint(listener)
                .orElseThrow(() -> new IOException("Broker " + broker.id() + " has no listener " + listener));
        Metrics metrics = new Metrics(time);
        NetworkClient client = null;
        try {
            client = connect(broker.id(), e, metrics);
            Node node = new Node(broker.id(), e.host(), e.port());
            ListGroupsResponseData listed = (ListGroupsResponseData) send(
                    client,
                    node,
                    ApiKeys.LIST_GROUPS,
                    LIST_VERSION,
                    v -> new ListGroupsRequest.Builder(new ListGroupsRequestData()).build(v));
            if (listed.errorCode() != Errors.NONE.code()) {
                throw Errors.forCode(listed.errorCode()).exception();
            }
            List<String> owners = listed.groups().stream()
                    .map(ListGroupsResponseData.ListedGroup::groupId)
                    .filter(g -> g.startsWith(JmsPresenceGroups.OWNER_PREFIX))
                    .toList();
            if (owners.isEmpty()) {
                return List.of();
            }
            DescribeGroupsResponseData described = (DescribeGroupsResponseData) send(
                    client,
                    node,
                    ApiKeys.DESCRIBE_GROUPS,
                    DESCRIBE_VERSION,
                    v -> new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData().setGroups(owners)).build(v));
            return described.groups();
        } finally {
            if (client != null) {
                client.close();
            }
            metrics.close();
        }
    }

    private interface RequestFactory {
        AbstractRequest build(short version);
    }

    private org.apache.kafka.common.protocol.ApiMessage send(
            NetworkClient client, Node node, ApiKeys key, short version, RequestFactory factory) throws IOException {
        AbstractRequest.Builder<AbstractRequest> builder = new AbstractRequest.Builder<>(key, version, version) {
            @Override
            public AbstractRequest build(short v) {
                return factory.build(v);
            }
        };
        ClientRequest request =
                client.newClientRequest(node.idString(), builder, time.milliseconds(), true, timeoutMs, null);
        ClientResponse response = NetworkClientUtils.sendAndReceive(client, request, time);
        return response.responseBody().data();
    }

    private NetworkClient connect(int id, BrokerNode.Endpoint e, Metrics metrics) throws IOException {
        LogContext logContext = new LogContext("[herald-console to broker " + id + "] ");
        AbstractConfig config = new AbstractConfig(CLIENT_SECURITY, security.get(), false);
        ChannelBuilder channels = ChannelBuilders.clientChannelBuilder(
                org.apache.kafka.common.security.auth.SecurityProtocol.forName(config.getString("security.protocol")),
                JaasContext.Type.CLIENT,
                config,
                null,
                config.getString(SaslConfigs.SASL_MECHANISM),
                time,
                logContext);
        Selector selector = new Selector(
                NetworkReceive.UNLIMITED,
                60_000,
                metrics,
                time,
                "herald-console-peer",
                Map.of("broker", String.valueOf(id)),
                false,
                channels,
                logContext);
        NetworkClient client = new NetworkClient(
                selector,
                new ManualMetadataUpdater(),
                "herald-console-" + selfId,
                1,
                0,
                0,
                Selectable.USE_DEFAULT_BUFFER_SIZE,
                Selectable.USE_DEFAULT_BUFFER_SIZE,
                timeoutMs,
                timeoutMs,
                timeoutMs,
                time,
                false,
                new ApiVersions(),
                logContext,
                MetadataRecoveryStrategy.NONE);
        Node node = new Node(id, e.host(), e.port());
        try {
            if (!NetworkClientUtils.awaitReady(client, node, time, timeoutMs)) {
                throw new SocketTimeoutException(
                        "Broker " + id + " at " + e.host() + ":" + e.port() + " not ready within " + timeoutMs + " ms");
            }
        } catch (IOException | RuntimeException failure) {
            client.close();
            throw failure;
        }
        return client;
    }
}
