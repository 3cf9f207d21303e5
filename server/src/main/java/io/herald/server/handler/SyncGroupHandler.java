package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * SyncGroup (key 14), classic protocol: the leader sends the assignment, every member receives its own once it is
 * written; v5+ checks and returns the protocol type and name (KIP-559).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequestData> {

    private final GroupCoordinator groups;

    public SyncGroupHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<SyncGroupResponseData> handle(RequestContext context, SyncGroupRequestData request) {
        context.requireGroup(AclOperation.READ, request.groupId());
        return groups.syncGroup(GroupCallers.of(context), request);
    }
}
