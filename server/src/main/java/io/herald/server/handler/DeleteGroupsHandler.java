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
 * {@code unsubscribe}) lose their record state and configs; in a cluster the coordinator, which knows the members,
 * passes the deletion on to the other brokers ({@link SharePeers}), each deleting the share partitions it leads.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequestData> {

    private final GroupCoordinator groups;
    private final ShareCoordinator shareGroups;
    private final SharePeers peers;

    public DeleteGroupsHandler(GroupCoordinator groups, ShareCoordinator shareGroups, SharePeers peers) {
        this.groups = groups;
        this.shareGroups = shareGroups;
        this.peers = peers;
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
        // deleting a share group waits for the state topic's writes: not on this thread
        return peers.run(() -> delete(context, request)).thenCompose(answer -> answer);
    }

    private CompletableFuture<DeleteGroupsResponseData> delete(
            RequestContext context, DeleteGroupsRequestData request) {
        DeletableGroupResultCollection results = new DeletableGroupResultCollection();
        List<String> allowed = request.groupsNames().stream()
                .filter(g -> context.authorized(AclOperation.DELETE, ResourceType.GROUP, g))
                .toList();
        request.groupsNames().stream()
                .filter(g -> !allowed.contains(g) && results.find(g) == null)
                .forEach(g -> results.add(new DeletableGroupResult()
                        .setGroupId(g)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        shareGroups.partitions().readUnread(); // a share partition this broker leads and has not read is deleted too
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
        if (peers.isPeerRequest(context)) { // only this broker's share partitions
            others.forEach(id -> results.add(
                    new DeletableGroupResult().setGroupId(id).setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())));
            return CompletableFuture.completedFuture(new DeleteGroupsResponseData().setResults(results));
        }
        if (!peers.passesOn(context)) {
            return CompletableFuture.completedFuture(deleteOthers(results, others));
        }
        List<String> passedOn = allowed.stream()
                .filter(id -> results.find(id) == null || results.find(id).errorCode() == Errors.NONE.code())
                .distinct()
                .toList();
        return peers.run(() -> {
            DeleteGroupsRequestData elsewhere = new DeleteGroupsRequestData().setGroupsNames(passedOn);
            for (SharePeers.Reply<DeleteGroupsResponseData> reply :
                    peers.<DeleteGroupsResponseData>askAll(elsewhere, context.version())) {
                if (reply.failure().isPresent()) { // the share groups deleted here are not deleted there: retry
                    results.forEach(r -> r.setErrorCode(
                            r.errorCode() == Errors.NONE.code()
                                    ? Errors.forException(reply.failure().get()).code()
                                    : r.errorCode()));
                    continue;
                }
                for (String id : passedOn) {
                    Errors error = Errors.forCode(reply.response()
                            .map(r -> r.results().find(id))
                            .map(DeletableGroupResult::errorCode)
                            .orElse(Errors.GROUP_ID_NOT_FOUND.code()));
                    if (error == Errors.GROUP_ID_NOT_FOUND) {
                        continue; // that broker had nothing of it
                    }
                    others.remove(id); // a share group after all
                    DeletableGroupResult r = results.find(id);
                    if (r == null) {
                        results.add(new DeletableGroupResult().setGroupId(id).setErrorCode(error.code()));
                    } else if (r.errorCode() == Errors.NONE.code()) {
                        r.setErrorCode(error.code()); // deleted here, not (yet) there: the client retries
                    }
                }
            }
            return deleteOthers(results, others);
        });
    }

    /** Deletes the consumer and classic groups among {@code others} and answers with {@code results}. */
    private DeleteGroupsResponseData deleteOthers(DeletableGroupResultCollection results, List<String> others) {
        groups.deleteGroups(others).forEach(r -> {
            if (results.find(r.groupId()) == null) {
                results.add(r);
            }
        });
        return new DeleteGroupsResponseData().setResults(results);
    }
}
