package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.RequestContext;

/**
 * The caller of a group request as the coordinator records it: client id, client host (written as Kafka writes it,
 * {@code /address}) and the request's version.
 *
 * <p>Thread-safety: stateless.
 */
final class GroupCallers {

    private GroupCallers() {}

    static GroupCoordinator.Caller of(RequestContext context) {
        String host =
                context.clientAddress() == null ? "" : context.clientAddress().toString();
        String clientId = context.clientId() == null ? "" : context.clientId();
        return new GroupCoordinator.Caller(clientId, host, context.version());
    }
}
