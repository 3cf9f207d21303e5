package io.herald.server.api;

import io.herald.log.TopicPartition;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.partition.PartitionManager;
import io.herald.server.share.ShareCoordinator;
import io.herald.server.share.SharePartitionView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Share groups (KIP-932: {@code KafkaShareConsumer}s, and the JMS provider's queues and subscriptions) as an operator
 * sees them: state, members and their assignments, and per partition the share-partition start offset, the high
 * watermark, the records waiting for a consumer and those in flight; deleting a group without members.
 *
 * <p>A share group has no committed offsets, so its "lag" is what is not yet delivered: the records available to its
 * consumers (released, or never acquired), counted as {@link JmsAdmin} counts a queue's depth (both through {@link
 * ShareGroupReader}). Records in flight are delivered and not yet acknowledged and are counted apart.
 *
 * <p>Thread-safety: thread-safe. Reads take snapshots of the share coordinator; a delete is decided by the coordinator
 * under its group's lock, so a member joining meanwhile makes it fail rather than lose the member's state.
 */
public final class ShareGroupAdmin {

    private static final Logger log = LoggerFactory.getLogger(ShareGroupAdmin.class);

    /** The group type the console and ListGroups show for share groups. */
    public static final String TYPE = "share";

    /** A share group in a list: {@code totalLag} is the records waiting for its consumers. */
    public record ShareGroupSummary(String groupId, String state, int members, long totalLag, long inFlight) {}

    /**
     * A share group's position in one partition.
     *
     * @param startOffset the share-partition start offset (every record below it is acknowledged or archived), or -1
     *     when no member has fetched from the partition yet
     * @param highWatermark the end of what consumers can read
     * @param available records not yet delivered: released ones and those never acquired (the partition's lag)
     * @param inFlight records delivered to a member and not yet acknowledged
     * @param members the members the partition is assigned to (a share group may give one partition to several)
     */
    public record SharePartitionState(
            String topic,
            int partition,
            long logStartOffset,
            long startOffset,
            long highWatermark,
            long available,
            long inFlight,
            List<String> members) {}

    /** A share group in detail; {@code totalLag} is the sum of the partitions' available records. */
    public record ShareGroupState(
            String groupId,
            String type,
            String state,
            List<GroupAdmin.Member> members,
            List<SharePartitionState> partitions,
            long totalLag,
            long inFlight) {}

    private final ShareCoordinator shares;
    private final PartitionManager partitions;
    private final ShareGroupReader reader;

    ShareGroupAdmin(ShareCoordinator shares, PartitionManager partitions, ShareGroupReader reader) {
        this.shares = shares;
        this.partitions = partitions;
        this.reader = reader;
    }

    /** Whether {@code groupId} is a share group this broker knows (with members, or with state only). */
    public boolean isShareGroup(String groupId) {
        return shares.isShareGroup(groupId);
    }

    /** Every share group, by id. */
    public List<ShareGroupSummary> list() {
        return describeAll().stream()
                .map(s -> new ShareGroupSummary(
                        s.groupId(), s.state(), s.members().size(), s.totalLag(), s.inFlight()))
                .toList();
    }

    /** Every share group in detail, by id (the metrics' lag per partition). */
    public List<ShareGroupState> describeAll() {
        List<SharePartitionView> views = shares.partitions().views();
        List<ShareGroupState> out = new ArrayList<>();
        for (String id : new TreeMap<>(shares.listGroups()).keySet()) {
            describe(id, views).ifPresent(out::add);
        }
        return out;
    }

    /**
     * One share group.
     *
     * @throws GroupIdNotFoundException if there is no such share group
     */
    public ShareGroupState describe(String groupId) {
        return describe(groupId, shares.partitions().views())
                .orElseThrow(() -> new GroupIdNotFoundException("Share group '" + groupId + "' does not exist."));
    }

