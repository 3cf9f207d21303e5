package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.ShareCoordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteGroups (key 42): deletes empty groups of either protocol with their committed offsets; a group with members
 * gets NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND. Share groups (a JMS durable subscription's
 * {@code unsubscribe}) lose their record state and configs.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequestData> {

    private final GroupCoordinator groups;
    private final ShareCoordinator shareGroups;

    public DeleteGroupsHandler(GroupCoordinator groups, ShareCoordinator shareGroups) {
        this.groups = groups;
        this.shareGroups = shareGroups;
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
                .forEach(g -> results.add(new DeletableGroupResult()
                        .setGroupId(g)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        List<String> others = new ArrayList<>();
        for (String id : allowed) {
            if (shareGroups.isShareGroup(id)) {
                if (results.find(id) == null) {
                    results.add(new DeletableGroupResult()
                            .setGroupId(id)
                            .setErrorCode(shareGroups.delete(id).code()));
                }
            } else {
                others.add(id);
            }
        }
        groups.deleteGroups(others).forEach(r -> {
            if (results.find(r.groupId()) == null) {
                results.add(r);
            }
        });
        return CompletableFuture.completedFuture(new DeleteGroupsResponseData().setResults(results));
    }
}
