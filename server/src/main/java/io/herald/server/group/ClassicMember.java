package io.herald.server.group;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * A member of a {@link ClassicGroup}: who it is, the protocols it supports with their metadata (for a consumer: its
 * subscription), the assignment the leader gave it, and the JoinGroup or SyncGroup request it may have parked.
 *
 * <p>Thread-safety: not thread-safe; guarded by the owning shard's lock.
 */
final class ClassicMember {

    static final byte[] EMPTY_ASSIGNMENT = new byte[0];

    /** One protocol a member supports, in its order of preference. */
    record Protocol(String name, byte[] metadata) {}

    private final String memberId;
    private final String groupInstanceId;
    private final String protocolType;
    private String clientId;
    private String clientHost;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment = EMPTY_ASSIGNMENT;
    private CompletableFuture<JoinGroupResponseData> joinFuture;
    private CompletableFuture<SyncGroupResponseData> syncFuture;
    private boolean isNew;

    /**
     * @param groupInstanceId the static member's {@code group.instance.id}, or {@code null} for a dynamic member
     */
    ClassicMember(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            String protocolType,
            List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = List.copyOf(protocols);
    }

    /** A copy under a new member id (a static member rejoining), keeping protocols and assignment. */
    ClassicMember withMemberId(String newMemberId) {
        ClassicMember m = new ClassicMember(
                newMemberId,
                groupInstanceId,
                clientId,
                clientHost,
                rebalanceTimeoutMs,
                sessionTimeoutMs,
                protocolType,
                protocols);
        m.assignment = assignment;
        return m;
    }

    String memberId() {
        return memberId;
    }

    /** The static member's instance id; {@code null} for a dynamic member (as on the wire). */
    String groupInstanceId() {
        return groupInstanceId;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    String protocolType() {
        return protocolType;
    }

    List<Protocol> protocols() {
        return protocols;
    }

    byte[] assignment() {
        return assignment;
    }

    void setAssignment(byte[] assignment) {
        this.assignment = assignment;
    }

    void update(String clientId, String clientHost, int rebalanceTimeoutMs, int sessionTimeoutMs, List<Protocol> p) {
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = List.copyOf(p);
    }

    /** The metadata of {@code protocol}, which the member must support. */
    byte[] metadata(String protocol) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        throw new IllegalStateException("Member " + memberId + " does not support protocol " + protocol);
    }

    /** Whether {@code other} lists the same protocols with the same metadata, in the same order. */
    boolean matches(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            Protocol a = protocols.get(i);
            Protocol b = other.get(i);
            if (!a.name().equals(b.name()) || !Arrays.equals(a.metadata(), b.metadata())) {
                return false;
            }
        }
        return true;
    }

    /** The member's most preferred protocol among {@code candidates}. */
    Optional<String> vote(Set<String> candidates) {
        return protocols.stream()
                .map(Protocol::name)
                .filter(candidates::contains)
                .findFirst();
    }

    boolean isAwaitingJoin() {
        return joinFuture != null;
    }

    boolean isAwaitingSync() {
        return syncFuture != null;
    }

    CompletableFuture<JoinGroupResponseData> joinFuture() {
        return joinFuture;
    }

    void setJoinFuture(CompletableFuture<JoinGroupResponseData> future) {
        this.joinFuture = future;
    }

    void setSyncFuture(CompletableFuture<SyncGroupResponseData> future) {
        this.syncFuture = future;
    }

    /** Completes the parked JoinGroup, if any; returns whether there was one. */
    boolean completeJoin(JoinGroupResponseData response) {
        CompletableFuture<JoinGroupResponseData> f = joinFuture;
        joinFuture = null;
        if (f == null) {
            return false;
        }
        f.complete(response);
        return true;
    }

    /** Completes the parked SyncGroup, if any. */
    void completeSync(SyncGroupResponseData response) {
        CompletableFuture<SyncGroupResponseData> f = syncFuture;
        syncFuture = null;
        if (f != null) {
            f.complete(response);
        }
    }

    boolean isNew() {
        return isNew;
    }

    void setNew(boolean isNew) {
        this.isNew = isNew;
    }

    /**
     * Whether the member may miss heartbeats now: while its JoinGroup or SyncGroup is parked it cannot send any. A new
     * member is the exception: it may be expired while it waits to join, so that a client that gave up does not stay.
     */
    boolean hasSatisfiedHeartbeat() {
        if (isNew) {
            return false;
        }
        return isAwaitingJoin() || isAwaitingSync();
    }
}
