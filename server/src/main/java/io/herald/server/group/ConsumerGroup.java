package io.herald.server.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * A group of KIP-848's consumer protocol: the members, the group epoch (bumped whenever subscriptions or the subscribed
 * topics change), the target assignment computed for an epoch by a server-side assignor, and which member owns each
 * partition at which epoch, so a partition is never given to a new owner before the old one has revoked it.
 *
 * <p>States, as Kafka names them: {@code Empty}, {@code Assigning} (the group epoch is ahead of the target assignment),
 * {@code Reconciling} (members are moving to the target assignment), {@code Stable}, {@code Dead}.
 *
 * <p>Thread-safety: not thread-safe; guarded by the owning {@link GroupShard}'s lock.
 */
final class ConsumerGroup implements Group {

    /** A subscribed topic as the group last saw it: a change (recreated, more partitions) bumps the epoch. */
    record TopicMetadata(Uuid id, int partitions) {}

    /** The group as stored in {@code __consumer_offsets}. */
    record Snapshot(
            int groupEpoch,
            int assignmentEpoch,
            Map<String, TopicMetadata> topics,
            List<ConsumerMember> members,
            Map<String, Map<Uuid, Set<Integer>>> targetAssignment) {}

    /** The states of a consumer group. */
    enum State {
        EMPTY("Empty"),
        ASSIGNING("Assigning"),
        RECONCILING("Reconciling"),
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
    private final Map<String, ConsumerMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Map<String, Map<Uuid, Set<Integer>>> targetAssignment = new HashMap<>();
    private final Map<Uuid, Map<Integer, Integer>> partitionEpochs = new HashMap<>();
    private Map<String, TopicMetadata> topics = Map.of();
    private int groupEpoch;
    private int assignmentEpoch;
    private boolean dead;

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    static ConsumerGroup fromSnapshot(String groupId, Snapshot s) {
        ConsumerGroup g = new ConsumerGroup(groupId);
        g.groupEpoch = s.groupEpoch();
        g.assignmentEpoch = s.assignmentEpoch();
        g.topics = Map.copyOf(s.topics());
        s.members().forEach(g::updateMember);
        s.targetAssignment().forEach((id, a) -> g.targetAssignment.put(id, ConsumerMember.copy(a)));
        return g;
    }

    /** Puts the group back into a state {@link #snapshot} took (after a failed write). */
    void restore(Snapshot s) {
        members.clear();
        staticMembers.clear();
        partitionEpochs.clear();
        targetAssignment.clear();
        groupEpoch = s.groupEpoch();
        assignmentEpoch = s.assignmentEpoch();
        topics = Map.copyOf(s.topics());
        s.members().forEach(this::updateMember);
        s.targetAssignment().forEach((id, a) -> targetAssignment.put(id, ConsumerMember.copy(a)));
    }

    Snapshot snapshot() {
        return new Snapshot(
                groupEpoch, assignmentEpoch, topics, List.copyOf(members.values()), Map.copyOf(targetAssignment));
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CONSUMER;
    }

    @Override
    public String stateName() {
        return state().toString();
    }

    @Override
    public String protocolType() {
        return "consumer";
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    State state() {
        if (dead) {
            return State.DEAD;
        }
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return State.ASSIGNING;
        }
        for (ConsumerMember m : members.values()) {
            if (!m.isReconciledTo(assignmentEpoch)) {
                return State.RECONCILING;
            }
        }
        return State.STABLE;
    }

    void markDead() {
        dead = true;
    }

    int groupEpoch() {
        return groupEpoch;
    }

    void setGroupEpoch(int epoch) {
        this.groupEpoch = epoch;
    }

    int assignmentEpoch() {
        return assignmentEpoch;
    }

    Map<String, TopicMetadata> topics() {
        return topics;
    }

    void setTopics(Map<String, TopicMetadata> topics) {
        this.topics = Map.copyOf(topics);
    }

    Optional<ConsumerMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    Collection<ConsumerMember> members() {
        return members.values();
    }

    int size() {
        return members.size();
    }

    Optional<ConsumerMember> staticMember(String instanceId) {
        String id = staticMembers.get(instanceId);
        return id == null ? Optional.empty() : Optional.ofNullable(members.get(id));
    }

