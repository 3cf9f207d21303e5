package io.herald.server.api;

import io.herald.log.TopicPartition;
import io.herald.server.group.GroupCoordinator;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * Consumer groups of both protocols as an operator sees them: state, members and their assignments, committed offsets
 * and lag per partition; resetting the offsets of an inactive group and deleting a group. Everything goes through
 * the {@link GroupCoordinator}, so the coordinator's own rules apply: a reset is one offset commit from outside the
 * group (written as one batch, so all of its offsets change or none), which the coordinator refuses while the group
 * has members.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class GroupAdmin {

    /** Unknown: no committed offset, or no partition to compare it with. */
    public static final long UNKNOWN = -1;

    private static final short DESCRIBE_VERSION = 5;
    private static final short OFFSETS_VERSION = 8;
    private static final GroupCoordinator.Caller CALLER =
            new GroupCoordinator.Caller("herald-admin-console", "", OFFSETS_VERSION);

    /** A group in a list: {@code totalLag} is the sum over partitions with a known lag. */
    public record GroupSummary(
            String groupId, String type, String state, String protocolType, int members, long totalLag) {}

    /** A member with the partitions assigned to it. */
    public record Member(
            String memberId, String instanceId, String clientId, String clientHost, List<Assigned> assignment) {}

    /** An assigned partition. */
    public record Assigned(String topic, int partition) {}

    /**
     * The group's position in one partition.
     *
     * @param committedOffset the committed offset, or {@link #UNKNOWN}
     * @param logEndOffset the partition's high watermark, or {@link #UNKNOWN} if the partition no longer exists
     * @param lag how far the group is behind, or {@link #UNKNOWN}
     * @param memberId the member the partition is assigned to, or {@code ""}
     */
    public record PartitionLag(
            String topic, int partition, long committedOffset, long logEndOffset, long lag, String memberId) {}

    /** A group in detail. */
    public record GroupState(
            String groupId,
            String type,
            String state,
            String protocolType,
            String protocol,
            List<Member> members,
            List<PartitionLag> offsets,
            long totalLag) {}

    /** Where a reset moves offsets to. */
    public enum ResetTarget {
        EARLIEST,
        LATEST,
        TIMESTAMP
    }

    private final GroupCoordinator coordinator;
    private final PartitionManager partitions;

    GroupAdmin(GroupCoordinator coordinator, PartitionManager partitions) {
        this.coordinator = coordinator;
        this.partitions = partitions;
    }

    /** Every group, by id. */
    public List<GroupSummary> list() {
        List<GroupSummary> result = new ArrayList<>();
        for (ListedGroup g : listed()) {
            try {
                GroupState s = describe(g.groupId());
                result.add(new GroupSummary(
                        s.groupId(),
                        s.type(),
                        s.state(),
                        s.protocolType(),
                        s.members().size(),
                        s.totalLag()));
            } catch (GroupIdNotFoundException e) {
                // deleted meanwhile
            }
        }
        result.sort(Comparator.comparing(GroupSummary::groupId));
        return result;
    }

    /**
     * One group.
     *
     * @throws GroupIdNotFoundException if there is no such group
     */
    public GroupState describe(String groupId) {
        ListedGroup listed = listed().stream()
                .filter(g -> g.groupId().equals(groupId))
                .findFirst()
                .orElseThrow(() -> new GroupIdNotFoundException("Group '" + groupId + "' does not exist."));
        List<Member> members;
        String state;
        String protocol;
        if ("consumer".equals(listed.groupType())) {
            ConsumerGroupDescribeResponseData.DescribedGroup d =
                    coordinator.consumerGroupDescribe(List.of(groupId)).get(0);
            check(d.errorCode(), d.errorMessage());
            state = d.groupState();
            protocol = d.assignorName();
            members = d.members().stream().map(GroupAdmin::member).toList();
        } else {
            DescribedGroup d = coordinator
                    .describeGroups(DESCRIBE_VERSION, List.of(groupId))
                    .get(0);
            check(d.errorCode(), d.errorMessage());
            state = d.groupState();
            protocol = d.protocolData();
            members = d.members().stream().map(m -> member(m, d.protocolType())).toList();
        }
        List<PartitionLag> offsets = offsets(groupId, members);
        long total = offsets.stream()
                .mapToLong(PartitionLag::lag)
                .filter(l -> l >= 0)
                .sum();
        return new GroupState(
                groupId, listed.groupType(), state, listed.protocolType(), protocol, members, offsets, total);
    }

    /**
     * Moves the committed offsets of an inactive group: of every partition of {@code topic}, or, without a topic, of
     * every partition the group has committed offsets for. All move in one commit, or none does.
     *
     * @param timestampMs for {@link ResetTarget#TIMESTAMP}: the first record at or after it (the end if none)
     * @return the group's offsets after the reset
     * @throws GroupNotEmptyException if the group has members
     */
    public List<PartitionLag> resetOffsets(String groupId, ResetTarget target, long timestampMs, Optional<String> topic)
            throws IOException {
        GroupState group = describe(groupId);
        if (!group.members().isEmpty() || !"Empty".equalsIgnoreCase(group.state())) {
            throw new GroupNotEmptyException("Group '" + groupId + "' is " + group.state()
                    + " with " + group.members().size() + " member(s): offsets can be reset only while no consumer"
                    + " is in the group. Stop its consumers first.");
        }
        List<TopicPartition> targets = new ArrayList<>();
        if (topic.isPresent()) {
            targets.addAll(partitionsOf(partitions, topic.get()));
        } else {
            group.offsets().stream()
                    .filter(o -> o.committedOffset() >= 0 && o.logEndOffset() >= 0)
                    .forEach(o -> targets.add(new TopicPartition(o.topic(), o.partition())));
        }
        if (targets.isEmpty()) {
            throw new InvalidRequestException(
                    "Group '" + groupId + "' has no committed offsets to reset; name a topic");
        }
        Map<String, OffsetCommitRequestData.OffsetCommitRequestTopic> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : targets) {
            long offset = targetOffset(partitions, tp, target, timestampMs);
            byTopic.computeIfAbsent(tp.topic(), n -> new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(n))
                    .partitions()
                    .add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                            .setPartitionIndex(tp.partition())
                            .setCommittedOffset(offset)
                            .setCommittedLeaderEpoch(-1)
                            .setCommittedMetadata(""));
        }
        OffsetCommitRequestData request = new OffsetCommitRequestData()
                .setGroupId(groupId)
                .setGenerationIdOrMemberEpoch(-1)
                .setMemberId("")
                .setTopics(new ArrayList<>(byTopic.values()));
        OffsetCommitResponseData response = coordinator.offsets().commit(CALLER, request);
        for (OffsetCommitResponseData.OffsetCommitResponseTopic t : response.topics()) {
            for (OffsetCommitResponseData.OffsetCommitResponsePartition p : t.partitions()) {
                Errors error = Errors.forCode(p.errorCode());
                if (error == Errors.UNKNOWN_MEMBER_ID || error == Errors.REBALANCE_IN_PROGRESS) {
                    throw new GroupNotEmptyException("Consumers joined group '" + groupId
                            + "' during the reset; nothing was changed. Stop its consumers first.");
                }
                if (error != Errors.NONE) {
                    throw error.exception("Resetting the offsets of group '" + groupId + "' failed (" + error.message()
                            + "); nothing was changed.");
                }
            }
        }
        return describe(groupId).offsets();
    }

    /** Deletes an inactive group with its committed offsets. */
    public void delete(String groupId) {
        DeletableGroupResult r = coordinator.deleteGroups(List.of(groupId)).get(0);
        Errors error = Errors.forCode(r.errorCode());
        switch (error) {
            case NONE -> {}
            case GROUP_ID_NOT_FOUND -> throw new GroupIdNotFoundException("Group '" + groupId + "' does not exist.");
            case NON_EMPTY_GROUP ->
                throw new GroupNotEmptyException(
                        "Group '" + groupId + "' has members: stop its consumers before deleting it.");
            default -> throw error.exception("Deleting group '" + groupId + "' failed: " + error.message());
        }
    }

    /** Every partition of {@code topic}, the partitions a reset of one topic moves. */
    static List<TopicPartition> partitionsOf(PartitionManager partitions, String topic) {
        TopicInfo t = partitions
                .metadata()
                .topic(topic)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + topic + "' does not exist."));
        List<TopicPartition> out = new ArrayList<>();
        for (int p = 0; p < t.partitions(); p++) {
            out.add(new TopicPartition(t.name(), p));
        }
        return out;
    }

    /** Where a reset to {@code target} puts a group on {@code tp}: never past the high watermark. */
    static long targetOffset(PartitionManager partitions, TopicPartition tp, ResetTarget target, long timestampMs)
            throws IOException {
        Partition p = partitions
                .partitionOrStorageError(tp)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Partition " + tp + " is not available."));
        return switch (target) {
            case EARLIEST -> p.logStartOffset();
            case LATEST -> p.highWatermark();
            case TIMESTAMP ->
                p.log()
                        .offsetForTimestamp(timestampMs)
                        .map(t -> Math.min(t.offset(), p.highWatermark()))
                        .orElse(p.highWatermark());
        };
    }

    private List<ListedGroup> listed() {
        var response = coordinator.listGroups(List.of(), List.of());
        if (response.errorCode() != Errors.NONE.code()) {
            Errors error = Errors.forCode(response.errorCode());
            throw error.exception("The group coordinator cannot list groups now (" + error.message() + ")");
        }
        return response.groups();
    }

    private List<PartitionLag> offsets(String groupId, List<Member> members) {
        OffsetFetchResponseGroup fetched = coordinator
                .offsets()
                .fetch(
                        OFFSETS_VERSION,
                        new OffsetFetchRequestGroup().setGroupId(groupId).setTopics(null),
                        false);
        check(fetched.errorCode(), null);
        Map<TopicPartition, Long> committed =
                new TreeMap<>(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        fetched.topics()
                .forEach(t -> t.partitions().forEach(p -> {
                    if (p.errorCode() == Errors.NONE.code()) {
                        committed.put(new TopicPartition(t.name(), p.partitionIndex()), p.committedOffset());
                    }
                }));
        Map<TopicPartition, String> owners = new LinkedHashMap<>();
        for (Member m : members) {
            for (Assigned a : m.assignment()) {
                TopicPartition tp = new TopicPartition(a.topic(), a.partition());
                owners.put(tp, m.memberId());
                committed.putIfAbsent(tp, UNKNOWN);
            }
        }
        List<PartitionLag> result = new ArrayList<>();
        committed.forEach((tp, offset) -> {
            long end = partitions.partition(tp).map(Partition::highWatermark).orElse(UNKNOWN);
            long lag = offset >= 0 && end >= 0 ? Math.max(0, end - offset) : UNKNOWN;
            result.add(new PartitionLag(tp.topic(), tp.partition(), offset, end, lag, owners.getOrDefault(tp, "")));
        });
        return result;
    }

    private static Member member(ConsumerGroupDescribeResponseData.Member m) {
        List<Assigned> assigned = new ArrayList<>();
        m.assignment()
                .topicPartitions()
                .forEach(t -> t.partitions().forEach(p -> assigned.add(new Assigned(t.topicName(), p))));
        return new Member(m.memberId(), m.instanceId(), m.clientId(), m.clientHost(), sorted(assigned));
    }

    private static Member member(DescribedGroupMember m, String protocolType) {
        List<Assigned> assigned = new ArrayList<>();
        byte[] bytes = m.memberAssignment();
        if (ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType) && bytes != null && bytes.length > 0) {
            try {
                ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(bytes))
                        .partitions()
                        .forEach(tp -> assigned.add(new Assigned(tp.topic(), tp.partition())));
            } catch (RuntimeException e) {
                // an assignment this console cannot read: shown as none
            }
        }
        return new Member(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(), sorted(assigned));
    }

    static List<Assigned> sorted(List<Assigned> list) {
        list.sort(Comparator.comparing(Assigned::topic).thenComparingInt(Assigned::partition));
        return List.copyOf(list);
    }

    private static void check(short code, String message) {
        if (code != Errors.NONE.code()) {
            Errors error = Errors.forCode(code);
            ApiException e = error.exception(message == null || message.isEmpty() ? error.message() : message);
            throw e;
        }
    }
}
