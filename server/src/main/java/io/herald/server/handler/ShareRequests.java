package io.herald.server.handler;

import io.herald.server.protocol.RequestContext;
import java.util.Optional;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.resource.ResourceType;

/** What ShareFetch and ShareAcknowledge check first, alike: a group and member named, READ on the group. Stateless. */
final class ShareRequests {

    private ShareRequests() {}

    /** Why the request is refused before anything else, if it is. */
    static Optional<ApiError> refusal(RequestContext context, String group, String member) {
        if (group == null || group.isEmpty() || member == null || member.isEmpty()) {
            return Optional.of(new ApiError(Errors.INVALID_REQUEST, "GroupId and MemberId must be set"));
        }
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, group)) {
            return Optional.of(
                    new ApiError(Errors.GROUP_AUTHORIZATION_FAILED, "Not authorized to read group " + group));
        }
        return Optional.empty();
    }
}
