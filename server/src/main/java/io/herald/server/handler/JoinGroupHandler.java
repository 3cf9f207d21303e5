package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * JoinGroup (key 11), classic protocol: v4+ requires a member id from the coordinator first (KIP-394), v5+ carries
 * {@code group.instance.id} (static membership), v7+ returns the protocol type, v9 may tell a rejoining static leader
 * to skip the assignment. The response may come much later, when the rebalance's join phase completes.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequestData> {

    private final GroupCoordinator groups;

    public JoinGroupHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<JoinGroupResponseData> handle(RequestContext context, JoinGroupRequestData request) {
        context.requireGroup(AclOperation.READ, request.groupId());
        short version = context.version();
        return groups.joinGroup(GroupCallers.of(context), request).thenApply(response -> {
            if (version < 7 && response.protocolName() == null) {
                response.setProtocolName(""); // nullable only from v7
            }
            if (response.leader() == null) {
                response.setLeader("");
            }
            return response;
        });
    }
}
