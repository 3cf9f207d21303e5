package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Heartbeat (key 12), classic protocol: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequestData> {

    private final GroupCoordinator groups;

    public HeartbeatHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<HeartbeatResponseData> handle(RequestContext context, HeartbeatRequestData request) {
        context.requireGroup(AclOperation.READ, request.groupId());
        return CompletableFuture.completedFuture(groups.heartbeat(GroupCallers.of(context), request));
    }
}
