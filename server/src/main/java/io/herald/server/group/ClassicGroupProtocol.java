package io.herald.server.group;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group protocol: JoinGroup, SyncGroup, Heartbeat and LeaveGroup, and the timers that drive rebalances
 * (join phase, initial delay, pending syncs) and sessions. The rules are Kafka's (its {@code GroupMetadataManager} for
 * classic groups), down to the error codes, so that every client's state machine meets the behaviour it was written
 * for:
 *
 * <ul>
 *   <li>a dynamic member's first JoinGroup (v4+) gets a member id and MEMBER_ID_REQUIRED (KIP-394); the id is pending
 *       until it joins with it, or its session timeout removes it;
 *   <li>a rebalance waits for every member to rejoin, at most the longest rebalance timeout, then drops the dynamic
 *       members that did not; the first rebalance of an empty group waits {@code group.initial.rebalance.delay.ms},
 *       extended while members keep arriving, up to the rebalance timeout (not for the JMS presence groups of
 *       {@link JmsPresenceGroups}, which are also capped at one member per client id);
 *   <li>the leader's SyncGroup carries the assignment, which is written to the log before anyone gets it;
 *   <li>a static member ({@code group.instance.id}) that rejoins under a new member id replaces its old self, which is
 *       fenced (FENCED_INSTANCE_ID); in a Stable group, when the selected protocol does not change, it gets its old
 *       assignment back without a rebalance;
 *   <li>a member that misses its session timeout is removed and the group rebalances.
 * </ul>
 *
 * <p>Thread-safety: not thread-safe; called under the shard's lock (requests and timer tasks alike).
 */
final class ClassicGroupProtocol {

    private static final Logger log = LoggerFactory.getLogger(ClassicGroupProtocol.class);

    /**
     * A JoinGroup, version-independent.
     *
     * @param memberId the member id, {@code ""} for a new member
     * @param groupInstanceId the static member's instance id, or null
     * @param rebalanceTimeoutMs the rebalance timeout (the session timeout for v0)
     * @param requireKnownMemberId whether a new dynamic member must first get its id (JoinGroup v4+)
     * @param supportsSkipAssignment whether the response may ask the leader to skip the assignment (v9+)
     */
    record JoinRequest(
            String groupId,
            String memberId,
            String groupInstanceId,
            String protocolType,
            List<ClassicMember.Protocol> protocols,
            int sessionTimeoutMs,
            int rebalanceTimeoutMs,
            Client client,
            boolean requireKnownMemberId,
            boolean supportsSkipAssignment) {}

    /** Who sent a request. */
    record Client(String clientId, String clientHost) {}

    /** A SyncGroup: the leader's carries the assignments. */
    record SyncRequest(
            String groupId,
            String memberId,
            String groupInstanceId,
            int generationId,
            String protocolType,
            String protocolName,
            Map<String, byte[]> assignments) {}

    /** A member leaving (LeaveGroup v3+ batches them). */
    record LeavingMember(String memberId, String groupInstanceId) {}

    private final GroupShard shard;

    ClassicGroupProtocol(GroupShard shard) {
        this.shard = shard;
    }

    private long now() {
        return shard.time().milliseconds();
    }

    private GroupConfig.Classic config() {
        return shard.config().classic();
    }

    private boolean isCurrent(ClassicGroup group) {
        return shard.groups().get(group.groupId()) == group;
    }

    private static String joinKey(ClassicGroup g) {
        return "classic-join\u0000" + g.groupId();
    }

    private static String syncKey(ClassicGroup g) {
        return "classic-sync\u0000" + g.groupId();
    }

    private static String heartbeatKey(ClassicGroup g, String memberId) {
        return "classic-heartbeat\u0000" + g.groupId() + "\u0000" + memberId;
    }

