package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;

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
        groups.deleteGroups(request.groupsNames()).forEach(r -> {
            if (results.find(r.groupId()) == null) {
                results.add(r);
            }
        });
        return CompletableFuture.completedFuture(new DeleteGroupsResponseData().setResults(results));
    }
}
