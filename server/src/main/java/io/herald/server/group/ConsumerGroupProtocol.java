package io.herald.server.group;

import io.herald.server.group.ConsumerMember.MemberState;
import io.herald.server.group.ConsumerMember.Reconciliation;
import io.herald.server.group.assignor.AssignmentSpec;
import io.herald.server.group.assignor.PartitionAssignor;
import io.herald.server.metadata.TopicInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KIP-848's consumer group protocol: the ConsumerGroupHeartbeat that joins, heartbeats, reconciles and leaves, with
 * server-side assignment, and the session and rebalance timeouts. The rules are Kafka's:
 *
 * <ol>
 *   <li>a heartbeat creates or updates the member; a changed subscription, a new or departed member, or a change of a
 *       subscribed topic (created, deleted, more partitions) bumps the group epoch;
 *   <li>when the group epoch is ahead of the target assignment, the group's assignor ({@code uniform} or {@code
 *       range}, the one most members ask for) computes a new target for every member;
 *   <li>the member reconciles towards its target ({@link Reconciler}): revocations first, at its current epoch; then
 *       the target epoch with the partitions that are free;
 *   <li>a member that does not heartbeat within {@code group.consumer.session.timeout.ms}, or does not revoke within
 *       its rebalance timeout, is fenced: removed, and the epoch bumped.
 * </ol>
 *
 * A static member ({@code group.instance.id}) that leaves with epoch -2 keeps its assignment for the session timeout;
 * rejoining under a new member id within it, it takes over the assignment without a rebalance.
 *
 * <p>Design note: every change is computed before anything is mutated, so a heartbeat that changes nothing (the
 * steady state) costs no allocation of group state and no write; a heartbeat that changes something writes the whole
 * group as one record (see {@link GroupRecords}) before it is answered, and restores the previous state if the write
 * fails.
 *
 * <p>Thread-safety: not thread-safe; called under the shard's lock.
 */