    private static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData()
                .setMemberId(memberId)
                .setGenerationId(-1)
                .setProtocolName(null)
                .setLeader("")
                .setErrorCode(error.code());
    }

    // ---- JoinGroup ----------------------------------------------------------------------------------------------

    CompletableFuture<JoinGroupResponseData> join(JoinRequest r) {
        CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(joinError(r.memberId(), Errors.INVALID_GROUP_ID));
        }
        if (r.sessionTimeoutMs() < config().minSessionTimeoutMs()
                || r.sessionTimeoutMs() > config().maxSessionTimeoutMs()) {
            return CompletableFuture.completedFuture(joinError(r.memberId(), Errors.INVALID_SESSION_TIMEOUT));
        }
        boolean unknownMember = r.memberId().isEmpty();
        Group existing = shard.groups().get(r.groupId());
        if (existing instanceof ConsumerGroup cg) {
            if (!cg.isEmpty()) {
                log.info(
                        "Rejecting a classic JoinGroup to consumer group {}, which has members of the consumer"
                                + " protocol",
                        r.groupId());
                return CompletableFuture.completedFuture(joinError(r.memberId(), Errors.INCONSISTENT_GROUP_PROTOCOL));
            }
            existing = null; // an empty consumer group becomes a classic group; its offsets stay
        }
        boolean created = false;
        ClassicGroup group;
        if (existing == null) {
            if (!unknownMember) {
                return CompletableFuture.completedFuture(joinError(r.memberId(), Errors.UNKNOWN_MEMBER_ID));
            }
            group = new ClassicGroup(r.groupId(), now());
            shard.groups().put(r.groupId(), group);
            created = true;
        } else {
            group = (ClassicGroup) existing;
        }
        if (!acceptJoiningMember(group, r.memberId())) {
            future.complete(joinError(r.memberId(), Errors.GROUP_MAX_SIZE_REACHED));
        } else if (unknownMember) {
            joinNewMember(r, group, future);
        } else {
            joinExistingMember(r, group, future);
        }
        if (created && group.isEmpty() && future.isDone() && !group.isPendingMember(joinedId(future))) {
            shard.groups().remove(r.groupId(), group);
        }
        return future;
    }

    private static String joinedId(CompletableFuture<JoinGroupResponseData> future) {
        return future.getNow(new JoinGroupResponseData()).memberId();
    }

    private boolean acceptJoiningMember(ClassicGroup group, String memberId) {
        return switch (group.state()) {
            case EMPTY, DEAD -> true;
            case PREPARING_REBALANCE ->
                (group.member(memberId).map(ClassicMember::isAwaitingJoin).orElse(false))
                        || group.numAwaitingJoin() < maxSize(group);
            case COMPLETING_REBALANCE, STABLE -> group.hasMember(memberId) || group.size() < maxSize(group);
        };
    }

    private int maxSize(ClassicGroup group) {
        return JmsPresenceGroups.maxSize(group.groupId(), config().maxSize());
    }

    /** {@code group.initial.rebalance.delay.ms}, except for JMS presence groups, which nobody else joins. */
    private int initialRebalanceDelayMs(ClassicGroup group) {
        return JmsPresenceGroups.isPresenceGroup(group.groupId()) ? 0 : config().initialRebalanceDelayMs();
    }

    private void joinNewMember(JoinRequest r, ClassicGroup group, CompletableFuture<JoinGroupResponseData> future) {
        if (group.isInState(ClassicGroup.State.DEAD)) {
            future.complete(joinError("", Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(r.protocolType(), protocolNames(r.protocols()))) {
            future.complete(joinError("", Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        String prefix =
                r.groupInstanceId() != null ? r.groupInstanceId() : r.client().clientId();
        String newMemberId = prefix + "-" + Uuid.randomUuid();
        if (r.groupInstanceId() != null) {
            var existing = group.staticMemberId(r.groupInstanceId());
            if (existing.isPresent()) {
                log.info(
                        "Static member {} of group {} rejoins in state {}; member {} replaces {}",
                        r.groupInstanceId(),
                        group.groupId(),
                        group.state(),
                        newMemberId,
                        existing.get());
                updateStaticMemberThenRebalanceOrCompleteJoin(r, group, existing.get(), newMemberId, future);
            } else {
                addMemberThenRebalanceOrCompleteJoin(r, group, newMemberId, future);
            }
        } else if (r.requireKnownMemberId()) {
            group.addPendingMember(newMemberId);
            shard.schedule(
                    heartbeatKey(group, newMemberId),
                    r.sessionTimeoutMs(),
                    () -> onMemberSessionTimeout(group, newMemberId));
            future.complete(new JoinGroupResponseData()
                    .setMemberId(newMemberId)
                    .setGenerationId(-1)
                    .setProtocolName(null)
                    .setLeader("")
                    .setErrorCode(Errors.MEMBER_ID_REQUIRED.code()));
        } else {
            addMemberThenRebalanceOrCompleteJoin(r, group, newMemberId, future);
        }
    }

    private void joinExistingMember(
            JoinRequest r, ClassicGroup group, CompletableFuture<JoinGroupResponseData> future) {
        String memberId = r.memberId();
        if (group.isInState(ClassicGroup.State.DEAD)) {
            future.complete(joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(r.protocolType(), protocolNames(r.protocols()))) {
            future.complete(joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        if (group.isPendingMember(memberId)) {
            if (r.groupInstanceId() != null) {
                future.complete(joinError(memberId, Errors.INVALID_REQUEST));
                return;
            }
            addMemberThenRebalanceOrCompleteJoin(r, group, memberId, future);
            return;
        }
        try {
            OffsetManager.validateMember(group, memberId, r.groupInstanceId());
        } catch (ApiException e) {
            future.complete(joinError(memberId, Errors.forException(e)));
            return;
        }
        ClassicMember member = group.existingMember(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberThenRebalanceOrCompleteJoin(r, group, member, future);
            case COMPLETING_REBALANCE -> {
                if (member.matches(r.protocols())) {
                    // The member lost the JoinGroup response: answer again for the current generation.
                    future.complete(joinResponse(group, member, group.isLeader(memberId), false));
                } else {
                    updateMemberThenRebalanceOrCompleteJoin(r, group, member, future);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.matches(r.protocols())) {
                    // A rejoining leader forces a rebalance: it may have seen changes the metadata does not show.
                    updateMemberThenRebalanceOrCompleteJoin(r, group, member, future);
                } else {
                    future.complete(joinResponse(group, member, false, false));
                }
            }
            default -> {
                log.warn("Member {} rejoins group {} in unexpected state {}", memberId, group.groupId(), group.state());
                future.complete(joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
            }
        }
    }

    private JoinGroupResponseData joinResponse(
            ClassicGroup group, ClassicMember member, boolean withMembers, boolean skipAssignment) {
        return new JoinGroupResponseData()
                .setMembers(withMembers ? group.currentMemberMetadata() : new ArrayList<>())
                .setMemberId(member.memberId())
                .setGenerationId(group.generationId())
                .setProtocolName(group.protocolNameOrNull())
                .setProtocolType(group.protocolTypeOrNull())
                .setLeader(group.leaderOrNull() == null ? "" : group.leaderOrNull())
                .setSkipAssignment(skipAssignment)
                .setErrorCode(Errors.NONE.code());
    }

    private void addMemberThenRebalanceOrCompleteJoin(
            JoinRequest r, ClassicGroup group, String memberId, CompletableFuture<JoinGroupResponseData> future) {
        ClassicMember member = new ClassicMember(
                memberId,
                r.groupInstanceId(),
                r.client().clientId(),
                r.client().clientHost(),
                r.rebalanceTimeoutMs(),
                r.sessionTimeoutMs(),
                r.protocolType(),
                r.protocols());
        member.setNew(true);
        if (group.isInState(ClassicGroup.State.PREPARING_REBALANCE)
                && group.previousState() == ClassicGroup.State.EMPTY) {
            group.setNewMemberAdded(true);
        }
        group.add(member, future);
        // A parked JoinGroup mutes its connection, so a client that gave up cannot be seen leaving: a new member that
        // does not complete its join in time is dropped; if it is still there, it joins again.
        rescheduleHeartbeat(group, member, config().newMemberJoinTimeoutMs());
        maybePrepareRebalanceOrCompleteJoin(group, "member " + memberId + " joined");
    }

    private void updateMemberThenRebalanceOrCompleteJoin(
            JoinRequest r, ClassicGroup group, ClassicMember member, CompletableFuture<JoinGroupResponseData> future) {
        group.updateMember(
                member,
                r.client().clientId(),
                r.client().clientHost(),
                r.protocols(),
                r.rebalanceTimeoutMs(),
                r.sessionTimeoutMs(),
                future);
        maybePrepareRebalanceOrCompleteJoin(group, "member " + member.memberId() + " rejoined");
    }

    private void updateStaticMemberThenRebalanceOrCompleteJoin(
            JoinRequest r,
            ClassicGroup group,
            String oldMemberId,
            String newMemberId,
            CompletableFuture<JoinGroupResponseData> future) {
        String previousLeader = group.leaderOrNull();
        ClassicMember member = group.replaceStaticMember(r.groupInstanceId(), oldMemberId, newMemberId);
        shard.cancelTimer(heartbeatKey(group, oldMemberId));
        rescheduleHeartbeat(group, member, member.sessionTimeoutMs());
        List<ClassicMember.Protocol> oldProtocols = member.protocols();
        int oldRebalanceTimeout = member.rebalanceTimeoutMs();
        int oldSessionTimeout = member.sessionTimeoutMs();
        group.updateMember(
                member,
                r.client().clientId(),
                r.client().clientHost(),
                r.protocols(),
                r.rebalanceTimeoutMs(),
                r.sessionTimeoutMs(),
                future);
        switch (group.state()) {
            case STABLE -> {
                if (!group.selectProtocol().equals(group.protocolNameOrNull())) {
                    maybePrepareRebalanceOrCompleteJoin(
                            group, "static member " + r.groupInstanceId() + " rejoined with other protocols");
                    return;
                }
                // The selected protocol stays: persist the new member id and hand back the old assignment.
                try {
                    shard.writeGroup(group);
                } catch (IOException e) {
                    log.error(
                            "Could not persist static member {} of group {}; reverting to member {}",
                            r.groupInstanceId(),
                            group.groupId(),
                            oldMemberId,
                            e);
                    future.complete(joinError("", Errors.COORDINATOR_NOT_AVAILABLE)
                            .setLeader(previousLeader == null ? "" : previousLeader));
                    group.updateMember(
                            member,
                            member.clientId(),
                            member.clientHost(),
                            oldProtocols,
                            oldRebalanceTimeout,
                            oldSessionTimeout,
                            null);
                    ClassicMember old = group.replaceStaticMember(r.groupInstanceId(), newMemberId, oldMemberId);
                    shard.cancelTimer(heartbeatKey(group, newMemberId));
                    rescheduleHeartbeat(group, old, old.sessionTimeoutMs());
                    return;
                }
                boolean leader = group.isLeader(newMemberId);
                if (r.supportsSkipAssignment()) {
                    group.completeJoin(member, joinResponse(group, member, leader, leader));
                } else {
                    JoinGroupResponseData response = joinResponse(group, member, false, false);
                    response.setLeader(previousLeader == null ? "" : previousLeader);
                    group.completeJoin(member, response);
                }
            }
            case COMPLETING_REBALANCE ->
                prepareRebalance(
                        group, "static member " + r.groupInstanceId() + " rejoined while the assignment was pending");
            case PREPARING_REBALANCE -> maybeCompleteJoinPhase(group);
            default ->
                throw new IllegalStateException(
                        "Group " + group.groupId() + " in state " + group.state() + " has a static member to replace");
        }
    }

    private void maybePrepareRebalanceOrCompleteJoin(ClassicGroup group, String reason) {
        if (group.canRebalance()) {
            prepareRebalance(group, reason);
        } else {
            maybeCompleteJoinPhase(group);
        }
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
        if (group.isInState(ClassicGroup.State.COMPLETING_REBALANCE)) {
            resetAndPropagateAssignmentWithError(group, Errors.REBALANCE_IN_PROGRESS);
        }
        shard.cancelTimer(syncKey(group));
        boolean initial = group.isInState(ClassicGroup.State.EMPTY);
        if (initial) {
            int delay = initialRebalanceDelayMs(group);
            int remaining = Math.max(group.rebalanceTimeoutMs() - delay, 0);
            shard.schedule(joinKey(group), delay, () -> tryCompleteInitialRebalance(group, delay, remaining));
        }
        group.transitionTo(ClassicGroup.State.PREPARING_REBALANCE, now());
        log.info(
                "Preparing to rebalance group {} (generation {}, {} members): {}",
                group.groupId(),
                group.generationId(),
                group.size(),
                reason);
        if (!initial) {
            if (group.hasAllMembersJoined()) {
                completeJoin(group);
            } else {
                shard.schedule(joinKey(group), group.rebalanceTimeoutMs(), () -> completeJoin(group));
            }
        }
    }

    private void tryCompleteInitialRebalance(ClassicGroup group, int delayMs, int remainingMs) {
        if (!isCurrent(group)) {
            return;
        }
        if (group.newMemberAdded() && remainingMs != 0) {
            group.setNewMemberAdded(false);
            int nextDelay = Math.min(initialRebalanceDelayMs(group), remainingMs);
            int nextRemaining = Math.max(remainingMs - delayMs, 0);
            shard.schedule(
                    joinKey(group), nextDelay, () -> tryCompleteInitialRebalance(group, nextDelay, nextRemaining));
        } else {
            completeJoin(group);
        }
    }

    private void maybeCompleteJoinPhase(ClassicGroup group) {
        if (group.isInState(ClassicGroup.State.PREPARING_REBALANCE)
                && group.hasAllMembersJoined()
                && group.previousState() != ClassicGroup.State.EMPTY) {
            completeJoin(group);
        }
    }

    private void completeJoin(ClassicGroup group) {
        if (!isCurrent(group)) {
            return;
        }
        shard.cancelTimer(joinKey(group));
        List<ClassicMember> missing = group.notYetRejoinedMembers().stream()
                .filter(m -> !m.isStatic())
                .toList();
        for (ClassicMember m : missing) {
            group.remove(m.memberId());
            shard.cancelTimer(heartbeatKey(group, m.memberId()));
        }
        if (!missing.isEmpty()) {
            log.info(
                    "Group {} removed members that did not rejoin: {}",
                    group.groupId(),
                    missing.stream().map(ClassicMember::memberId).collect(Collectors.toList()));
        }
        if (group.isInState(ClassicGroup.State.DEAD)) {
            return;
        }
        if (!group.maybeElectNewJoinedLeader() && !group.isEmpty()) {
            // Only static members that did not rejoin are left: wait for them (or their session timeouts).
            log.info("Group {} could not complete its rebalance: no member rejoined", group.groupId());
            shard.schedule(joinKey(group), group.rebalanceTimeoutMs(), () -> completeJoin(group));
            return;
        }
        group.initNextGeneration(now());
        if (group.isInState(ClassicGroup.State.EMPTY)) {
            log.info("Group {} with generation {} is now empty", group.groupId(), group.generationId());
            try {
                shard.writeGroup(group);
            } catch (IOException e) {
                log.warn("Could not write the empty generation of group {}", group.groupId(), e);
            }
            return;
        }
        log.info(
                "Stabilized group {} generation {} ({}) with {} members",
                group.groupId(),
                group.generationId(),
                group.protocolNameOrNull(),
                group.size());
        for (ClassicMember m : List.copyOf(group.members())) {
            group.completeJoin(m, joinResponse(group, m, group.isLeader(m.memberId()), false));
            rescheduleHeartbeat(group, m, m.sessionTimeoutMs());
            m.setNew(false);
            group.addPendingSyncMember(m.memberId());
        }
        int generation = group.generationId();
        shard.schedule(syncKey(group), group.rebalanceTimeoutMs(), () -> expirePendingSync(group, generation));
    }

    private void expirePendingSync(ClassicGroup group, int generation) {
        if (!isCurrent(group) || generation != group.generationId()) {
            return;
        }
        if (group.isInState(ClassicGroup.State.COMPLETING_REBALANCE) || group.isInState(ClassicGroup.State.STABLE)) {
            Set<String> pending = group.pendingSyncMembers();
            if (!pending.isEmpty()) {
                for (String memberId : pending) {
                    group.remove(memberId);
                    shard.cancelTimer(heartbeatKey(group, memberId));
                }
                log.info("Group {} removed members {} that did not send SyncGroup in time", group.groupId(), pending);
                prepareRebalance(group, "pending sync of " + pending + " expired");
            }
        }
    }

    // ---- SyncGroup ----------------------------------------------------------------------------------------------

    CompletableFuture<SyncGroupResponseData> sync(SyncRequest r) {
        Group found = shard.groups().get(r.groupId());
        if (!(found instanceof ClassicGroup group)) {
            return CompletableFuture.completedFuture(syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        if (group.isInState(ClassicGroup.State.DEAD)) {
            return CompletableFuture.completedFuture(syncError(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        try {
            OffsetManager.validateMember(group, r.memberId(), r.groupInstanceId());
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(syncError(Errors.forException(e)));
        }
        if (r.generationId() != group.generationId()) {
            return CompletableFuture.completedFuture(syncError(Errors.ILLEGAL_GENERATION));
        }
        if (inconsistent(r.protocolType(), group.protocolTypeOrNull())
                || inconsistent(r.protocolName(), group.protocolNameOrNull())) {
            return CompletableFuture.completedFuture(syncError(Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
        switch (group.state()) {
            case PREPARING_REBALANCE -> future.complete(syncError(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                group.existingMember(r.memberId()).setSyncFuture(future);
                removePendingSyncMember(group, r.memberId());
                if (group.isLeader(r.memberId())) {
                    completeSyncWithLeaderAssignment(group, r);
                }
            }
            case STABLE -> {
                removePendingSyncMember(group, r.memberId());
                future.complete(new SyncGroupResponseData()
                        .setProtocolType(group.protocolTypeOrNull())
                        .setProtocolName(group.protocolNameOrNull())
                        .setAssignment(group.existingMember(r.memberId()).assignment())
                        .setErrorCode(Errors.NONE.code()));
            }
            default -> future.complete(syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        return future;
    }

    private void completeSyncWithLeaderAssignment(ClassicGroup group, SyncRequest r) {
        log.info(
                "Assignment received from leader {} of group {} for generation {} ({} members)",
                r.memberId(),
                group.groupId(),
                group.generationId(),
                group.size());
        Map<String, byte[]> assignment = new HashMap<>();
        for (ClassicMember m : group.members()) {
            assignment.put(m.memberId(), r.assignments().getOrDefault(m.memberId(), ClassicMember.EMPTY_ASSIGNMENT));
        }
        try {
            byte[] value = GroupRecords.classicGroupValue(group.snapshot(m -> assignment.get(m.memberId())));
            shard.append(List.of(new GroupRecords.Entry(GroupRecords.groupKey(group.groupId()), value)));
        } catch (IOException e) {
            log.error("Could not write the assignment of group {}", group.groupId(), e);
            resetAndPropagateAssignmentWithError(group, Errors.COORDINATOR_NOT_AVAILABLE);
            maybePrepareRebalanceOrCompleteJoin(group, "the assignment could not be written");
            return;
        }
        group.members().forEach(m -> m.setAssignment(assignment.get(m.memberId())));
        propagateAssignment(group, Errors.NONE);
        group.transitionTo(ClassicGroup.State.STABLE, now());
    }

    private static boolean inconsistent(String requested, String actual) {
        return requested != null && actual != null && !requested.equals(actual);
    }

    private static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData()
                .setProtocolType(null)
                .setProtocolName(null)
                .setAssignment(ClassicMember.EMPTY_ASSIGNMENT)
                .setErrorCode(error.code());
    }

    private void removePendingSyncMember(ClassicGroup group, String memberId) {
        group.removePendingSyncMember(memberId);
        switch (group.state()) {
            case DEAD, EMPTY, PREPARING_REBALANCE -> shard.cancelTimer(syncKey(group));
            case COMPLETING_REBALANCE, STABLE -> {
                if (group.pendingSyncMembers().isEmpty()) {
                    shard.cancelTimer(syncKey(group));
                }
            }
        }
    }

    private void resetAndPropagateAssignmentWithError(ClassicGroup group, Errors error) {
        group.members().forEach(m -> m.setAssignment(ClassicMember.EMPTY_ASSIGNMENT));
        propagateAssignment(group, error);
    }

    private void propagateAssignment(ClassicGroup group, Errors error) {
        for (ClassicMember m : group.members()) {
            if (m.isAwaitingSync()) {
                m.completeSync(new SyncGroupResponseData()
                        .setProtocolType(group.protocolTypeOrNull())
                        .setProtocolName(group.protocolNameOrNull())
                        .setAssignment(error == Errors.NONE ? m.assignment() : ClassicMember.EMPTY_ASSIGNMENT)
                        .setErrorCode(error.code()));
            }
            // A session that expired while the assignment was pending was ignored: expect heartbeats again.
            rescheduleHeartbeat(group, m, m.sessionTimeoutMs());
        }
    }

    // ---- Heartbeat ----------------------------------------------------------------------------------------------

    HeartbeatResponseData heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
        Group found = shard.groups().get(groupId);
        if (!(found instanceof ClassicGroup group)) {
            return heartbeatError(Errors.UNKNOWN_MEMBER_ID);
        }
        if (group.isInState(ClassicGroup.State.DEAD)) {
            return heartbeatError(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        try {
            OffsetManager.validateMember(group, memberId, groupInstanceId);
        } catch (ApiException e) {
            return heartbeatError(Errors.forException(e));
        }
        if (generationId != group.generationId()) {
            return heartbeatError(Errors.ILLEGAL_GENERATION);
        }
        ClassicMember member = group.existingMember(memberId);
        return switch (group.state()) {
            case EMPTY -> heartbeatError(Errors.UNKNOWN_MEMBER_ID);
            case PREPARING_REBALANCE -> {
                rescheduleHeartbeat(group, member, member.sessionTimeoutMs());
                yield heartbeatError(Errors.REBALANCE_IN_PROGRESS);
            }
            default -> {
                rescheduleHeartbeat(group, member, member.sessionTimeoutMs());
                yield new HeartbeatResponseData();
            }
        };
    }

    private static HeartbeatResponseData heartbeatError(Errors error) {
        return new HeartbeatResponseData().setErrorCode(error.code());
    }

    private void rescheduleHeartbeat(ClassicGroup group, ClassicMember member, long delayMs) {
        String memberId = member.memberId();
        shard.schedule(heartbeatKey(group, memberId), delayMs, () -> onMemberSessionTimeout(group, memberId));
    }

    private void onMemberSessionTimeout(ClassicGroup group, String memberId) {
        if (!isCurrent(group) || group.isInState(ClassicGroup.State.DEAD)) {
            return;
        }
        if (group.removePendingMember(memberId)) {
            log.info("Pending member {} of group {} expired before it joined", memberId, group.groupId());
            if (group.isInState(ClassicGroup.State.PREPARING_REBALANCE) && group.hasAllMembersJoined()) {
                completeJoin(group);
            }
            return;
        }
        group.member(memberId).ifPresent(member -> {
            if (!member.hasSatisfiedHeartbeat()) {
                log.info(
                        "Member {} of group {} missed its session timeout of {} ms; removing it",
                        memberId,
                        group.groupId(),
                        member.sessionTimeoutMs());
                removeMemberAndUpdateGroup(group, member, "session timeout of member " + memberId);
            }
        });
    }

    private void removeMemberAndUpdateGroup(ClassicGroup group, ClassicMember member, String reason) {
        group.completeJoin(member, joinError("", Errors.UNKNOWN_MEMBER_ID));
        member.completeSync(syncError(Errors.UNKNOWN_MEMBER_ID));
        group.remove(member.memberId());
        if (group.isInState(ClassicGroup.State.STABLE) || group.isInState(ClassicGroup.State.COMPLETING_REBALANCE)) {
            maybePrepareRebalanceOrCompleteJoin(group, reason);
        } else if (group.isInState(ClassicGroup.State.PREPARING_REBALANCE) && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    // ---- LeaveGroup ---------------------------------------------------------------------------------------------

    /**
     * Removes members; answers per member and with a top-level error for the whole request.
     */
    LeaveGroupResponseData leave(String groupId, List<LeavingMember> leaving) {
        Group found = shard.groups().get(groupId);
        if (!(found instanceof ClassicGroup group)) {
            return new LeaveGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
        }
        if (group.isInState(ClassicGroup.State.DEAD)) {
            return new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        List<MemberResponse> responses = new ArrayList<>();
        List<ClassicMember> valid = new ArrayList<>();
        for (LeavingMember l : leaving) {
            MemberResponse response =
                    new MemberResponse().setMemberId(l.memberId()).setGroupInstanceId(l.groupInstanceId());
            if (l.memberId().isEmpty()) {
                // Administrative removal of a static member by its instance id (kafka-consumer-groups, Admin).
                var current = l.groupInstanceId() == null
                        ? java.util.Optional.<String>empty()
                        : group.staticMemberId(l.groupInstanceId());
                if (current.isPresent()) {
                    valid.add(group.existingMember(current.get()));
                } else {
                    response.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
                }
            } else if (group.removePendingMember(l.memberId())) {
                shard.cancelTimer(heartbeatKey(group, l.memberId()));
                log.info("Pending member {} left group {}", l.memberId(), group.groupId());
            } else {
                try {
                    OffsetManager.validateMember(group, l.memberId(), l.groupInstanceId());
                    valid.add(group.existingMember(l.memberId()));
                } catch (ApiException e) {
                    response.setErrorCode(Errors.forException(e).code());
                }
            }
            responses.add(response);
        }
        if (!valid.isEmpty()) {
            log.info(
                    "Members {} left group {}",
                    valid.stream().map(ClassicMember::memberId).toList(),
                    group.groupId());
            for (ClassicMember m : valid) {
                shard.cancelTimer(heartbeatKey(group, m.memberId()));
                removeMemberAndUpdateGroup(group, m, "member " + m.memberId() + " left");
            }
        } else if (group.isInState(ClassicGroup.State.PREPARING_REBALANCE) && group.hasAllMembersJoined()) {
            completeJoin(group); // a pending member left
        }
        return new LeaveGroupResponseData().setMembers(responses);
    }

    // ---- loading ------------------------------------------------------------------------------------------------

    /** Starts the session timers of a group just loaded: its members must heartbeat to stay. */
    void onLoaded(ClassicGroup group) {
        group.members().forEach(m -> rescheduleHeartbeat(group, m, m.sessionTimeoutMs()));
    }

    /** Answers whatever a group has parked when the shard closes: the members must find the new coordinator. */
    void onUnloaded(ClassicGroup group) {
        for (ClassicMember m : group.members()) {
            group.completeJoin(m, joinError(m.memberId(), Errors.NOT_COORDINATOR));
            m.completeSync(syncError(Errors.NOT_COORDINATOR));
        }
        group.transitionTo(ClassicGroup.State.DEAD, now());
    }

    private static List<String> protocolNames(List<ClassicMember.Protocol> protocols) {
        return protocols.stream().map(ClassicMember.Protocol::name).toList();
    }
}
