package io.herald.server.group;

/**
 * The classic groups the JMS provider keeps one member in for as long as a connection lives (docs/jms-mapping.md):
 * {@code jms.owner.<connection id>} for every connection, and {@code jms.client.<client id>} for a connection with a
 * client id. The coordinator treats them apart in two ways:
 *
 * <ul>
 *   <li>a {@code jms.client.*} group holds at most one member, whatever {@code group.max.size} says: a second
 *       connection with the same client id is refused with GROUP_MAX_SIZE_REACHED, which the provider turns into
 *       {@code InvalidClientIDException} (Jakarta Messaging 3.1 §6.1.2). Since a group has one coordinator in the
 *       cluster, the claim is unique cluster-wide;
 *   <li>neither waits {@code group.initial.rebalance.delay.ms} before its first rebalance: nobody else is expected to
 *       join, and the JMS call that creates the member (createConnection, setClientID) waits for the join.
 * </ul>
 *
 * <p>Thread-safety: stateless, thread-safe.
 */
public final class JmsPresenceGroups {

    /** Group of the connection that holds client id {@code <rest>}. */
    public static final String CLIENT_PREFIX = "jms.client.";
    /** Group of connection {@code <rest>} (its id), which also owns the connection's temporary destinations. */
    public static final String OWNER_PREFIX = "jms.owner.";

    private JmsPresenceGroups() {}

    /** The most members group {@code groupId} may have, given {@code group.max.size}. */
    static int maxSize(String groupId, int configured) {
        return groupId.startsWith(CLIENT_PREFIX) ? 1 : configured;
    }

    /** Whether {@code groupId} is a JMS presence group (no initial rebalance delay). */
    public static boolean isPresenceGroup(String groupId) {
        return groupId.startsWith(CLIENT_PREFIX) || groupId.startsWith(OWNER_PREFIX);
    }
}
