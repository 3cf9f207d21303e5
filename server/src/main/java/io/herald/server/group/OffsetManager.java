package io.herald.server.group;

import io.herald.log.TopicPartition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed offsets of a shard's groups: OffsetCommit with the generation (classic) or member-epoch (consumer) checks,
 * OffsetFetch, OffsetDelete, and the periodic expiration of offsets ({@code offsets.retention.minutes}) with the
 * removal of groups left empty and offset-less.
 *
 * <p>Thread-safety: not thread-safe; called under the shard's lock.
 */
final class OffsetManager {

    private static final Logger log = LoggerFactory.getLogger(OffsetManager.class);

    /** What a member commits for one partition. */
    record PartitionCommit(TopicPartition partition, long offset, int leaderEpoch, String metadata) {}

    /**
     * An OffsetCommit for one group.
     *
     * @param generationOrMemberEpoch the generation (classic) or member epoch (consumer); negative for a commit from
     *     outside the group (the admin client, or a consumer that assigns partitions itself)
     * @param retentionTimeMs OffsetCommit v2-v4's retention, or -1
     * @param apiVersion the OffsetCommit version, which decides some error codes
     */
    record CommitRequest(
            String groupId,
            String memberId,
            String groupInstanceId,
            int generationOrMemberEpoch,
            long retentionTimeMs,
            short apiVersion,
            List<PartitionCommit> partitions) {}

    private final GroupShard shard;

    OffsetManager(GroupShard shard) {
        this.shard = shard;
    }

    /** Commits what passes the checks; answers an error code per partition. */
    Map<TopicPartition, Errors> commit(CommitRequest request) {
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        try {
            validateCommit(request);
        } catch (ApiException e) {
            Errors error = Errors.forException(e);
            request.partitions().forEach(p -> result.put(p.partition(), error));
            return result;
        }
        long now = shard.time().milliseconds();
        long expire = request.retentionTimeMs() >= 0 ? now + request.retentionTimeMs() : -1;
        List<GroupRecords.Entry> records = new ArrayList<>();
        Map<TopicPartition, CommittedOffset> accepted = new LinkedHashMap<>();
        for (PartitionCommit p : request.partitions()) {
            String metadata = p.metadata() == null ? "" : p.metadata();
            if (metadata.length() > shard.config().offsets().metadataMaxBytes()) {
                result.put(p.partition(), Errors.OFFSET_METADATA_TOO_LARGE);
                continue;
            }
            CommittedOffset offset = new CommittedOffset(p.offset(), p.leaderEpoch(), metadata, now, expire);
            records.add(new GroupRecords.Entry(
                    GroupRecords.offsetKey(
                            request.groupId(),
                            p.partition().topic(),
                            p.partition().partition()),
                    GroupRecords.offsetValue(offset)));
            accepted.put(p.partition(), offset);
        }
        try {
            shard.append(records);
        } catch (IOException e) {
            log.error("Could not write offsets of group {}", request.groupId(), e);
            accepted.keySet().forEach(tp -> result.put(tp, Errors.COORDINATOR_NOT_AVAILABLE));
            return result;
        }
        if (!accepted.isEmpty()) {
            shard.committedOffsets()
                    .computeIfAbsent(request.groupId(), g -> new HashMap<>())
                    .putAll(accepted);
        }
        accepted.keySet().forEach(tp -> result.put(tp, Errors.NONE));
        return result;
    }

    private void validateCommit(CommitRequest request) {
        Group group = shard.groups().get(request.groupId());
        if (group == null) {
            if (request.generationOrMemberEpoch() < 0) {
                // A commit from outside group management creates a "simple" group, as in Kafka.
                shard.groups()
                        .put(
                                request.groupId(),
                                new ClassicGroup(request.groupId(), shard.time().milliseconds()));
                return;
            }
            if (request.apiVersion() >= 9) {
                throw new GroupIdNotFoundException("Group " + request.groupId() + " does not exist");
            }
            throw new IllegalGenerationException("Group " + request.groupId() + " does not exist");
        }
        if (group instanceof ClassicGroup g) {
            validateClassicCommit(g, request);
        } else {
            validateConsumerCommit((ConsumerGroup) group, request);
        }
    }

