package io.herald.server.security;

import io.herald.security.acl.AclAuthorizer;
import io.herald.security.audit.AuditLog;
import java.util.Optional;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The broker's authorization decisions: the ACL authorizer when {@code authorizer.class.name} is set, else everything
 * is allowed (Kafka's behaviour without an authorizer). Every denial that fails a request is written to the audit
 * log; {@link #isVisible} is for filtering (Metadata hiding topics), which is not a failure and is not logged.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class AccessControl {

    private final AclAuthorizer authorizer;

    private AccessControl(AclAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    public static AccessControl allowAll() {
        return new AccessControl(null);
    }

    public static AccessControl with(AclAuthorizer authorizer) {
        return new AccessControl(authorizer);
    }

    public Optional<AclAuthorizer> authorizer() {
        return Optional.ofNullable(authorizer);
    }

    /** Whether the session may perform {@code op} on the resource; a denial is audited. */
    public boolean authorize(ClientSession s, AclOperation op, ResourceType type, String name) {
        if (isVisible(s, op, type, name)) {
            return true;
        }
        AuditLog.denied(s.principal().toString(), s.host(), op.name(), type.name(), name);
        return false;
    }

    /** The same decision without an audit entry, for filtering what a client sees. */
    public boolean isVisible(ClientSession s, AclOperation op, ResourceType type, String name) {
        return authorizer == null || authorizer.authorize(s.principal(), s.host(), op, type, name);
    }

    /** Whether the session may perform {@code op} on some resource of {@code type}. */
    public boolean authorizeAny(ClientSession s, AclOperation op, ResourceType type) {
        if (authorizer == null || authorizer.authorizeAny(s.principal(), s.host(), op, type)) {
            return true;
        }
        AuditLog.denied(s.principal().toString(), s.host(), op.name(), type.name(), "*");
        return false;
    }
}
