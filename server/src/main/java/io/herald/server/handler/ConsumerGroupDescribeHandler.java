package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ConsumerGroupDescribe (key 69): consumer groups (KIP-848) with their epochs, assignor and members' current and
 * target assignments. A classic group gets GROUP_ID_NOT_FOUND, on which the admin client falls back to
 * DescribeGroups. v1 adds the member type (KIP-1099).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequestData> {

    private final GroupCoordinator groups;

    public ConsumerGroupDescribeHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ConsumerGroupDescribeResponseData> handle(
            RequestContext context, ConsumerGroupDescribeRequestData request) {
        List<String> allowed = request.groupIds().stream()
                .filter(g -> context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, g))
                .toList();
        List<ConsumerGroupDescribeResponseData.DescribedGroup> described =
                new ArrayList<>(groups.consumerGroupDescribe(allowed));
        if (request.includeAuthorizedOperations()) {
            described.stream()
                    .filter(g -> g.errorCode() == Errors.NONE.code())
                    .forEach(g ->
                            g.setAuthorizedOperations(context.authorizedOperations(ResourceType.GROUP, g.groupId())));
        }
        request.groupIds().stream()
                .filter(g -> !allowed.contains(g))
                .forEach(g -> described.add(new ConsumerGroupDescribeResponseData.DescribedGroup()
                        .setGroupId(g)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        return CompletableFuture.completedFuture(new ConsumerGroupDescribeResponseData().setGroups(described));
    }
}
