package io.herald.jms;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a share group's delivery starts on each partition (its start offset, KIP-932): every record below it has been
 * acknowledged or archived, so a browser of the queue starts there.
 *
 * <p>Design note: this asks DescribeShareGroupOffsets (Admin.listShareGroupOffsets). A broker that does not serve it,
 * a group that has no state on a partition yet, or any other failure gives no start offset for that partition;
 * the browser then starts at the log start offset and may show records the group has already delivered and
 * acknowledged. Browsing is a view, so a failure here must not fail it.
 *
 * <p>Thread-safety: stateless.
 */
final class ShareGroupStartOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupStartOffsets.class);

    private ShareGroupStartOffsets() {}

    /** The start offsets of {@code group} the broker knows for {@code partitions}; absent ones are unknown. */
    static Map<TopicPartition, Long> of(
            Admin admin, String group, Collection<TopicPartition> partitions, Duration timeout) {
        Map<TopicPartition, Long> out = new HashMap<>();
        try {
            Map<TopicPartition, SharePartitionOffsetInfo> infos = admin.listShareGroupOffsets(
                            Map.of(group, new ListShareGroupOffsetsSpec().topicPartitions(partitions)))
                    .partitionsToOffsetInfo(group)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            infos.forEach((tp, info) -> {
                if (info != null && info.startOffset() >= 0) {
                    out.put(tp, info.startOffset());
                }
            });
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("No start offsets of share group {}: browsing from the log start", group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }
}
