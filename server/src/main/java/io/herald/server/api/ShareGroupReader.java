package io.herald.server.api;

import io.herald.server.metadata.TopicInfo;
import io.herald.server.share.ShareCoordinator;
import io.herald.server.share.SharePartitionView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;

/**
 * Reads a share group's position in its partitions from the share coordinator's read-only snapshots, for both the JMS
 * view ({@link JmsAdmin}) and the share-group view ({@link ShareGroupAdmin}), so that a queue's depth and a share
 * group's lag are one number computed one way.
 *
 * <p>Thread-safety: thread-safe; it holds no state of its own and every answer is built from fresh snapshots.
 */
final class ShareGroupReader {

    /** The share partition has no state yet: no member has fetched from it. */
    static final long NOT_STARTED = -1;

    /**
     * A share group's position in one partition.
     *
     * @param startOffset the share-partition start offset (below it every record is done), or {@link #NOT_STARTED}
     * @param pending records waiting for a consumer: released ones and those never delivered
     * @param inFlight records delivered and not yet acknowledged (held under a lock)
     */
    record PartitionCounts(
            int partition, long logStartOffset, long highWatermark, long startOffset, long pending, long inFlight) {}

    private final ShareCoordinator shares;
    private final RecordAccess records;

    ShareGroupReader(ShareCoordinator shares, RecordAccess records) {
        this.shares = shares;
        this.records = records;
    }

    /** {@code group}'s position in every partition of {@code topic}, by partition. */
    List<PartitionCounts> partitions(TopicInfo topic, String group, List<SharePartitionView> views) {
        Map<Integer, SharePartitionView> mine = new HashMap<>();
        views.stream()
                .filter(v -> v.group().equals(group) && v.topic().equals(topic.name()))
                .forEach(v -> mine.put(v.partition(), v));
        boolean fromEarliest =
                shares.partitions().settings(group).autoOffsetReset().equals("earliest");
        List<PartitionCounts> out = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            RecordAccess.Offsets o = offsets(topic.name(), p);
            SharePartitionView v = mine.get(p);
            long pending;
            long inFlight = 0;
            long start = NOT_STARTED;
            if (v != null) {
                // in-flight records still available, plus those past the window that nobody acquired yet
                long neverAcquired = Math.max(0, o.highWatermark() - Math.max(v.endOffset(), o.logStartOffset()));
                pending = v.available() + neverAcquired;
                inFlight = v.acquired();
                start = v.startOffset();
            } else {
                // no consumer has fetched this partition yet: it will start at the log start (JMS queues do) or end
                pending = fromEarliest ? Math.max(0, o.highWatermark() - o.logStartOffset()) : 0;
            }
            out.add(new PartitionCounts(p, o.logStartOffset(), o.highWatermark(), start, pending, inFlight));
        }
        return out;
    }

    /**
     * The topics {@code group} works on: those it has share-partition state for and those its members subscribe to
     * (a member that has not fetched yet has no state).
     */
    static Set<String> topics(
            String group, List<SharePartitionView> views, ShareGroupDescribeResponseData.DescribedGroup described) {
        Set<String> topics = new TreeSet<>();
        views.stream().filter(v -> v.group().equals(group)).forEach(v -> topics.add(v.topic()));
        if (described != null) {
            described.members().forEach(m -> topics.addAll(m.subscribedTopicNames()));
        }
        return topics;
    }

    /** The partitions of {@code topic} assigned to {@code member}, ascending. */
    static List<Integer> assigned(ShareGroupDescribeResponseData.Member member, String topic) {
        List<Integer> assigned = new ArrayList<>();
        member.assignment().topicPartitions().stream()
                .filter(tp -> tp.topicName().equals(topic))
                .forEach(tp -> assigned.addAll(tp.partitions()));
        return assigned;
    }

    /** The partition's log start and high watermark; a partition deleted meanwhile counts as empty. */
    RecordAccess.Offsets offsets(String topic, int partition) {
        try {
            return records.offsets(topic, partition);
        } catch (UnknownTopicOrPartitionException e) {
            return new RecordAccess.Offsets(0, 0);
        }
    }
}
