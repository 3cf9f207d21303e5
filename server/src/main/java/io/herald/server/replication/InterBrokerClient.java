package io.herald.server.replication;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;
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
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.ChannelBuilders;
import org.apache.kafka.common.network.NetworkReceive;
import org.apache.kafka.common.network.Selectable;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AlterShareGroupOffsetsRequest;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeShareGroupOffsetsRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * A broker's connection to another broker over the inter-broker listener (a follower's to its leader, the console's
 * to its peers): kafka-clients' own {@code NetworkClient} (as Kafka's replica fetchers use), so the connection speaks
 * every security protocol a listener can have — TLS with the listener's trust and key material, SASL with the
 * inter-broker credentials, re-authentication when the other broker asks — with nothing of it written here. Requests
 * go one at a time and the caller blocks for the answer.
 *
 * <p>Thread-safety: not thread-safe; one thread owns it, except {@link #wakeUpAndClose}, which any thread may call to
 * end a request in progress.
 */
public final class InterBrokerClient implements AutoCloseable {

    private static final ConfigDef CLIENT_SECURITY = new ConfigDef()
            .define(
                    "security.protocol",
                    ConfigDef.Type.STRING,
                    "PLAINTEXT",
                    ConfigDef.Importance.HIGH,
                    "The leader's listener protocol.")
            .withClientSslSupport()
            .withClientSaslSupport();

    private final NetworkClient client;
    private final Metrics metrics;
    private final Node leader;
    private final int requestTimeoutMs;
    private final Time time = Time.SYSTEM;

    private InterBrokerClient(NetworkClient client, Metrics metrics, Node leader, int requestTimeoutMs) {
        this.client = client;
        this.metrics = metrics;
        this.leader = leader;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * Connects (and, on a secured listener, completes the TLS handshake and SASL authentication).
     *
     * @param security Kafka client settings: {@code security.protocol}, {@code ssl.*}, {@code sasl.*}
     * @throws IOException if the leader could not be reached within {@code timeoutMs}
     * @throws org.apache.kafka.common.errors.AuthenticationException if the leader refused this broker
     */
    public static InterBrokerClient connect(
            int leaderId, String host, int port, String clientId, Map<String, Object> security, int timeoutMs)
            throws IOException {
        Time time = Time.SYSTEM;
        LogContext logContext = new LogContext("[" + clientId + " to broker " + leaderId + "] ");
        AbstractConfig config = new AbstractConfig(CLIENT_SECURITY, security, false);
        SecurityProtocol protocol = SecurityProtocol.forName(config.getString("security.protocol"));
        Metrics metrics = new Metrics(time);
        NetworkClient client = null;
        try {
            ChannelBuilder channels = ChannelBuilders.clientChannelBuilder(
                    protocol,
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
                    clientId,
                    Map.of("broker", String.valueOf(leaderId)),
                    false,
                    channels,
                    logContext);
            client = new NetworkClient(
                    selector,
                    new ManualMetadataUpdater(),
                    clientId,
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
            Node leader = new Node(leaderId, host, port);
            if (!NetworkClientUtils.awaitReady(client, leader, time, timeoutMs)) {
                throw new SocketTimeoutException(
                        "Broker " + leaderId + " at " + host + ":" + port + " not ready within " + timeoutMs + " ms");
            }
            return new InterBrokerClient(client, metrics, leader, timeoutMs);
        } catch (IOException | RuntimeException e) {
            if (client != null) {
                client.close();
            }
            metrics.close();
            throw e;
        }
    }

    /**
     * Sends {@code request} (what brokers ask each other: Fetch, OffsetForLeaderEpoch, ListGroups, DescribeGroups, and
     * the share-group administration requests a broker passes on to the others) at {@code version} and waits for its
     * response.
     */
    @SuppressWarnings("unchecked")
    public <R extends ApiMessage> R send(ApiMessage request, short version) throws IOException {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        AbstractRequest.Builder<AbstractRequest> builder = new AbstractRequest.Builder<>(key, version, version) {
            @Override
            public AbstractRequest build(short v) {
                return switch (key) {
                    case FETCH -> new FetchRequest((FetchRequestData) request, v);
                    case OFFSET_FOR_LEADER_EPOCH ->
                        new OffsetsForLeaderEpochRequest((OffsetForLeaderEpochRequestData) request, v);
                    case LIST_GROUPS -> new ListGroupsRequest.Builder((ListGroupsRequestData) request).build(v);
                    case DESCRIBE_GROUPS ->
                        new DescribeGroupsRequest.Builder((DescribeGroupsRequestData) request).build(v);
                    case DELETE_GROUPS -> new DeleteGroupsRequest.Builder((DeleteGroupsRequestData) request).build(v);
                    case INCREMENTAL_ALTER_CONFIGS ->
                        new IncrementalAlterConfigsRequest.Builder((IncrementalAlterConfigsRequestData) request)
                                .build(v);
                    case DESCRIBE_SHARE_GROUP_OFFSETS ->
                        new DescribeShareGroupOffsetsRequest.Builder((DescribeShareGroupOffsetsRequestData) request)
                                .build(v);
                    case ALTER_SHARE_GROUP_OFFSETS ->
                        new AlterShareGroupOffsetsRequest.Builder((AlterShareGroupOffsetsRequestData) request).build(v);
                    default -> throw new IllegalArgumentException("A broker does not send " + key + " to another");
                };
            }
        };
        ClientRequest clientRequest =
                client.newClientRequest(leader.idString(), builder, time.milliseconds(), true, requestTimeoutMs, null);
        ClientResponse response = NetworkClientUtils.sendAndReceive(client, clientRequest, time);
        return (R) response.responseBody().data();
    }

    /** Ends a request in progress from another thread (the fetcher's owner closing it). */
    void wakeUpAndClose() {
        client.initiateClose();
    }

    @Override
    public void close() {
        client.close();
        metrics.close();
    }
}