    /**
     * Deletes a share group without members. What it forgets, durably: which records were acknowledged and the
     * group's configs, so a consumer joining later starts afresh at {@code share.auto.offset.reset} (latest by default).
     *
     * @throws GroupNotEmptyException if the group has members
     * @throws GroupIdNotFoundException if there is no such share group
     */
    public void delete(String groupId) {
        Errors error = shares.delete(groupId);
        switch (error) {
            case NONE -> log.info("Deleted share group {} and its share-partition state", groupId);
            case GROUP_ID_NOT_FOUND ->
                throw new GroupIdNotFoundException("Share group '" + groupId + "' does not exist.");
            case NON_EMPTY_GROUP ->
                throw new GroupNotEmptyException(
                        "Share group '" + groupId + "' has members: stop its consumers" + " before deleting it.");
            default -> throw error.exception("Deleting share group '" + groupId + "' failed: " + error.message());
        }
    }

    /**
     * Starts a share group without members over at the earliest or latest offset, or the first record at or after a
     * time: on every partition of {@code topic}, or, without one, on every partition it has state for. What was in
     * flight is forgotten (AlterShareGroupOffsets).
     *
     * @throws GroupNotEmptyException if the group has members
     * @throws GroupIdNotFoundException if there is no such share group
     */
    public ShareGroupState resetOffsets(
            String groupId, GroupAdmin.ResetTarget target, long timestampMs, Optional<String> topic)
            throws IOException {
        ShareGroupState group = describe(groupId);
        List<TopicPartition> targets = new ArrayList<>();
        if (topic.isPresent()) {
            targets.addAll(GroupAdmin.partitionsOf(partitions, topic.get()));
        } else {
            group.partitions().forEach(p -> targets.add(new TopicPartition(p.topic(), p.partition())));
        }
        Map<org.apache.kafka.common.TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (TopicPartition tp : targets) {
            offsets.put(
                    new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition()),
                    GroupAdmin.targetOffset(partitions, tp, target, timestampMs));
        }
        ShareCoordinator.AlterOffsetsResult result = shares.alterOffsets(groupId, offsets);
        if (result.groupError() == Errors.NON_EMPTY_GROUP) {
            throw new GroupNotEmptyException(
                    "Share group '" + groupId + "' has members: stop its consumers before resetting its offsets.");
        }
        result.partitions().forEach((tp, error) -> {
            if (error.isFailure()) {
                throw error.exception();
            }
        });
        log.info("Reset share group {} to {} on {}", groupId, target, offsets);
        return describe(groupId);
    }

    private Optional<ShareGroupState> describe(String groupId, List<SharePartitionView> views) {
        ShareGroupDescribeResponseData.DescribedGroup d =
                shares.describe(List.of(groupId)).get(0);
        if (d.errorCode() != Errors.NONE.code()) {
            // deleted meanwhile, or never was
            return Optional.empty();
        }
        List<GroupAdmin.Member> members = new ArrayList<>();
        Map<TopicPartition, List<String>> owners = new HashMap<>();
        for (ShareGroupDescribeResponseData.Member m : d.members()) {
            List<GroupAdmin.Assigned> assigned = new ArrayList<>();
            for (ShareGroupDescribeResponseData.TopicPartitions tp :
                    m.assignment().topicPartitions()) {
                for (int p : tp.partitions()) {
                    assigned.add(new GroupAdmin.Assigned(tp.topicName(), p));
                    owners.computeIfAbsent(new TopicPartition(tp.topicName(), p), k -> new ArrayList<>())
                            .add(m.memberId());
                }
            }
            members.add(
                    new GroupAdmin.Member(m.memberId(), "", m.clientId(), m.clientHost(), GroupAdmin.sorted(assigned)));
        }
        List<SharePartitionState> states = new ArrayList<>();
        long lag = 0;
        long inFlight = 0;
        for (String topic : ShareGroupReader.topics(groupId, views, d)) {
            Optional<TopicInfo> info = partitions.metadata().topic(topic);
            if (info.isEmpty()) {
                continue;
            }
            for (ShareGroupReader.PartitionCounts c : reader.partitions(info.get(), groupId, views)) {
                states.add(new SharePartitionState(
                        topic,
                        c.partition(),
                        c.logStartOffset(),
                        c.startOffset(),
                        c.highWatermark(),
                        c.pending(),
                        c.inFlight(),
                        List.copyOf(owners.getOrDefault(new TopicPartition(topic, c.partition()), List.of()))));
                lag += c.pending();
                inFlight += c.inFlight();
            }
        }
        return Optional.of(new ShareGroupState(groupId, TYPE, d.groupState(), members, states, lag, inFlight));
    }
}
