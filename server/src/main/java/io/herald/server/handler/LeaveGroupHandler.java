package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * LeaveGroup (key 13), classic protocol: v0-v2 remove one member by id; v3+ remove a batch, also by {@code
 * group.instance.id} alone (administrative removal of static members), with an error per member.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequestData> {

    private final GroupCoordinator groups;

    public LeaveGroupHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<LeaveGroupResponseData> handle(RequestContext context, LeaveGroupRequestData request) {
        context.requireGroup(AclOperation.READ, request.groupId());
        boolean batched = context.version() >= 3;
        List<MemberIdentity> members =
                batched ? request.members() : List.of(new MemberIdentity().setMemberId(request.memberId()));
        LeaveGroupResponseData response = groups.leaveGroup(GroupCallers.of(context), request.groupId(), members);
        if (!batched) {
            if (response.errorCode() == Errors.NONE.code()
                    && !response.members().isEmpty()) {
                response.setErrorCode(response.members().get(0).errorCode());
            }
            response.setMembers(new java.util.ArrayList<>()); // no member list before v3
        }
        return CompletableFuture.completedFuture(response);
    }
}
