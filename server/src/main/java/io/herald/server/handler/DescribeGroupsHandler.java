package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeGroups (key 15): classic groups with their members (metadata and assignments once Stable). A group that does
 * not exist, or is a consumer group, is reported Dead; from v6 with GROUP_ID_NOT_FOUND (KIP-1043).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequestData> {

    private final GroupCoordinator groups;

    public DescribeGroupsHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public short maxVersion() {
        return 6;
    }

    @Override
    public CompletableFuture<DescribeGroupsResponseData> handle(
            RequestContext context, DescribeGroupsRequestData request) {
        List<String> allowed = request.groups().stream()
                .filter(g -> context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, g))
                .toList();
        List<DescribeGroupsResponseData.DescribedGroup> described =
                new ArrayList<>(groups.describeGroups(context.version(), allowed));
        if (context.version() >= 3 && request.includeAuthorizedOperations()) {
            described.stream()
                    .filter(g -> g.errorCode() == Errors.NONE.code())
                    .forEach(g ->
                            g.setAuthorizedOperations(context.authorizedOperations(ResourceType.GROUP, g.groupId())));
        }
        request.groups().stream()
                .filter(g -> !allowed.contains(g))
                .forEach(g -> described.add(new DescribeGroupsResponseData.DescribedGroup()
                        .setGroupId(g)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                        .setGroupState("")
                        .setProtocolType("")
                        .setProtocolData("")));
        return CompletableFuture.completedFuture(new DescribeGroupsResponseData().setGroups(described));
    }
}