    /** Adds or replaces a member, keeping the partition owners up to date. */
    void updateMember(ConsumerMember member) {
        ConsumerMember old = members.put(member.memberId(), member);
        if (old != null) {
            removePartitionEpochs(old);
        }
        addPartitionEpochs(member);
        if (member.instanceId() != null) {
            staticMembers.put(member.instanceId(), member.memberId());
        }
    }

    /** Removes a member with its target assignment; its partitions become free. */
    void removeMember(String memberId) {
        ConsumerMember old = members.remove(memberId);
        if (old != null) {
            removePartitionEpochs(old);
            if (old.instanceId() != null && memberId.equals(staticMembers.get(old.instanceId()))) {
                staticMembers.remove(old.instanceId());
            }
        }
        targetAssignment.remove(memberId);
    }

    /** The epoch of the member owning a partition, or -1 if it is free. */
    int currentPartitionEpoch(Uuid topicId, int partition) {
        Map<Integer, Integer> epochs = partitionEpochs.get(topicId);
        if (epochs == null) {
            return -1;
        }
        return epochs.getOrDefault(partition, -1);
    }

    private void addPartitionEpochs(ConsumerMember m) {
        int epoch = m.memberEpoch();
        for (Map<Uuid, Set<Integer>> a :
                List.of(m.reconciliation().assigned(), m.reconciliation().pendingRevocation())) {
            a.forEach((topic, partitions) -> {
                Map<Integer, Integer> epochs = partitionEpochs.computeIfAbsent(topic, t -> new HashMap<>());
                partitions.forEach(p -> epochs.put(p, epoch));
            });
        }
    }

    private void removePartitionEpochs(ConsumerMember m) {
        for (Map<Uuid, Set<Integer>> a :
                List.of(m.reconciliation().assigned(), m.reconciliation().pendingRevocation())) {
            a.forEach((topic, partitions) -> {
                Map<Integer, Integer> epochs = partitionEpochs.get(topic);
                if (epochs != null) {
                    partitions.forEach(p -> epochs.remove(p, m.memberEpoch()));
                    if (epochs.isEmpty()) {
                        partitionEpochs.remove(topic);
                    }
                }
            });
        }
    }

    /** The target assignment of a member (empty if it has none yet). */
    Map<Uuid, Set<Integer>> targetAssignment(String memberId) {
        return targetAssignment.getOrDefault(memberId, Map.of());
    }

    Map<String, Map<Uuid, Set<Integer>>> targetAssignment() {
        return targetAssignment;
    }

    /** Installs a new target assignment computed for {@code epoch}. */
    void setTargetAssignment(int epoch, Map<String, Map<Uuid, Set<Integer>>> assignment) {
        targetAssignment.clear();
        assignment.forEach((id, a) -> targetAssignment.put(id, ConsumerMember.copy(a)));
        this.assignmentEpoch = epoch;
    }

    /**
     * Removes a member that a static member rejoining under {@code newMemberId} replaces; its target assignment moves
     * to the new id. The replacement is added with {@link #updateMember}.
     */
    void replaceMember(String oldMemberId, String newMemberId) {
        Map<Uuid, Set<Integer>> target = targetAssignment.get(oldMemberId);
        removeMember(oldMemberId);
        if (target != null) {
            targetAssignment.put(newMemberId, target);
        }
    }

    /** Whether a member subscribes to {@code topic}, by name or by regular expression. */
    boolean isSubscribedToTopic(String topic) {
        for (ConsumerMember m : members.values()) {
            ConsumerMember.Subscription s = m.subscription();
            if (s.topicNames().contains(topic) || (s.regex() != null && TopicRegex.matches(s.regex(), topic))) {
                return true;
            }
        }
        return false;
    }

    /** The assignor most members asked for, or {@code defaultAssignor}. */
    String preferredAssignor(String defaultAssignor) {
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (ConsumerMember m : members.values()) {
            String a = m.subscription().serverAssignor();
            if (a != null) {
                votes.merge(a, 1, Integer::sum);
            }
        }
        return votes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(defaultAssignor);
    }
}
