package io.herald.server.cluster;

import java.util.List;

/**
 * How a broker joins the Hazelcast cluster (the {@code cluster.*} keys of {@code server.properties}).
 *
 * @param nodeId this broker's node id (a member attribute, so others map members to brokers)
 * @param clusterName Hazelcast's cluster name: members of another name never join
 * @param host the address Hazelcast binds and advertises
 * @param port Hazelcast's port
 * @param advertisedAddress {@code host:port} the other members connect to (Hazelcast's public address), empty for
 *     {@code host:port}
 * @param members the member list, {@code host:port} each (TCP/IP join; no multicast)
 * @param cpMemberCount CP members (Raft group size); 0 runs the CP subsystem in its unsafe mode (fewer than 3 brokers)
 * @param heartbeatSeconds member heartbeat interval
 * @param failureTimeoutSeconds a member not heard from this long is removed
 * @param sessionTtlSeconds a CP session (and the controller lock it holds) ends this long after its owner was last
 *     heard from
 * @param missingMemberRemovalSeconds a crashed CP member is replaced after this long
 * @param raftElectionTimeoutMs Raft leader election timeout
 * @param operationTimeoutMs how long one CP operation may take before the broker treats the store as unreachable
 */
public record HazelcastSettings(
        int nodeId,
        String clusterName,
        String host,
        int port,
        String advertisedAddress,
        List<String> members,
        int cpMemberCount,
        int heartbeatSeconds,
        int failureTimeoutSeconds,
        int sessionTtlSeconds,
        int missingMemberRemovalSeconds,
        long raftElectionTimeoutMs,
        long operationTimeoutMs) {

    public HazelcastSettings {
        members = List.copyOf(members);
    }

    /** The address the other members connect to. */
    String memberAddress() {
        return advertisedAddress.isBlank() ? host + ":" + port : advertisedAddress.trim();
    }

    /** The host part of {@link #memberAddress}. */
    String memberHost() {
        String a = memberAddress();
        int colon = a.lastIndexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }
}
