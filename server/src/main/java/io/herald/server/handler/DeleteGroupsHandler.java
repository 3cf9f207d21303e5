package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteGroups (key 42): deletes empty groups of either protocol with their committed offsets; a group with members
 * gets NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequestData> {

    private final GroupCoordinator groups;

    public DeleteGroupsHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<DeleteGroupsResponseData> handle(RequestContext context, DeleteGroupsRequestData request) {
        DeletableGroupResultCollection results = new DeletableGroupResultCollection();
        List<String> allowed = request.groupsNames().stream()
                .filter(g -> context.authorized(AclOperation.DELETE, ResourceType.GROUP, g))
                .toList();
        request.groupsNames().stream()
                .filter(g -> !allowed.contains(g) && results.find(g) == null)
                .forEach(g -> results.add(new DeleteGroupsResponseData.DeletableGroupResult()
                        .setGroupId(g)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        groups.deleteGroups(allowed).forEach(r -> {
            if (results.find(r.groupId()) == null) {
                results.add(r);
            }
        });
        return CompletableFuture.completedFuture(new DeleteGroupsResponseData().setResults(results));
    }
}
