package io.herald.server.handler;

import io.herald.server.protocol.RequestContext;
import io.herald.server.security.AccessControl;
import java.util.Optional;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/** What the three ACL APIs share: who may call them, and filters read from their requests. Stateless. */
final class AclAdmin {

    private AclAdmin() {}

    /** Why the caller may not use the ACL APIs with {@code op} on the cluster, if it may not. */
    static Optional<Errors> refusal(RequestContext context, AccessControl access, AclOperation op) {
        if (access.authorizer().isEmpty()) {
            return Optional.of(Errors.SECURITY_DISABLED);
        }
        if (!context.authorizedOnCluster(op)) {
            return Optional.of(Errors.CLUSTER_AUTHORIZATION_FAILED);
        }
        return Optional.empty();
    }

    static String message(Errors error) {
        return error == Errors.SECURITY_DISABLED
                ? "No authorizer is configured on the broker (set authorizer.class.name)"
                : error.message();
    }

    static AclBindingFilter filter(
            byte resourceType,
            String resourceName,
            byte patternType,
            String principal,
            String host,
            byte operation,
            byte permission) {
        return new AclBindingFilter(
                new ResourcePatternFilter(
                        ResourceType.fromCode(resourceType), resourceName, PatternType.fromCode(patternType)),
                new AccessControlEntryFilter(
                        principal, host, AclOperation.fromCode(operation), AclPermissionType.fromCode(permission)));
    }
}
