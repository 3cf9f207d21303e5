package io.herald.console.auth;

import io.herald.server.api.SecurityAdmin;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Which role each request needs, and which ACLs on the resource it touches, in one table so that it can be read and
 * documented as a whole (docs/security.md#the-console):
 *
 * <ul>
 *   <li>users and ACLs ({@code /api/security/users…}, {@code /api/security/acls…}), any method: {@link Role#ADMIN};
 *   <li>any other change (POST, PUT, PATCH, DELETE): {@link Role#OPERATOR};
 *   <li>any other read (GET), {@code /metrics} included: {@link Role#VIEWER};
 *   <li>besides the role, a user who is not an admin needs what Kafka would ask for the same thing on that resource
 *       ({@link #resourceChecks}): reading records READ on the topic, deleting a topic DELETE on it, producing WRITE,
 *       and so on. So an operator of some topics cannot change the others, and no role alone shows a topic's data.
 * </ul>
 *
 * {@code /api/session} (login, logout, who am I) is open, and so are the UI's static files, which hold no data.
 *
 * <p>Thread-safety: stateless.
 */
public final class AccessPolicy {

    /**
     * An ACL a request needs on the resource it touches.
     *
     * @param name the resource's name, {@code kafka-cluster} for the cluster
     */
    public record ResourceCheck(AclOperation operation, ResourceType type, String name) {}

    private record Rule(HttpString method, Pattern path, List<ResourceCheck> checks) {}

    private static final String CLUSTER = SecurityAdmin.CLUSTER_RESOURCE;

    /** {@code $1} in a check's name is the path's first parameter. */
    private static final List<Rule> RULES = List.of(
            rule(Methods.GET, "/api/topics/([^/]+)/partitions/[^/]+/messages", read("$1")),
            rule(Methods.GET, "/api/jms/queues/([^/]+)/dlq/messages", read("DLQ.$1")),
            rule(Methods.POST, "/api/topics", new ResourceCheck(AclOperation.CREATE, ResourceType.CLUSTER, CLUSTER)),
            rule(Methods.DELETE, "/api/topics/([^/]+)", topic(AclOperation.DELETE, "$1")),
            rule(Methods.PATCH, "/api/topics/([^/]+)/configs", topic(AclOperation.ALTER_CONFIGS, "$1")),
            rule(Methods.POST, "/api/topics/([^/]+)/partitions", topic(AclOperation.ALTER, "$1")),
            rule(Methods.POST, "/api/topics/([^/]+)/messages", topic(AclOperation.WRITE, "$1")),
            rule(Methods.POST, "/api/groups/([^/]+)/offsets/reset", group(AclOperation.READ, "$1")),
            rule(Methods.DELETE, "/api/groups/([^/]+)", group(AclOperation.DELETE, "$1")),
            rule(
                    Methods.POST,
                    "/api/jms/queues/([^/]+)/dlq/retry",
                    topic(AclOperation.WRITE, "$1"),
                    read("DLQ.$1"),
                    topic(AclOperation.DELETE, "DLQ.$1")),
            rule(Methods.DELETE, "/api/jms/queues/([^/]+)/dlq/messages", topic(AclOperation.DELETE, "DLQ.$1")));

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

    /** The ACLs a user below admin also needs for this request (the path is already URL-decoded). */
    public static List<ResourceCheck> resourceChecks(HttpString method, String path) {
        for (Rule rule : RULES) {
            Matcher m = rule.path().matcher(path);
            if (rule.method().equals(method) && m.matches()) {
                String first = m.groupCount() > 0 ? m.group(1) : "";
                return rule.checks().stream()
                        .map(c -> new ResourceCheck(
                                c.operation(), c.type(), c.name().replace("$1", first)))
                        .toList();
            }
        }
        return List.of();
    }

    private static Rule rule(HttpString method, String path, ResourceCheck... checks) {
        return new Rule(method, Pattern.compile("^" + path + "$"), List.of(checks));
    }

    private static ResourceCheck read(String topic) {
        return topic(AclOperation.READ, topic);
    }

    private static ResourceCheck topic(AclOperation op, String name) {
        return new ResourceCheck(op, ResourceType.TOPIC, name);
    }

    private static ResourceCheck group(AclOperation op, String name) {
        return new ResourceCheck(op, ResourceType.GROUP, name);
    }
}
