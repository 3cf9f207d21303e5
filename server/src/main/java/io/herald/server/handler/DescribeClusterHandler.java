package io.herald.server.handler;

import io.herald.security.acl.AclAuthorizer;
import io.herald.server.cluster.ClusterView;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeCluster (key 60): the cluster id, the controller and the brokers, each with its address on the listener the
 * request came in on (a client that reached the broker there can reach the others there too). A request for the
 * controllers' endpoints (v1+, {@code endpointType=2}) gets {@code MISMATCHED_ENDPOINT_TYPE}, as a Kafka broker answers
 * it: Herald has no separate controller listeners. Without an authorizer every cluster operation is allowed, so the
 * authorized operations (when asked for) are all that apply to a cluster.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequestData> {

    /** {@code EndpointType} of the request: brokers. */
    static final byte BROKER_ENDPOINTS = 1;

    /** Kafka's operations on the CLUSTER resource. */
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private final ClusterView cluster;

    public DescribeClusterHandler(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<DescribeClusterResponseData> handle(
            RequestContext context, DescribeClusterRequestData request) {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(cluster.clusterId())
                .setControllerId(cluster.controllerId())
                .setClusterAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        if (context.version() >= 1) {
            response.setEndpointType(BROKER_ENDPOINTS);
            if (request.endpointType() != BROKER_ENDPOINTS) {
                return CompletableFuture.completedFuture(response.setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                        .setErrorMessage("The request was sent to a broker endpoint, but asked for endpoint type "
                                + request.endpointType()
                                + "; Herald has no separate controller endpoints"));
            }
        }
        // Since v2 (KIP-1073) a client may ask for fenced brokers too: here the registered ones membership does not
        // see.
        boolean fencedToo = context.version() >= 2 && request.includeFencedBrokers();
        for (BrokerNode b : fencedToo ? cluster.registeredBrokers() : cluster.liveBrokers()) {
            boolean fenced = !cluster.isLive(b.id());
            b.endpoint(context.listener())
                    .ifPresent(e -> response.brokers()
                            .add(new DescribeClusterBroker()
                                    .setBrokerId(b.id())
                                    .setHost(e.host())
                                    .setPort(e.port())
                                    .setRack(b.rack())
                                    .setIsFenced(fenced)));
        }
        if (request.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(
                    context.authorizedOperations(ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME));
        }
        return CompletableFuture.completedFuture(response);
    }
}
