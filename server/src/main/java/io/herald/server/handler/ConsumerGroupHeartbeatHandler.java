package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * ConsumerGroupHeartbeat (key 68), KIP-848's consumer protocol ({@code group.protocol=consumer}): join, heartbeat,
 * reconcile and leave in one API, with server-side assignment. v1 requires the client to generate its member id and
 * adds regular-expression subscriptions. Registered only when {@code group.coordinator.rebalance.protocols} lists
 * {@code consumer}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequestData> {

    private final GroupCoordinator groups;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> handle(
            RequestContext context, ConsumerGroupHeartbeatRequestData request) {
        context.requireGroup(AclOperation.READ, request.groupId());
        if (request.subscribedTopicNames() != null) {
            request.subscribedTopicNames().forEach(t -> context.requireTopic(AclOperation.DESCRIBE, t));
        }
        return CompletableFuture.completedFuture(groups.consumerGroupHeartbeat(GroupCallers.of(context), request));
    }
}
