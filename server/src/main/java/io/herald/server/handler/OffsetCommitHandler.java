package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetCommit (key 8): a classic member commits with its generation, a consumer-protocol member with its member epoch
 * (v9+), anyone outside group management with generation -1 while the group is empty. v2-v4 may set a retention; v10
 * addresses topics by id.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequestData> {

    private final GroupCoordinator groups;

    public OffsetCommitHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public short maxVersion() {
        return 10;
    }

    @Override
    public CompletableFuture<OffsetCommitResponseData> handle(RequestContext context, OffsetCommitRequestData request) {
        context.requireGroup(AclOperation.READ, request.groupId());
        return CompletableFuture.completedFuture(groups.offsets()
                .commit(
                        GroupCallers.of(context),
                        request,
                        topic -> context.authorized(AclOperation.READ, ResourceType.TOPIC, topic)));
    }
}
