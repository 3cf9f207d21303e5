package io.herald.security.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of refused authentications and denied operations, on the SLF4J logger {@code herald.audit} so an
 * operator can route it to its own file (the distribution's logback configuration does). Each entry names the
 * principal (or the user name tried) and the client's address; never a password.
 *
 * <p>Thread-safety: thread-safe (stateless).
 */
public final class AuditLog {

    private static final Logger audit = LoggerFactory.getLogger("herald.audit");

    private AuditLog() {}

    public static void authenticationFailed(String listener, String client, String mechanism, String reason) {
        audit.warn(
                "AUTHENTICATION_FAILED listener={} client={} mechanism={} reason=\"{}\"",
                listener,
                client,
                mechanism,
                reason);
    }

    public static void denied(String principal, String client, String operation, String resourceType, String name) {
        audit.warn(
                "DENIED principal={} client={} operation={} resource={}:{}",
                principal,
                client,
                operation,
                resourceType,
                name);
    }
}
