package io.herald.console.auth;

import io.herald.server.api.SecurityAdmin;
import java.util.Optional;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A console user's role, read from the broker's ACLs for {@code User:<name>} connecting from the client's address, so
 * that one set of ACLs governs both the Kafka protocol and the console:
 *
 * <ul>
 *   <li>{@link Role#ADMIN}: a super user, or ALTER on the cluster (what Kafka asks to manage ACLs and users);
 *   <li>{@link Role#OPERATOR}: ALTER_CONFIGS on the cluster, or ALTER or WRITE on some topic or group, or
 *       ALTER_CONFIGS on some topic;
 *   <li>{@link Role#VIEWER}: DESCRIBE on the cluster, or DESCRIBE on some topic or group (READ, WRITE, DELETE and ALTER
 *       imply DESCRIBE);
 *   <li>none of these: no console access.
 * </ul>
 *
 * Without an authorizer the broker lets every authenticated client do everything, and so every authenticated console
 * user is an admin. The role is computed on every request, so an ACL change applies at once, without a new login.
 *
 * <p>Thread-safety: thread-safe (stateless over the thread-safe {@link SecurityAdmin}).
 */
public final class RoleMapping {

    private static final String CLUSTER = SecurityAdmin.CLUSTER_RESOURCE;

    private final SecurityAdmin security;

    public RoleMapping(SecurityAdmin security) {
        this.security = security;
    }

    /** The role of {@code user} from {@code host}; empty when the ACLs give it no console access. */
    public Optional<Role> roleOf(String user, String host) {
        String principal = "User:" + user;
        if (cluster(principal, host, AclOperation.ALTER)) {
            return Optional.of(Role.ADMIN);
        }
        if (cluster(principal, host, AclOperation.ALTER_CONFIGS)
                || any(principal, host, AclOperation.ALTER, ResourceType.TOPIC)
                || any(principal, host, AclOperation.WRITE, ResourceType.TOPIC)
                || any(principal, host, AclOperation.ALTER_CONFIGS, ResourceType.TOPIC)
                || any(principal, host, AclOperation.ALTER, ResourceType.GROUP)
                || any(principal, host, AclOperation.WRITE, ResourceType.GROUP)) {
            return Optional.of(Role.OPERATOR);
        }
        if (cluster(principal, host, AclOperation.DESCRIBE)
                || any(principal, host, AclOperation.DESCRIBE, ResourceType.TOPIC)
                || any(principal, host, AclOperation.DESCRIBE, ResourceType.GROUP)) {
            return Optional.of(Role.VIEWER);
        }
        return Optional.empty();
    }

    /** Whether the ACLs let {@code user} from {@code host} do what {@code check} names. */
    public boolean allowed(String user, String host, AccessPolicy.ResourceCheck check) {
        return security.isAllowed("User:" + user, host, check.operation(), check.type(), check.name());
    }

    private boolean cluster(String principal, String host, AclOperation op) {
        return security.isAllowed(principal, host, op, ResourceType.CLUSTER, CLUSTER);
    }

    private boolean any(String principal, String host, AclOperation op, ResourceType type) {
        return security.isAllowedOnAny(principal, host, op, type);
    }
}
