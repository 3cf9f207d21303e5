package io.herald.server.handler;

import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.ShareCoordinator;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * ShareGroupHeartbeat (key 76, KIP-932): join (epoch 0), heartbeat and leave (epoch -1) a share group; the answer
 * carries the member's assignment.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ShareGroupHeartbeatHandler implements ApiHandler<ShareGroupHeartbeatRequestData> {

    private final ShareCoordinator coordinator;

    public ShareGroupHeartbeatHandler(ShareCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_GROUP_HEARTBEAT;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ShareGroupHeartbeatResponseData> handle(
            RequestContext context, ShareGroupHeartbeatRequestData request) {
        context.requireGroup(AclOperation.READ, request.groupId());
        if (request.subscribedTopicNames() != null) {
            request.subscribedTopicNames().forEach(t -> context.requireTopic(AclOperation.DESCRIBE, t));
        }
        String host =
                context.clientAddress() == null ? "" : context.clientAddress().toString();
        String clientId = context.clientId() == null ? "" : context.clientId();
        return CompletableFuture.completedFuture(
                coordinator.heartbeat(new ShareCoordinator.Caller(clientId, host), request));
    }
}