    private static void validateClassicCommit(ClassicGroup g, CommitRequest r) {
        if (g.isInState(ClassicGroup.State.DEAD)) {
            throw new CoordinatorNotAvailableException("Group " + g.groupId() + " is being removed");
        }
        int generation = r.generationOrMemberEpoch();
        if (generation < 0 && g.isInState(ClassicGroup.State.EMPTY)) {
            return;
        }
        boolean memberKnown = r.memberId() != null && !r.memberId().isEmpty();
        if (generation >= 0 || memberKnown || r.groupInstanceId() != null) {
            validateMember(g, r.memberId(), r.groupInstanceId());
            if (generation != g.generationId()) {
                throw new IllegalGenerationException("Generation " + generation + " is not the current generation "
                        + g.generationId() + " of group " + g.groupId());
            }
        } else if (!g.isInState(ClassicGroup.State.EMPTY)) {
            throw new UnknownMemberIdException(
                    "Group " + g.groupId() + " has members; only they may commit (with their member id)");
        }
        if (g.isInState(ClassicGroup.State.COMPLETING_REBALANCE)) {
            throw new RebalanceInProgressException("Group " + g.groupId() + " is completing a rebalance");
        }
    }

    /** Checks that a request comes from a current member (by instance id for static members). */
    static void validateMember(ClassicGroup g, String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            Optional<String> current = g.staticMemberId(groupInstanceId);
            if (current.isEmpty()) {
                throw new UnknownMemberIdException(
                        "No static member with instance id " + groupInstanceId + " in group " + g.groupId());
            }
            if (!current.get().equals(memberId)) {
                throw new FencedInstanceIdException("Instance id " + groupInstanceId + " of group " + g.groupId()
                        + " now belongs to member " + current.get() + ", not " + memberId);
            }
        } else if (!g.hasMember(memberId)) {
            throw new UnknownMemberIdException("Member " + memberId + " is not in group " + g.groupId());
        }
    }

    private static void validateConsumerCommit(ConsumerGroup g, CommitRequest r) {
        if (r.generationOrMemberEpoch() < 0 && g.isEmpty()) {
            return;
        }
        ConsumerMember member = g.member(r.memberId())
                .orElseThrow(() ->
                        new UnknownMemberIdException("Member " + r.memberId() + " is not in group " + g.groupId()));
        if (r.apiVersion() < 9) {
            throw new UnsupportedVersionException(
                    "Members of the consumer group protocol must commit with OffsetCommit version 9 or above");
        }
        validateMemberEpoch(r.generationOrMemberEpoch(), member);
    }

    static void validateMemberEpoch(int received, ConsumerMember member) {
        if (received > member.memberEpoch()) {
            throw new org.apache.kafka.common.errors.FencedMemberEpochException("Epoch " + received
                    + " is newer than member " + member.memberId() + "'s epoch " + member.memberEpoch());
        }
        if (received < member.memberEpoch()) {
            throw new StaleMemberEpochException("Epoch " + received + " is older than member " + member.memberId()
                    + "'s epoch " + member.memberEpoch());
        }
    }

    /** A committed offset, or none, for one partition of an OffsetFetch. */
    record FetchedOffset(TopicPartition partition, Optional<CommittedOffset> offset) {}

    /**
     * The committed offsets of {@code groupId}: of {@code partitions}, or all of them when empty.
     *
     * @param memberId the fetching member (consumer protocol), or null
     * @param memberEpoch its epoch, or -1
     */
    List<FetchedOffset> fetch(
            String groupId, String memberId, int memberEpoch, Optional<List<TopicPartition>> partitions) {
        Group group = shard.groups().get(groupId);
        if (group instanceof ConsumerGroup cg && !(memberId == null && memberEpoch < 0)) {
            ConsumerMember member = cg.member(memberId)
                    .orElseThrow(
                            () -> new UnknownMemberIdException("Member " + memberId + " is not in group " + groupId));
            validateMemberEpoch(memberEpoch, member);
        }
        Map<TopicPartition, CommittedOffset> committed = shard.offsetsOf(groupId);
        List<FetchedOffset> result = new ArrayList<>();
        if (partitions.isEmpty()) {
            committed.forEach((tp, o) -> result.add(new FetchedOffset(tp, Optional.of(o))));
        } else {
            for (TopicPartition tp : partitions.get()) {
                result.add(new FetchedOffset(tp, Optional.ofNullable(committed.get(tp))));
            }
        }
        return result;
    }

    /**
     * OffsetDelete: removes committed offsets of partitions the group does not consume.
     *
     * @throws GroupIdNotFoundException if the group does not exist
     * @throws GroupNotEmptyException if it is an active classic group whose subscriptions are unknown
     */
    Map<TopicPartition, Errors> delete(String groupId, List<TopicPartition> partitions) {
        Group group = shard.groups().get(groupId);
        if (group == null) {
            throw new GroupIdNotFoundException("Group " + groupId + " does not exist");
        }
        if (group instanceof ClassicGroup g && !g.isEmpty() && !g.usesConsumerProtocol()) {
            throw new GroupNotEmptyException("Group " + groupId + " has members and does not use the consumer"
                    + " protocol, so its subscriptions are unknown");
        }
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        List<GroupRecords.Entry> tombstones = new ArrayList<>();
        Map<TopicPartition, CommittedOffset> committed = shard.offsetsOf(groupId);
        for (TopicPartition tp : partitions) {
            if (isSubscribed(group, tp.topic())) {
                result.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
            } else {
                result.put(tp, Errors.NONE);
                if (committed.containsKey(tp)) {
                    tombstones.add(
                            new GroupRecords.Entry(GroupRecords.offsetKey(groupId, tp.topic(), tp.partition()), null));
                }
            }
        }
        try {
            shard.append(tombstones);
        } catch (IOException e) {
            log.error("Could not delete offsets of group {}", groupId, e);
            throw new CoordinatorNotAvailableException("Could not write to " + GroupConfig.OFFSETS_TOPIC);
        }
        removeOffsets(
                groupId,
                result.entrySet().stream()
                        .filter(e -> e.getValue() == Errors.NONE)
                        .map(Map.Entry::getKey)
                        .toList());
        return result;
    }

    private static boolean isSubscribed(Group group, String topic) {
        if (group instanceof ClassicGroup g) {
            return !g.isEmpty() && g.isSubscribedToTopic(topic);
        }
        return ((ConsumerGroup) group).isSubscribedToTopic(topic);
    }

    private void removeOffsets(String groupId, List<TopicPartition> partitions) {
        Map<TopicPartition, CommittedOffset> committed =
                shard.committedOffsets().get(groupId);
        if (committed == null) {
            return;
        }
        partitions.forEach(committed::remove);
        if (committed.isEmpty()) {
            shard.committedOffsets().remove(groupId);
        }
    }

    /**
     * Expires offsets as Kafka does and deletes groups that are left empty without offsets; returns how many offsets
     * expired. An empty classic group's offsets expire {@code offsets.retention.minutes} after it became empty; a
     * group's offsets of topics no member consumes expire that long after their commit; an offset committed with an
     * explicit retention (OffsetCommit v2-v4) expires at its own time.
     */
    int expire() {
        long now = shard.time().milliseconds();
        long retention = shard.config().offsets().retentionMs();
        int expired = 0;
        List<String> candidates = new ArrayList<>(shard.groups().keySet());
        shard.committedOffsets().keySet().stream()
                .filter(g -> !shard.groups().containsKey(g))
                .forEach(candidates::add);
        for (String groupId : candidates) {
            Group group = shard.groups().get(groupId);
            List<TopicPartition> gone = new ArrayList<>();
            boolean allExpired = true;
            for (Map.Entry<TopicPartition, CommittedOffset> e :
                    shard.offsetsOf(groupId).entrySet()) {
                if (isExpired(group, e.getKey().topic(), e.getValue(), now, retention)) {
                    gone.add(e.getKey());
                } else {
                    allExpired = false;
                }
            }
            try {
                if (!gone.isEmpty()) {
                    List<GroupRecords.Entry> tombstones = new ArrayList<>();
                    gone.forEach(tp -> tombstones.add(
                            new GroupRecords.Entry(GroupRecords.offsetKey(groupId, tp.topic(), tp.partition()), null)));
                    shard.append(tombstones);
                    removeOffsets(groupId, gone);
                    expired += gone.size();
                    log.info("Expired {} offsets of group {}", gone.size(), groupId);
                }
                if (allExpired && (group == null || group.isEmpty())) {
                    shard.deleteGroup(groupId);
                    log.info("Removed group {}: empty, without committed offsets", groupId);
                }
            } catch (IOException e) {
                log.error("Could not expire offsets of group {}", groupId, e);
                return expired;
            }
        }
        return expired;
    }

    private static boolean isExpired(Group group, String topic, CommittedOffset o, long now, long retention) {
        if (o.expireTimestampMs() >= 0) {
            return now >= o.expireTimestampMs();
        }
        if (group instanceof ConsumerGroup cg) {
            return !cg.isSubscribedToTopic(topic) && now - o.commitTimestampMs() >= retention;
        }
        ClassicGroup g = (ClassicGroup) group;
        if (g == null || g.protocolTypeOrNull() == null) {
            return now - o.commitTimestampMs() >= retention; // a simple group
        }
        if (g.isInState(ClassicGroup.State.EMPTY)) {
            return now - g.stateTimestampMs() >= retention;
        }
        if (g.isInState(ClassicGroup.State.STABLE) && g.subscribedTopics().isPresent()) {
            return !g.isSubscribedToTopic(topic) && now - o.commitTimestampMs() >= retention;
        }
        return false;
    }
}
