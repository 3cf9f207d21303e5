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

    /** A refused login to the admin console: the user name tried, the client's address, and why (for operators). */
    public static void consoleLoginFailed(String principal, String client, String reason) {
        audit.warn("CONSOLE_LOGIN_FAILED principal={} client={} reason=\"{}\"", principal, client, reason);
    }

    /** A login to the admin console, with the role the ACLs give the user at that moment. */
    public static void consoleLogin(String principal, String client, String role) {
        audit.info("CONSOLE_LOGIN principal={} client={} role={}", principal, client, role);
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
