package io.herald.server.handler;

import io.herald.server.protocol.RequestContext;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Who may read and change configs, as in Kafka: a topic's needs DESCRIBE_CONFIGS / ALTER_CONFIGS on the topic, a
 * group's on the group, a broker's (and the cluster defaults) the same operation on the cluster. Stateless.
 */
final class ConfigAccess {

    private ConfigAccess() {}

    /** Throws the protocol's authorization error unless the client may perform {@code op} on the resource. */
    static void require(RequestContext context, byte resourceType, String name, AclOperation op) {
        ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        if (type == ConfigResource.Type.TOPIC) {
            context.requireTopic(op, name);
        } else if (type == ConfigResource.Type.GROUP) {
            context.requireGroup(op, name);
        } else {
            context.requireCluster(op);
        }
    }
}
