package io.herald.server.protocol;

import io.herald.security.acl.AclAuthorizer;
import io.herald.server.security.AccessControl;
import io.herald.server.security.ClientSession;
import java.net.InetAddress;
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
