package io.herald.server.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A group of the classic protocol: its members, generation, selected protocol and leader, and the state of its
 * rebalance. The rules that move it between states live in {@link ClassicGroupProtocol}; this class keeps the
 * bookkeeping consistent (supported-protocol counts, static members, members awaiting join or sync).
 *
 * <p>States, as Kafka names them: {@code Empty} (no members), {@code PreparingRebalance} (waiting for members to
 * (re)join), {@code CompletingRebalance} (waiting for the leader's assignment), {@code Stable}, {@code Dead} (removed).
 *
 * <p>Thread-safety: not thread-safe; guarded by the owning {@link GroupShard}'s lock.
 */
final class ClassicGroup implements Group {

    /** The states of a classic group. */
    enum State {
        EMPTY("Empty"),
        PREPARING_REBALANCE("PreparingRebalance"),
        COMPLETING_REBALANCE("CompletingRebalance"),
        STABLE("Stable"),
        DEAD("Dead");

        private final String displayName;

        State(String displayName) {
            this.displayName = displayName;
        }

        @Override
        public String toString() {
            return displayName;
        }
    }

    private final String groupId;
    private final Map<String, ClassicMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Set<String> pendingJoinMembers = new HashSet<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private final Map<String, Integer> supportedProtocols = new HashMap<>();
    private State state = State.EMPTY;
    private State previousState = State.EMPTY;
    private long stateTimestampMs;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private int generationId;
    private int numMembersAwaitingJoin;
    private boolean newMemberAdded;
    private Optional<Set<String>> subscribedTopics = Optional.empty();

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CLASSIC;
    }

    @Override
    public String stateName() {
        return state.toString();
    }

    @Override
    public String protocolType() {
        return protocolType == null ? "" : protocolType;
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    State state() {
        return state;
    }

    boolean isInState(State s) {
        return state == s;
    }

    State previousState() {
        return previousState;
    }

    long stateTimestampMs() {
        return stateTimestampMs;
    }

    void transitionTo(State next, long nowMs) {
        previousState = state;
        state = next;
        stateTimestampMs = nowMs;
    }

    /** Whether a rebalance may start from the current state. */
    boolean canRebalance() {
        return state == State.STABLE || state == State.COMPLETING_REBALANCE || state == State.EMPTY;
    }

    /** The protocol type, or {@code null} while the group has none (as on the wire). */
    String protocolTypeOrNull() {
        return protocolType;
    }

    /** The selected protocol, or {@code null} outside a generation with members. */
    String protocolNameOrNull() {
        return protocolName;
    }

    /** The leader's member id, or {@code null} without members. */
    String leaderOrNull() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    int generationId() {
        return generationId;
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void setNewMemberAdded(boolean added) {
        this.newMemberAdded = added;
    }

    // ---- members ------------------------------------------------------------------------------------------------

    int size() {
        return members.size();
    }

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    Optional<ClassicMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    ClassicMember existingMember(String memberId) {
        ClassicMember m = members.get(memberId);
        if (m == null) {
            throw new IllegalStateException("No member " + memberId + " in group " + groupId);
        }
        return m;
    }

    Collection<ClassicMember> members() {
        return members.values();
    }

    /** The member id of the static member with {@code instanceId}. */
    Optional<String> staticMemberId(String instanceId) {
        return Optional.ofNullable(staticMembers.get(instanceId));
    }

    boolean isPendingMember(String memberId) {
        return pendingJoinMembers.contains(memberId);
    }

    void addPendingMember(String memberId) {
        pendingJoinMembers.add(memberId);
    }

    boolean removePendingMember(String memberId) {
        return pendingJoinMembers.remove(memberId);
    }

    int numAwaitingJoin() {
        return numMembersAwaitingJoin;
    }

    /** All members have rejoined and no member id handed out is still expected to join. */
    boolean hasAllMembersJoined() {
        return members.size() == numMembersAwaitingJoin && pendingJoinMembers.isEmpty();
    }

    void add(ClassicMember member, CompletableFuture<JoinGroupResponseData> joinFuture) {
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
        members.put(member.memberId(), member);
        member.protocols().forEach(p -> supportedProtocols.merge(p.name(), 1, Integer::sum));
        member.setJoinFuture(joinFuture);
        if (joinFuture != null) {
            numMembersAwaitingJoin++;
        }
        pendingJoinMembers.remove(member.memberId());
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
    }

    void remove(String memberId) {
        ClassicMember removed = members.remove(memberId);
        if (removed != null) {
            removed.protocols().forEach(p -> supportedProtocols.merge(p.name(), -1, Integer::sum));
            if (removed.isAwaitingJoin()) {
                numMembersAwaitingJoin--;
            }
            if (removed.isStatic() && memberId.equals(staticMembers.get(removed.groupInstanceId()))) {
                staticMembers.remove(removed.groupInstanceId());
            }
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        pendingJoinMembers.remove(memberId);
        pendingSyncMembers.remove(memberId);
    }

    /**
     * Updates a member's protocols and timeouts and parks (or clears) its JoinGroup. A JoinGroup it had already parked
     * is answered with REBALANCE_IN_PROGRESS so that no request stays unanswered.
     */
    void updateMember(
            ClassicMember member,
            String clientId,
            String clientHost,
            List<ClassicMember.Protocol> protocols,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            CompletableFuture<JoinGroupResponseData> joinFuture) {
        member.protocols().forEach(p -> supportedProtocols.merge(p.name(), -1, Integer::sum));
        protocols.forEach(p -> supportedProtocols.merge(p.name(), 1, Integer::sum));
        member.update(clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs, protocols);
        if (member.isAwaitingJoin() && joinFuture == null) {
            numMembersAwaitingJoin--;
        } else if (!member.isAwaitingJoin() && joinFuture != null) {
            numMembersAwaitingJoin++;
        }
        CompletableFuture<JoinGroupResponseData> previous = member.joinFuture();
        if (previous != null && previous != joinFuture) {
            previous.complete(new JoinGroupResponseData()
                    .setMemberId(member.memberId())
                    .setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
        }
        member.setJoinFuture(joinFuture);
    }

    /**
     * Replaces the static member {@code oldMemberId} by a copy under {@code newMemberId}, fencing whatever the old one
     * has parked with FENCED_INSTANCE_ID. The copy keeps the assignment and, if the old one led, the leadership.
     */
    ClassicMember replaceStaticMember(String instanceId, String oldMemberId, String newMemberId) {
        ClassicMember old = members.remove(oldMemberId);
        if (old == null) {
            throw new IllegalStateException("No static member " + oldMemberId + " to replace in group " + groupId);
        }
        if (old.isAwaitingJoin()) {
            numMembersAwaitingJoin--;
        }
        old.completeJoin(new JoinGroupResponseData()
                .setMemberId(oldMemberId)
                .setProtocolName(null)
                .setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        old.completeSync(new SyncGroupResponseData()
                .setAssignment(ClassicMember.EMPTY_ASSIGNMENT)
                .setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        ClassicMember replacement = old.withMemberId(newMemberId);
        members.put(newMemberId, replacement);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
        staticMembers.put(instanceId, newMemberId);
        return replacement;
    }

    /**
     * Makes a member that has rejoined the leader if the current leader has not rejoined; returns whether the group
     * has a leader that rejoined.
     */
    boolean maybeElectNewJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        ClassicMember leader = members.get(leaderId);
        if (leader != null && leader.isAwaitingJoin()) {
            return true;
        }
        for (ClassicMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                leaderId = m.memberId();
                return true;
            }
        }
        return false;
    }

    /** Answers a member's parked JoinGroup, if it has one. */
    void completeJoin(ClassicMember member, JoinGroupResponseData response) {
        if (member.completeJoin(response)) {
            numMembersAwaitingJoin--;
        }
    }

    /** The longest rebalance timeout of the members: how long a rebalance waits for them to rejoin. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (ClassicMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs());
        }
        return max;
    }

    /** Members that have not rejoined during the current rebalance. */
    List<ClassicMember> notYetRejoinedMembers() {
        return members.values().stream().filter(m -> !m.isAwaitingJoin()).toList();
    }

    // ---- protocols ----------------------------------------------------------------------------------------------

    /** Whether a member of {@code memberProtocolType} supporting {@code memberProtocols} may join. */
    boolean supportsProtocols(String memberProtocolType, Collection<String> memberProtocols) {
        if (isEmpty()) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        return memberProtocolType != null
                && memberProtocolType.equals(protocolType)
                && memberProtocols.stream().anyMatch(p -> supportedProtocols.getOrDefault(p, 0) == members.size());
    }

    /** The protocol every member supports that most members prefer. */
    String selectProtocol() {
        Set<String> candidates = new LinkedHashSet<>();
        supportedProtocols.forEach((name, count) -> {
            if (count == members.size()) {
                candidates.add(name);
            }
        });
        if (candidates.isEmpty()) {
            throw new IllegalStateException("No protocol is supported by every member of group " + groupId);
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (ClassicMember m : members.values()) {
            m.vote(candidates).ifPresent(p -> votes.merge(p, 1, Integer::sum));
        }
        return votes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElseThrow();
    }

    /** Moves to the next generation: CompletingRebalance with members (and a selected protocol), else Empty. */
    void initNextGeneration(long nowMs) {
        generationId++;
        if (!members.isEmpty()) {
            protocolName = selectProtocol();
            transitionTo(State.COMPLETING_REBALANCE, nowMs);
        } else {
            protocolName = null;
            transitionTo(State.EMPTY, nowMs);
        }
        subscribedTopics = computeSubscribedTopics();
        pendingSyncMembers.clear();
    }

    /**
     * The topics the members subscribe to, when the group uses the consumer protocol type and every member's
     * subscription parses; empty when that is unknown (then no offset counts as unsubscribed).
     */
    Optional<Set<String>> subscribedTopics() {
        return subscribedTopics;
    }

    /** Whether a member may be consuming {@code topic}: subscribed, or the subscriptions are unknown. */
    boolean isSubscribedToTopic(String topic) {
        return subscribedTopics.map(t -> t.contains(topic)).orElse(!members.isEmpty());
    }

    /** Whether the group uses the consumer's embedded protocol ({@code consumer}). */
    boolean usesConsumerProtocol() {
        return ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType);
    }

    private Optional<Set<String>> computeSubscribedTopics() {
        if (!usesConsumerProtocol()) {
            return Optional.empty();
        }
        if (members.isEmpty()) {
            return Optional.of(Set.of());
        }
        if (protocolName == null) {
            return Optional.empty();
        }
        Set<String> topics = new HashSet<>();
        try {
            for (ClassicMember m : members.values()) {
                topics.addAll(ConsumerProtocol.deserializeConsumerProtocolSubscription(
                                ByteBuffer.wrap(m.metadata(protocolName)))
                        .topics());
            }
        } catch (RuntimeException e) {
            return Optional.empty(); // a member's metadata is not a consumer subscription
        }
        return Optional.of(Set.copyOf(topics));
    }

    /** The members with their metadata for the selected protocol, as the leader's JoinGroup response lists them. */
    List<JoinGroupResponseMember> currentMemberMetadata() {
        List<JoinGroupResponseMember> list = new ArrayList<>();
        for (ClassicMember m : members.values()) {
            list.add(new JoinGroupResponseMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setMetadata(m.metadata(protocolName)));
        }
        return list;
    }

    void addPendingSyncMember(String memberId) {
        pendingSyncMembers.add(memberId);
    }

    boolean removePendingSyncMember(String memberId) {
        return pendingSyncMembers.remove(memberId);
    }

    Set<String> pendingSyncMembers() {
        return Set.copyOf(pendingSyncMembers);
    }

    // ---- persistence --------------------------------------------------------------------------------------------

    /** One member as stored: its metadata for the selected protocol and its assignment. */
    record MemberSnapshot(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            byte[] subscription,
            byte[] assignment) {}

    /**
     * The group as stored in {@code __consumer_offsets}: Kafka stores a classic group when a generation completes (or
     * becomes empty), never in the middle of a rebalance.
     */
    record Snapshot(
            String protocolType,
            int generationId,
            String protocolName,
            String leaderId,
            long stateTimestampMs,
            List<MemberSnapshot> members) {}

    /** The stored form, with {@code assignments} (member id to assignment) in place of the current ones. */
    Snapshot snapshot(Function<ClassicMember, byte[]> assignments) {
        List<MemberSnapshot> list = new ArrayList<>();
        for (ClassicMember m : members.values()) {
            list.add(new MemberSnapshot(
                    m.memberId(),
                    m.groupInstanceId(),
                    m.clientId(),
                    m.clientHost(),
                    m.rebalanceTimeoutMs(),
                    m.sessionTimeoutMs(),
                    protocolName == null ? new byte[0] : m.metadata(protocolName),
                    assignments.apply(m)));
        }
        return new Snapshot(protocolType, generationId, protocolName, leaderId, stateTimestampMs, list);
    }

    /** Rebuilds a group from its stored form: Stable with its members, or Empty. */
    static ClassicGroup fromSnapshot(String groupId, Snapshot s) {
        ClassicGroup g = new ClassicGroup(groupId, s.stateTimestampMs());
        g.protocolType = s.protocolType();
        g.generationId = s.generationId();
        g.protocolName = s.protocolName();
        for (MemberSnapshot m : s.members()) {
            ClassicMember member = new ClassicMember(
                    m.memberId(),
                    m.groupInstanceId(),
                    m.clientId(),
                    m.clientHost(),
                    m.rebalanceTimeoutMs(),
                    m.sessionTimeoutMs(),
                    s.protocolType(),
                    List.of(new ClassicMember.Protocol(s.protocolName(), m.subscription())));
            member.setAssignment(m.assignment());
            g.add(member, null);
        }
        g.leaderId = s.leaderId() != null && g.members.containsKey(s.leaderId())
                ? s.leaderId()
                : g.members.isEmpty() ? null : g.members.keySet().iterator().next();
        g.state = g.members.isEmpty() ? State.EMPTY : State.STABLE;
        g.previousState = g.state;
        g.subscribedTopics = g.computeSubscribedTopics();
        return g;
    }
}
