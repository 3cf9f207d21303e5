package io.herald.console.auth;

import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which role each request needs, in one table so that it can be read and documented as a whole
 * (docs/security.md#the-console):
 *
 * <ul>
 *   <li>users and ACLs ({@code /api/security/users…}, {@code /api/security/acls…}), any method: {@link Role#ADMIN};
 *   <li>any other change (POST, PUT, PATCH, DELETE): {@link Role#OPERATOR};
 *   <li>any other read (GET), {@code /metrics} included: {@link Role#VIEWER};
 *   <li>reading records (a partition's messages, a dead-letter queue's messages) also needs READ on that topic, as a
 *       Kafka consumer would: a role alone never shows a topic's data.
 * </ul>
 *
 * {@code /api/session} (login, logout, who am I) is open, and so are the UI's static files, which hold no data.
 *
 * <p>Thread-safety: stateless.
 */
public final class AccessPolicy {

    private static final Pattern MESSAGES = Pattern.compile("^/api/topics/([^/]+)/partitions/[^/]+/messages$");
    private static final Pattern DLQ_MESSAGES = Pattern.compile("^/api/jms/queues/([^/]+)/dlq/messages$");

    private AccessPolicy() {}

    /** Whether the path is served without a login. */
    public static boolean isOpen(String path) {
        return path.equals("/api/session") || !(path.equals("/api") || path.startsWith("/api/") || isMetrics(path));
    }

    public static boolean isMetrics(String path) {
        return path.equals("/metrics");
    }

    /** Whether the method changes something, and so needs the CSRF token. */
    public static boolean isChange(HttpString method) {
        return !(method.equals(Methods.GET) || method.equals(Methods.HEAD) || method.equals(Methods.OPTIONS));
    }

    /** The role a request needs. */
    public static Role required(HttpString method, String path) {
        if (path.startsWith("/api/security/users") || path.startsWith("/api/security/acls")) {
            return Role.ADMIN;
        }
        return isChange(method) ? Role.OPERATOR : Role.VIEWER;
    }

    /** The topic whose records the request reads, if it reads records (the path is already URL-decoded). */
    public static Optional<String> recordsOf(HttpString method, String path) {
        if (isChange(method)) {
            return Optional.empty();
        }
        Matcher m = MESSAGES.matcher(path);
        if (m.matches()) {
            return Optional.of(m.group(1));
        }
        m = DLQ_MESSAGES.matcher(path);
        if (m.matches()) {
            return Optional.of("DLQ." + m.group(1));
        }
        return Optional.empty();
    }
}
