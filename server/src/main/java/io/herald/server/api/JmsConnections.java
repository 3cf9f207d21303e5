package io.herald.server.api;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.group.JmsPresenceGroups;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * The open JMS connections of the cluster: every connection of Herald's JMS provider keeps one member in classic group
 * {@code jms.owner.<connection id>} while it is open (docs/jms-mapping.md), whose subscription user data carries the
 * connection's status. The groups this broker coordinates are read here, the others' asked of their brokers ({@link
 * PeerPresenceGroups}). That layout is the provider's {@code ConnectionStatus}:
 * {@code java.util.Properties} text with {@code connectionId}, {@code clientId}, {@code user}, {@code since} (epoch
 * ms), {@code sessions}, {@code producers}, {@code consumers} and {@code consuming} (comma-separated {@code
 * queue:<name>} / {@code topic:<name>[/<share group>]}). A member with user data this console cannot read is listed
 * with what the group itself says (connection id, client host).
 *
 * <p>Thread-safety: thread-safe; every call reads the coordinator afresh.
 */
public final class JmsConnections {

    private static final short DESCRIBE_VERSION = 5;

    /**
     * An open JMS connection.
     *
     * @param clientId the JMS client id, {@code ""} without one
     * @param user the user it authenticated as, {@code ""} without security
     * @param clientHost where it connects from, as the broker sees it
     * @param sinceMs when the connection was created (its process's clock), 0 if unknown
     * @param consuming what its consumers read: {@code queue:<name>}, {@code topic:<name>} or {@code
     *     topic:<name>/<share group>} for a durable or shared subscription
     */
    public record Connection(
            String connectionId,
            String clientId,
            String user,
            String clientHost,
            long sinceMs,
            int sessions,
            int producers,
            int consumers,
            List<String> consuming,
            String memberId) {}

    /**
     * The open connections, oldest first.
     *
     * @param unreachableBrokers live brokers that did not answer: their connections are missing
     */
    public record Listing(List<Connection> connections, List<Integer> unreachableBrokers) {}

    private final GroupCoordinator coordinator;
    private final PeerPresenceGroups peers;

    JmsConnections(GroupCoordinator coordinator, PeerPresenceGroups peers) {
        this.coordinator = coordinator;
        this.peers = peers;
    }

    /** The open connections of the whole cluster. */
    public Listing list() {
        PeerPresenceGroups.Answer remote = peers.describe();
        List<DescribedGroup> described = new ArrayList<>(local());
        described.addAll(remote.groups());
        return new Listing(connections(described), remote.unreachableBrokers());
    }

    /** The presence groups this broker coordinates. */
    private List<DescribedGroup> local() {
        List<String> groups = coordinator.listGroups(List.of(), List.of()).groups().stream()
                .map(ListedGroup::groupId)
                .filter(g -> g.startsWith(JmsPresenceGroups.OWNER_PREFIX))
                .toList();
        return groups.isEmpty() ? List.of() : coordinator.describeGroups(DESCRIBE_VERSION, groups);
    }

    private static List<Connection> connections(List<DescribedGroup> described) {
        List<Connection> out = new ArrayList<>();
        Set<String> seen = new HashSet<>(); // a group that moved while we asked may be listed twice
        for (DescribedGroup d : described) {
            if (d.errorCode() != Errors.NONE.code()) {
                continue; // moved or loading: listed by its coordinator
            }
            String connectionId = d.groupId().substring(JmsPresenceGroups.OWNER_PREFIX.length());
            for (DescribedGroupMember m : d.members()) {
                if (seen.add(m.memberId())) {
                    out.add(connection(connectionId, m));
                }
            }
        }
        out.sort(Comparator.comparingLong(Connection::sinceMs).thenComparing(Connection::connectionId));
        return out;
    }

    private static Connection connection(String connectionId, DescribedGroupMember m) {
        Properties status = status(m.memberMetadata()).orElseGet(Properties::new);
        String consuming = status.getProperty("consuming", "");
        return new Connection(
                connectionId,
                status.getProperty("clientId", ""),
                status.getProperty("user", ""),
                m.clientHost(),
                number(status, "since"),
                (int) number(status, "sessions"),
                (int) number(status, "producers"),
                (int) number(status, "consumers"),
                consuming.isEmpty() ? List.of() : Arrays.asList(consuming.split(",")),
                m.memberId());
    }

    /** The connection's status from the member's subscription user data, if it has one this console reads. */
    static Optional<Properties> status(byte[] metadata) {
        if (metadata == null || metadata.length == 0) {
            return Optional.empty();
        }
        try {
            ByteBuffer userData = ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata))
                    .userData();
            if (userData == null || !userData.hasRemaining()) {
                return Optional.empty();
            }
            byte[] bytes = new byte[userData.remaining()];
            userData.get(bytes);
            Properties p = new Properties();
            p.load(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)));
            return "1".equals(p.getProperty("version")) ? Optional.of(p) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not the provider's layout: shown with what the group says
        }
    }

    private static long number(Properties p, String key) {
        try {
            return Long.parseLong(p.getProperty(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
