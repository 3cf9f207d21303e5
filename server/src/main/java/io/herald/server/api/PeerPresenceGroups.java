package io.herald.server.api;

import io.herald.server.cluster.ClusterView;
import io.herald.server.group.JmsPresenceGroups;
import io.herald.server.handler.SharePeers;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.replication.InterBrokerClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMS presence groups ({@code jms.owner.*}) that the other live brokers of the cluster coordinate, asked of each
 * over its inter-broker listener with the broker's own inter-broker credentials: ListGroups (v4), then DescribeGroups
 * (v5) of the {@code jms.owner.*} groups it lists. Each broker lists only the groups it coordinates, so together with
 * this broker's own every open connection is seen once; the requests carry {@link SharePeers#PEER_CLIENT_ID}, so the
 * broker asked does not ask the others for their share groups in turn.
 *
 * <p>Design note: one short-lived {@link InterBrokerClient} per broker and call (the replica fetchers' client, so
 * TLS and SASL come for free): the console asks every few seconds at most, and a connection per ask needs no
 * cache to invalidate when brokers come and go. A broker that does not answer within the timeout is reported, not
 * waited for.
 *
 * <p>Thread-safety: thread-safe; nothing is shared between calls.
 */
final class PeerPresenceGroups {

    private static final Logger LOG = LoggerFactory.getLogger(PeerPresenceGroups.class);
    private static final short LIST_VERSION = 4;
    private static final short DESCRIBE_VERSION = 5;

    /** What the other brokers answered: their groups, and the ids of those that did not answer. */
    record Answer(List<DescribedGroup> groups, List<Integer> unreachableBrokers) {}

    private final ClusterView cluster;
    private final int selfId;
    private final String listener;
    private final Supplier<Map<String, Object>> security;
    private final int timeoutMs;

    PeerPresenceGroups(
            ClusterView cluster, int selfId, String listener, Supplier<Map<String, Object>> security, int timeoutMs) {
        this.cluster = cluster;
        this.selfId = selfId;
        this.listener = listener;
        this.security = security;
        this.timeoutMs = timeoutMs;
    }

    /** The presence groups of every other live broker that answers. */
    Answer describe() {
        List<DescribedGroup> groups = new ArrayList<>();
        List<Integer> unreachable = new ArrayList<>();
        for (BrokerNode b : cluster.liveBrokers()) {
            if (b.id() == selfId) {
                continue;
            }
            try {
                groups.addAll(describe(b));
            } catch (IOException | RuntimeException e) {
                LOG.debug("Broker {} did not list its JMS presence groups", b.id(), e);
                unreachable.add(b.id());
            }
        }
        return new Answer(groups, unreachable);
    }

    private List<DescribedGroup> describe(BrokerNode broker) throws IOException {
        BrokerNode.Endpoint e = broker.endpoint(listener)
                .orElseThrow(() -> new IOException("Broker " + broker.id() + " has no listener " + listener));
        try (InterBrokerClient client = InterBrokerClient.connect(
                broker.id(), e.host(), e.port(), SharePeers.PEER_CLIENT_ID, security.get(), timeoutMs)) {
            ListGroupsResponseData listed = client.send(new ListGroupsRequestData(), LIST_VERSION);
            if (listed.errorCode() != Errors.NONE.code()) {
                throw Errors.forCode(listed.errorCode()).exception();
            }
            List<String> owners = listed.groups().stream()
                    .map(ListGroupsResponseData.ListedGroup::groupId)
                    .filter(g -> g.startsWith(JmsPresenceGroups.OWNER_PREFIX))
                    .toList();
            if (owners.isEmpty()) {
                return List.of();
            }
            DescribeGroupsResponseData described =
                    client.send(new DescribeGroupsRequestData().setGroups(owners), DESCRIBE_VERSION);
            return described.groups();
        }
    }
}
