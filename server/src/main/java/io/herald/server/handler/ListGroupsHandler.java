package io.herald.server.handler;

import io.herald.security.acl.AclAuthorizer;
import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListGroups (key 16): every group this broker coordinates, of both protocols; v4+ filters by state (KIP-518), v5+ by
 * type ({@code classic}, {@code consumer}; KIP-848).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequestData> {

    private final GroupCoordinator groups;

    public ListGroupsHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<ListGroupsResponseData> handle(RequestContext context, ListGroupsRequestData request) {
        List<String> states = context.version() >= 4 ? request.statesFilter() : List.of();
        List<String> types = context.version() >= 5 ? request.typesFilter() : List.of();
        ListGroupsResponseData all = groups.listGroups(states, types);
        if (!context.visible(AclOperation.DESCRIBE, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME)) {
            all.groups().removeIf(g -> !context.visible(AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId()));
        }
        return CompletableFuture.completedFuture(all);
    }
}