final class ConsumerGroupProtocol {

    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupProtocol.class);
    static final int LEAVE_EPOCH = -1;
    static final int LEAVE_STATIC_EPOCH = -2;

    /**
     * A ConsumerGroupHeartbeat; null fields did not change since the member's previous heartbeat.
     *
     * @param owned the partitions the member owns, or null when not reported
     */
    record HeartbeatRequest(
            String groupId,
            String memberId,
            int memberEpoch,
            String instanceId,
            String rackId,
            int rebalanceTimeoutMs,
            Subscription subscription,
            Map<Uuid, Set<Integer>> owned,
            ClassicGroupProtocol.Client client,
            short apiVersion) {}

    /** What a heartbeat says about the subscription; null fields are unchanged. */
    record Subscription(List<String> topicNames, String regex, String serverAssignor) {}

    private final GroupShard shard;

    ConsumerGroupProtocol(GroupShard shard) {
        this.shard = shard;
    }

    private GroupConfig.Consumer config() {
        return shard.config().consumer();
    }

    private static String sessionKey(String groupId, String memberId) {
        return "consumer-session\u0000" + groupId + "\u0000" + memberId;
    }

    private static String rebalanceKey(String groupId, String memberId) {
        return "consumer-rebalance\u0000" + groupId + "\u0000" + memberId;
    }

    // ---- validation ---------------------------------------------------------------------------------------------

    /** Kafka's request checks, before any state is looked at. */
    void validate(HeartbeatRequest r) {
        if (r.apiVersion() >= 1 || r.memberEpoch() > 0 || r.memberEpoch() == LEAVE_EPOCH) {
            requireNonBlank(r.memberId(), "MemberId can't be empty.");
        }
        requireNonBlank(r.groupId(), "GroupId can't be empty.");
        if (r.instanceId() != null) {
            requireNonBlank(r.instanceId(), "InstanceId can't be empty.");
        }
        if (r.rackId() != null) {
            requireNonBlank(r.rackId(), "RackId can't be empty.");
        }
        if (r.memberEpoch() == 0) {
            if (r.rebalanceTimeoutMs() == -1) {
                throw new InvalidRequestException("RebalanceTimeoutMs must be provided in first request.");
            }
            if (r.owned() == null || !r.owned().isEmpty()) {
                throw new InvalidRequestException("TopicPartitions must be empty when (re-)joining.");
            }
            if (r.subscription().topicNames() == null && r.subscription().regex() == null) {
                throw new InvalidRequestException(
                        "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
            }
        } else if (r.memberEpoch() == LEAVE_STATIC_EPOCH) {
            if (r.instanceId() == null) {
                throw new InvalidRequestException("InstanceId can't be null.");
            }
        } else if (r.memberEpoch() < LEAVE_STATIC_EPOCH) {
            throw new InvalidRequestException("MemberEpoch is invalid.");
        }
        String assignor = r.subscription().serverAssignor();
        if (assignor != null && !config().assignors().contains(assignor)) {
            throw new UnsupportedAssignorException("ServerAssignor " + assignor + " is not supported. Supported"
                    + " assignors: " + String.join(", ", config().assignors()) + ".");
        }
        String regex = r.subscription().regex();
        if (regex != null && !regex.isEmpty()) {
            TopicRegex.compile(regex);
        }
    }

    private static void requireNonBlank(String value, String error) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(error);
        }
    }

    // ---- heartbeat ----------------------------------------------------------------------------------------------

    ConsumerGroupHeartbeatResponseData heartbeat(HeartbeatRequest r) {
        validate(r);
        if (r.memberEpoch() == LEAVE_EPOCH || r.memberEpoch() == LEAVE_STATIC_EPOCH) {
            return leave(r);
        }
        boolean joining = r.memberEpoch() == 0;
        Group found = shard.groups().get(r.groupId());
        ConsumerGroup group;
        boolean newGroup = false;
        if (found instanceof ConsumerGroup cg) {
            group = cg;
        } else if (found == null && !joining) {
            throw new GroupIdNotFoundException("Consumer group " + r.groupId() + " not found.");
        } else if (found == null || (joining && found.isEmpty() && !hasPendingMembers(found))) {
            group = new ConsumerGroup(r.groupId()); // a new group, or an empty classic group changing protocol
            newGroup = true;
        } else {
            throw new GroupIdNotFoundException("Group " + r.groupId() + " is not a consumer group.");
        }
        String memberId = r.memberId().isEmpty() ? Uuid.randomUuid().toString() : r.memberId();
        if (group.size() >= config().maxSize() && !group.hasMember(memberId)) {
            throw new GroupMaxSizeReachedException(
                    "The consumer group has reached its maximum capacity of " + config().maxSize() + " members.");
        }
        Optional<ConsumerMember> replaced = Optional.empty();
        ConsumerMember member;
        if (r.instanceId() == null) {
            member = dynamicMember(group, memberId, r, joining);
        } else {
            Optional<ConsumerMember> existingStatic = group.staticMember(r.instanceId());
            if (joining && existingStatic.isPresent()) {
                ConsumerMember old = existingStatic.get();
                if (old.memberEpoch() != LEAVE_STATIC_EPOCH) {
                    throw new UnreleasedInstanceIdException("Static member " + memberId + " with instance id "
                            + r.instanceId() + " cannot join the group because the instance id is owned by "
                            + old.memberId() + " member.");
                }
                // The static member comes back (under a new id): it takes over the old one's assignment.
                member = old.withMemberId(memberId)
                        .withReconciliation(new Reconciliation(
                                0, 0, MemberState.STABLE, old.reconciliation().assigned(), Map.of()));
                replaced = existingStatic;
                log.info(
                        "Static member {} of group {} rejoins as {}, replacing {}",
                        r.instanceId(),
                        r.groupId(),
                        memberId,
                        old.memberId());
            } else if (joining) {
                member = dynamicMember(group, memberId, r, true);
            } else {
                ConsumerMember existing = existingStatic.orElseThrow(
                        () -> new UnknownMemberIdException("Instance id " + r.instanceId() + " is unknown."));
                if (!existing.memberId().equals(memberId)) {
                    throw new FencedInstanceIdException("Static member " + memberId + " with instance id "
                            + r.instanceId() + " was fenced by member " + existing.memberId() + ".");
                }
                checkEpoch(existing, r.memberEpoch(), r.owned());
                member = existing;
            }
        }
        return update(group, newGroup, member, replaced, r);
    }

    private static boolean hasPendingMembers(Group g) {
        return g instanceof ClassicGroup cg && !cg.hasAllMembersJoined();
    }

    private ConsumerMember dynamicMember(ConsumerGroup group, String memberId, HeartbeatRequest r, boolean joining) {
        Optional<ConsumerMember> existing = group.member(memberId);
        if (existing.isEmpty()) {
            if (!joining) {
                throw new UnknownMemberIdException(
                        "Member " + memberId + " is not a member of group " + group.groupId() + ".");
            }
            log.info("Member {} joins consumer group {}", memberId, group.groupId());
            return ConsumerMember.joining(memberId);
        }
        checkEpoch(existing.get(), r.memberEpoch(), r.owned());
        return existing.get();
    }

    /** Kafka's epoch fencing: the member's epoch, or its previous one with a subset of its partitions. */
    private static void checkEpoch(ConsumerMember member, int received, Map<Uuid, Set<Integer>> owned) {
        if (received > member.memberEpoch()) {
            throw new FencedMemberEpochException("The consumer group member has a greater member epoch (" + received
                    + ") than the one known by the group coordinator (" + member.memberEpoch()
                    + "). The member must abandon all its partitions and rejoin.");
        }
        if (received < member.memberEpoch()
                && (received != member.reconciliation().previousMemberEpoch()
                        || !isSubset(owned, member.reconciliation().assigned()))) {
            throw new FencedMemberEpochException("The consumer group member has a smaller member epoch (" + received
                    + ") than the one known by the group coordinator (" + member.memberEpoch()
                    + "). The member must abandon all its partitions and rejoin.");
        }
    }

    private static boolean isSubset(Map<Uuid, Set<Integer>> owned, Map<Uuid, Set<Integer>> assigned) {
        if (owned == null) {
            return false;
        }
        for (Map.Entry<Uuid, Set<Integer>> e : owned.entrySet()) {
            Set<Integer> a = assigned.get(e.getKey());
            if (a == null || !a.containsAll(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private ConsumerGroupHeartbeatResponseData update(
            ConsumerGroup group,
            boolean newGroup,
            ConsumerMember member,
            Optional<ConsumerMember> replaced,
            HeartbeatRequest r) {
        ConsumerMember updated = applyRequest(member, r);
        boolean isNewMember = !group.hasMember(member.memberId());
        Map<String, ConsumerMember> membersAfter = new LinkedHashMap<>();
        group.members().forEach(m -> membersAfter.put(m.memberId(), m));
        replaced.ifPresent(old -> membersAfter.remove(old.memberId()));
        membersAfter.put(updated.memberId(), updated);

        boolean bump = group.groupEpoch() == 0 || !member.subscription().equals(updated.subscription());
        Map<String, ConsumerGroup.TopicMetadata> topics = subscribedTopics(membersAfter.values());
        if (!topics.equals(group.topics())) {
            bump = true;
        }
        int groupEpoch = bump ? group.groupEpoch() + 1 : group.groupEpoch();
        int targetEpoch = group.assignmentEpoch();
        Map<String, Map<Uuid, Set<Integer>>> target = null;
        if (groupEpoch > targetEpoch) {
            Map<String, Map<Uuid, Set<Integer>>> previous = new HashMap<>(group.targetAssignment());
            replaced.ifPresent(old -> {
                Map<Uuid, Set<Integer>> a = previous.remove(old.memberId());
                if (a != null) {
                    previous.put(updated.memberId(), a);
                }
            });
            target = computeTargetAssignment(group, membersAfter, topics, previous);
            targetEpoch = groupEpoch;
        }
        Map<Uuid, Set<Integer>> memberTarget = target != null
                ? target.getOrDefault(updated.memberId(), Map.of())
                : group.targetAssignment(replaced.map(ConsumerMember::memberId).orElse(updated.memberId()));
        ConsumerMember reconciled = updated.isReconciledTo(targetEpoch)
                ? updated
                : updated.withReconciliation(Reconciler.reconcile(
                        updated.reconciliation(), targetEpoch, memberTarget, group::currentPartitionEpoch, r.owned()));

        boolean changed =
                newGroup || isNewMember || replaced.isPresent() || bump || target != null || !reconciled.equals(member);
        if (changed) {
            ConsumerGroup.Snapshot before = newGroup ? null : group.snapshot();
            Group displaced = newGroup ? shard.groups().get(group.groupId()) : null;
            replaced.ifPresent(old -> {
                group.replaceMember(old.memberId(), reconciled.memberId());
                if (!old.memberId().equals(reconciled.memberId())) {
                    shard.cancelTimer(sessionKey(group.groupId(), old.memberId()));
                    shard.cancelTimer(rebalanceKey(group.groupId(), old.memberId()));
                }
            });
            group.setGroupEpoch(groupEpoch);
            group.setTopics(topics);
            if (target != null) {
                group.setTargetAssignment(targetEpoch, target);
            }
            group.updateMember(reconciled);
            if (newGroup) {
                shard.groups().put(group.groupId(), group);
            }
            try {
                shard.writeGroup(group);
            } catch (IOException e) {
                log.error("Could not write consumer group {}; its change is undone", group.groupId(), e);
                if (newGroup) {
                    if (displaced != null) {
                        shard.groups().put(group.groupId(), displaced);
                    } else {
                        shard.groups().remove(group.groupId());
                    }
                } else {
                    group.restore(before);
                }
                throw new CoordinatorNotAvailableException("Could not write to " + GroupConfig.OFFSETS_TOPIC);
            }
            if (bump) {
                log.info("Bumped the epoch of consumer group {} to {}", group.groupId(), groupEpoch);
            }
            if (!reconciled.reconciliation().equals(member.reconciliation())) {
                log.debug(
                        "Member {} of group {}: epoch {} state {} assigned {} revoking {}",
                        reconciled.memberId(),
                        group.groupId(),
                        reconciled.memberEpoch(),
                        reconciled.reconciliation().state(),
                        reconciled.reconciliation().assigned(),
                        reconciled.reconciliation().pendingRevocation());
                if (reconciled.reconciliation().state() == MemberState.UNREVOKED_PARTITIONS) {
                    scheduleRebalanceTimeout(group, reconciled);
                } else {
                    shard.cancelTimer(rebalanceKey(group.groupId(), reconciled.memberId()));
                }
            }
        }
        scheduleSessionTimeout(group, reconciled.memberId());

        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(reconciled.memberId())
                .setMemberEpoch(reconciled.memberEpoch())
                .setHeartbeatIntervalMs(config().heartbeatIntervalMs());
        boolean fullRequest = r.memberEpoch() == 0
                || (r.rebalanceTimeoutMs() != -1 && r.subscription().topicNames() != null && r.owned() != null);
        if (fullRequest
                || !reconciled
                        .reconciliation()
                        .assigned()
                        .equals(member.reconciliation().assigned())) {
            List<ConsumerGroupHeartbeatResponseData.TopicPartitions> assignment = new ArrayList<>();
            reconciled
                    .reconciliation()
                    .assigned()
                    .forEach((topic, partitions) ->
                            assignment.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                                    .setTopicId(topic)
                                    .setPartitions(new ArrayList<>(partitions))));
            response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(assignment));
        }
        return response;
    }

    private static ConsumerMember applyRequest(ConsumerMember member, HeartbeatRequest r) {
        ConsumerMember.Client c = member.client();
        ConsumerMember.Client client = new ConsumerMember.Client(
                r.instanceId() != null ? r.instanceId() : c.instanceId(),
                r.rackId() != null ? r.rackId() : c.rackId(),
                r.client().clientId(),
                r.client().clientHost(),
                r.rebalanceTimeoutMs() != -1 ? r.rebalanceTimeoutMs() : c.rebalanceTimeoutMs());
        ConsumerMember.Subscription s = member.subscription();
        Subscription req = r.subscription();
        String regex = req.regex() == null ? s.regex() : req.regex().isEmpty() ? null : req.regex();
        ConsumerMember.Subscription subscription = new ConsumerMember.Subscription(
                req.topicNames() != null ? req.topicNames() : s.topicNames(),
                regex,
                req.serverAssignor() != null ? req.serverAssignor() : s.serverAssignor());
        return member.withClient(client).withSubscription(subscription);
    }

    /** The existing topics the members subscribe to, by name or regular expression (internal topics excluded). */
    private Map<String, ConsumerGroup.TopicMetadata> subscribedTopics(Iterable<ConsumerMember> members) {
        Set<String> names = new TreeSet<>();
        Set<String> regexes = new HashSet<>();
        for (ConsumerMember m : members) {
            names.addAll(m.subscription().topicNames());
            if (m.subscription().regex() != null) {
                regexes.add(m.subscription().regex());
            }
        }
        Map<String, ConsumerGroup.TopicMetadata> topics = new TreeMap<>();
        if (!regexes.isEmpty()) {
            for (TopicInfo t : shard.metadata().topics()) {
                if (!t.isInternal() && regexes.stream().anyMatch(re -> TopicRegex.matches(re, t.name()))) {
                    topics.put(t.name(), new ConsumerGroup.TopicMetadata(t.id(), t.partitions()));
                }
            }
        }
        for (String name : names) {
            shard.metadata()
                    .topic(name)
                    .ifPresent(t -> topics.put(name, new ConsumerGroup.TopicMetadata(t.id(), t.partitions())));
        }
        return topics;
    }

    private Map<String, Map<Uuid, Set<Integer>>> computeTargetAssignment(
            ConsumerGroup group,
            Map<String, ConsumerMember> members,
            Map<String, ConsumerGroup.TopicMetadata> topics,
            Map<String, Map<Uuid, Set<Integer>>> previous) {
        String defaultAssignor = config().assignors().get(0);
        Map<String, Integer> votes = new LinkedHashMap<>();
        members.values().forEach(m -> {
            if (m.subscription().serverAssignor() != null) {
                votes.merge(m.subscription().serverAssignor(), 1, Integer::sum);
            }
        });
        String assignorName = votes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(defaultAssignor);
        PartitionAssignor assignor = PartitionAssignor.named(assignorName)
                .orElseThrow(() -> new UnsupportedAssignorException("No assignor " + assignorName));
        Map<Uuid, Integer> counts = new HashMap<>();
        topics.values().forEach(t -> counts.put(t.id(), t.partitions()));
        TreeMap<String, AssignmentSpec.Member> specMembers = new TreeMap<>();
        for (ConsumerMember m : members.values()) {
            Set<Uuid> subscribed = new HashSet<>();
            topics.forEach((name, t) -> {
                ConsumerMember.Subscription s = m.subscription();
                if (s.topicNames().contains(name) || (s.regex() != null && TopicRegex.matches(s.regex(), name))) {
                    subscribed.add(t.id());
                }
            });
            specMembers.put(
                    m.memberId(),
                    new AssignmentSpec.Member(
                            m.instanceId(), subscribed, previous.getOrDefault(m.memberId(), Map.of())));
        }
        Map<String, Map<Uuid, Set<Integer>>> result = assignor.assign(new AssignmentSpec(specMembers, counts));
        log.info(
                "Computed a new target assignment of group {} with assignor {} for {} members",
                group.groupId(),
                assignor.name(),
                members.size());
        return result;
    }

    // ---- leaving and fencing ------------------------------------------------------------------------------------

    private ConsumerGroupHeartbeatResponseData leave(HeartbeatRequest r) {
        Group found = shard.groups().get(r.groupId());
        if (!(found instanceof ConsumerGroup group)) {
            throw new GroupIdNotFoundException("Consumer group " + r.groupId() + " not found.");
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(r.memberId())
                .setMemberEpoch(r.memberEpoch())
                .setHeartbeatIntervalMs(0);
        ConsumerMember member;
        if (r.instanceId() == null) {
            member = group.member(r.memberId())
                    .orElseThrow(() -> new UnknownMemberIdException(
                            "Member " + r.memberId() + " is not a member of group " + r.groupId() + "."));
        } else {
            member = group.staticMember(r.instanceId())
                    .orElseThrow(() -> new UnknownMemberIdException("Instance id " + r.instanceId() + " is unknown."));
            if (!member.memberId().equals(r.memberId())) {
                throw new FencedInstanceIdException("Static member " + r.memberId() + " with instance id "
                        + r.instanceId() + " was fenced by member " + member.memberId() + ".");
            }
            if (r.memberEpoch() == LEAVE_STATIC_EPOCH) {
                // A static member leaving temporarily keeps its partitions until its session times out.
                ConsumerGroup.Snapshot before = group.snapshot();
                Reconciliation rec = member.reconciliation();
                group.updateMember(member.withReconciliation(new Reconciliation(
                        LEAVE_STATIC_EPOCH, rec.memberEpoch(), rec.state(), rec.assigned(), Map.of())));
                shard.cancelTimer(rebalanceKey(group.groupId(), member.memberId()));
                writeOrRestore(group, before);
                log.info(
                        "Static member {} ({}) of group {} left temporarily",
                        r.instanceId(),
                        member.memberId(),
                        group.groupId());
                return response;
            }
        }
        log.info("Member {} left consumer group {}", member.memberId(), group.groupId());
        ConsumerGroup.Snapshot before = group.snapshot();
        fence(group, member);
        writeOrRestore(group, before);
        return response;
    }

    private void writeOrRestore(ConsumerGroup group, ConsumerGroup.Snapshot before) {
        try {
            shard.writeGroup(group);
        } catch (IOException e) {
            log.error("Could not write consumer group {}; its change is undone", group.groupId(), e);
            group.restore(before);
            throw new CoordinatorNotAvailableException("Could not write to " + GroupConfig.OFFSETS_TOPIC);
        }
    }

    /** Removes a member and bumps the epoch, so the others get its partitions. */
    private void fence(ConsumerGroup group, ConsumerMember member) {
        group.removeMember(member.memberId());
        group.setGroupEpoch(group.groupEpoch() + 1);
        group.setTopics(subscribedTopics(group.members()));
        shard.cancelTimer(sessionKey(group.groupId(), member.memberId()));
        shard.cancelTimer(rebalanceKey(group.groupId(), member.memberId()));
    }

    private void scheduleSessionTimeout(ConsumerGroup group, String memberId) {
        shard.schedule(sessionKey(group.groupId(), memberId), config().sessionTimeoutMs(), () -> {
            if (shard.groups().get(group.groupId()) != group) {
                return;
            }
            group.member(memberId).ifPresent(m -> {
                log.info(
                        "Member {} of consumer group {} missed its session timeout of {} ms; fencing it",
                        memberId,
                        group.groupId(),
                        config().sessionTimeoutMs());
                fenceAndWrite(group, m);
            });
        });
    }

    private void scheduleRebalanceTimeout(ConsumerGroup group, ConsumerMember member) {
        String memberId = member.memberId();
        int epoch = member.memberEpoch();
        int timeout = Math.max(member.client().rebalanceTimeoutMs(), 0);
        shard.schedule(rebalanceKey(group.groupId(), memberId), timeout, () -> {
            if (shard.groups().get(group.groupId()) != group) {
                return;
            }
            group.member(memberId)
                    .filter(m ->
                            m.memberEpoch() == epoch && m.reconciliation().state() == MemberState.UNREVOKED_PARTITIONS)
                    .ifPresent(m -> {
                        log.info(
                                "Member {} of consumer group {} did not revoke its partitions within {} ms;"
                                        + " fencing it",
                                memberId,
                                group.groupId(),
                                timeout);
                        fenceAndWrite(group, m);
                    });
        });
    }

    private void fenceAndWrite(ConsumerGroup group, ConsumerMember member) {
        ConsumerGroup.Snapshot before = group.snapshot();
        fence(group, member);
        try {
            shard.writeGroup(group);
        } catch (IOException e) {
            log.error(
                    "Could not write consumer group {} after fencing member {}", group.groupId(), member.memberId(), e);
            group.restore(before);
            scheduleSessionTimeout(group, member.memberId());
        }
    }

    /** Starts the timers of a group just loaded. */
    void onLoaded(ConsumerGroup group) {
        for (ConsumerMember m : group.members()) {
            scheduleSessionTimeout(group, m.memberId());
            if (m.reconciliation().state() == MemberState.UNREVOKED_PARTITIONS) {
                scheduleRebalanceTimeout(group, m);
            }
        }
    }

    /** The target assignment and its epoch, for describing (unchanged here). */
    static Map<Uuid, Set<Integer>> targetOf(ConsumerGroup group, String memberId) {
        return Objects.requireNonNullElse(group.targetAssignment().get(memberId), Map.of());
    }
}
