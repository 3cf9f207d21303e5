package io.herald.server.handler;

import io.herald.server.cluster.ClusterView;
import io.herald.server.cluster.PartitionState;
import io.herald.server.group.GroupConfig;
import io.herald.server.group.GroupCoordinator;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * FindCoordinator (key 10): a group's coordinator is the leader of its partition of {@code __consumer_offsets}
 * (created on first need); share groups are coordinated the same way (in a cluster, see docs/operations.md for
 * their limits). v4+ batches keys. Transactional ids and the broker-internal SHARE key type get
 * COORDINATOR_NOT_AVAILABLE with a message saying why.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData> {

    private final GroupCoordinator groups;
    private final ClusterView cluster;

    public FindCoordinatorHandler(GroupCoordinator groups, ClusterView cluster) {
        this.groups = groups;
        this.cluster = cluster;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public short maxVersion() {
        return 6;
    }

    @Override
    public CompletableFuture<FindCoordinatorResponseData> handle(
            RequestContext context, FindCoordinatorRequestData request) {
        List<String> keys = context.version() >= 4 ? request.coordinatorKeys() : List.of(request.key());
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        for (String key : keys) {
            Coordinator c = find(context, request.keyType(), key);
            if (context.version() >= 4) {
                response.coordinators().add(c);
            } else {
                response.setErrorCode(c.errorCode())
                        .setErrorMessage(c.errorMessage())
                        .setNodeId(c.nodeId())
                        .setHost(c.host())
                        .setPort(c.port());
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private Coordinator find(RequestContext context, byte keyType, String key) {
        Coordinator c = new Coordinator().setKey(key);
        CoordinatorType type;
        try {
            type = CoordinatorType.forId(keyType);
        } catch (IllegalArgumentException e) {
            return error(c, Errors.INVALID_REQUEST, "Unknown coordinator key type " + keyType);
        }
        switch (type) {
            case GROUP -> {
                if (!context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, key)) {
                    return error(c, Errors.GROUP_AUTHORIZATION_FAILED, null);
                }
                try {
                    groups.ensureOffsetsTopic();
                } catch (IOException | RuntimeException e) {
                    return error(c, Errors.COORDINATOR_NOT_AVAILABLE, ErrorMapper.message(e));
                }
                int p = groups.partitionFor(key);
                Optional<PartitionState> state = cluster.partition(GroupConfig.OFFSETS_TOPIC, p);
                if (state.isEmpty()
                        || !state.get().hasLeader()
                        || !cluster.isLive(state.get().leader())) {
                    return error(
                            c,
                            Errors.COORDINATOR_NOT_AVAILABLE,
                            "Partition " + p + " of " + GroupConfig.OFFSETS_TOPIC + " has no live leader");
                }
                int leader = state.get().leader();
                Optional<BrokerNode.Endpoint> endpoint =
                        cluster.broker(leader).flatMap(b -> b.endpoint(context.listener()));
                if (endpoint.isEmpty()) {
                    return error(c, Errors.COORDINATOR_NOT_AVAILABLE, "No endpoint on " + context.listener());
                }
                return c.setNodeId(leader)
                        .setHost(endpoint.get().host())
                        .setPort(endpoint.get().port())
                        .setErrorCode(Errors.NONE.code());
            }
            case TRANSACTION -> {
                return error(c, Errors.COORDINATOR_NOT_AVAILABLE, "Herald does not support transactions yet");
            }
            default -> {
                return error(
                        c,
                        Errors.COORDINATOR_NOT_AVAILABLE,
                        "Herald keeps share-group state in the broker; find share groups with key type GROUP");
            }
        }
    }

    private static Coordinator error(Coordinator c, Errors error, String message) {
        return c.setNodeId(-1)
                .setHost("")
                .setPort(-1)
                .setErrorCode(error.code())
                .setErrorMessage(message);
    }
}
