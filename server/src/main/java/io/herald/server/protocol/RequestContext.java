package io.herald.server.protocol;

import io.herald.security.acl.AclAuthorizer;
import io.herald.server.security.AccessControl;
import io.herald.server.security.ClientSession;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Who asks and how: what a handler may need beyond the request body.
 *
 * @param header the request header (API key, version, client id, correlation id)
 * @param connectionId the connection's id
 * @param clientAddress the peer's address
 * @param listener the listener the request arrived on
 * @param session who is on the connection
 * @param access the broker's authorization decisions
 */
public record RequestContext(
        RequestHeader header,
        String connectionId,
        InetAddress clientAddress,
        String listener,
        ClientSession session,
        AccessControl access) {

    /** Whether an authorizer is on; without one every decision is "allowed". */
    public boolean authorizing() {
        return access.authorizer().isPresent();
    }

    /** Whether the client may perform {@code op} on the named resource; a denial goes to the audit log. */
    public boolean authorized(AclOperation op, ResourceType type, String name) {
        return access.authorize(session, op, type, name);
    }

    /** The same decision, not audited: for leaving out of an answer what the client may not see. */
    public boolean visible(AclOperation op, ResourceType type, String name) {
        return access.isVisible(session, op, type, name);
    }

    /** Whether the client may perform {@code op} on the cluster. */
    public boolean authorizedOnCluster(AclOperation op) {
        return authorized(op, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME);
    }

    /** Throws TOPIC_AUTHORIZATION_FAILED unless the client may perform {@code op} on the topic. */
    public void requireTopic(AclOperation op, String topic) {
        if (!authorized(op, ResourceType.TOPIC, topic)) {
            throw new TopicAuthorizationException(Set.of(topic));
        }
    }

    /** Throws GROUP_AUTHORIZATION_FAILED unless the client may perform {@code op} on the group. */
    public void requireGroup(AclOperation op, String group) {
        if (!authorized(op, ResourceType.GROUP, group)) {
            throw new GroupAuthorizationException("Not authorized to access group: " + group);
        }
    }

    /** Throws CLUSTER_AUTHORIZATION_FAILED unless the client may perform {@code op} on the cluster. */
    public void requireCluster(AclOperation op) {
        if (!authorizedOnCluster(op)) {
            throw new ClusterAuthorizationException("Cluster authorization failed.");
        }
    }

    /** Operations Kafka reports per resource type in describe answers ({@code authorizedOperations}). */
    private static final Map<ResourceType, Set<AclOperation>> REPORTED = Map.of(
            ResourceType.TOPIC,
            EnumSet.of(
                    AclOperation.READ,
                    AclOperation.WRITE,
                    AclOperation.CREATE,
                    AclOperation.DELETE,
                    AclOperation.ALTER,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS),
            ResourceType.GROUP,
            EnumSet.of(
                    AclOperation.READ,
                    AclOperation.DELETE,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS),
            ResourceType.CLUSTER,
            EnumSet.of(
                    AclOperation.CREATE,
                    AclOperation.CLUSTER_ACTION,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS,
                    AclOperation.IDEMPOTENT_WRITE,
                    AclOperation.ALTER,
                    AclOperation.DESCRIBE));

    /**
     * The operations the client may perform on the resource, as the 32-bit field of operation codes that describe
     * answers carry (Metadata, DescribeCluster, DescribeGroups, ConsumerGroupDescribe).
     */
    public int authorizedOperations(ResourceType type, String name) {
        int bits = 0;
        for (AclOperation op : REPORTED.get(type)) {
            if (visible(op, type, name)) {
                bits |= 1 << op.code();
            }
        }
        return bits;
    }

    public KafkaPrincipal principal() {
        return session.principal();
    }

    public ApiKeys apiKey() {
        return header.apiKey();
    }

    public short version() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }
}
