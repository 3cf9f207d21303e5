package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetDelete (key 47): removes a group's committed offsets of partitions it does not consume; partitions of a
 * subscribed topic get GROUP_SUBSCRIBED_TO_TOPIC.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequestData> {

    private final GroupCoordinator groups;

    public OffsetDeleteHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<OffsetDeleteResponseData> handle(RequestContext context, OffsetDeleteRequestData request) {
        context.requireGroup(AclOperation.DELETE, request.groupId());
        return CompletableFuture.completedFuture(groups.offsets()
                .delete(request, topic -> context.authorized(AclOperation.READ, ResourceType.TOPIC, topic)));
    }
}
