package io.herald.server.share;

import io.herald.log.TopicPartition;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.queue.MessageSelector;
import io.herald.server.queue.MessageView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;

/**
 * What ShareFetch and ShareAcknowledge do with the share partitions, independent of the wire versions: resolve topic
 * ids, apply acknowledgement batches, acquire records across a session's partitions.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ShareFetchService {

    /** The share groups of the JMS provider: queues ({@code jms.queue.}) and subscriptions. */
    static final String JMS_GROUP_PREFIX = "jms.";

    /** The outcome for one partition: an error, or acquired records. */
    public record PartitionResult(
            TopicIdPartition tp,
            Errors error,
            String message,
            List<AcquiredRange> acquired,
            ByteBuffer records,
            int leaderEpoch) {}

    /** One acknowledgement batch as a request carries it. */
    public record AckBatch(long first, long last, List<Byte> types) {}

    private final SharePartitionManager manager;
    private final PartitionManager partitions;
    private final MetadataStore metadata;

    public ShareFetchService(SharePartitionManager manager, PartitionManager partitions) {
        this.manager = manager;
        this.partitions = partitions;
        this.metadata = partitions.metadata();
    }

    public SharePartitionManager manager() {
        return manager;
    }

    /** The topic-partition of {@code topicId}, or empty if this broker does not know the topic. */
    public Optional<TopicIdPartition> resolve(Uuid topicId, int partition) {
        return metadata.topic(topicId).map(TopicInfo::name).map(name -> new TopicIdPartition(topicId, partition, name));
    }

    private Optional<Partition> partition(TopicIdPartition tp) {
        if (tp.topic() == null) {
            return Optional.empty();
        }
        return partitions
                .partition(new TopicPartition(tp.topic(), tp.partition()))
                .filter(p -> p.topicId().equals(tp.topicId()));
    }

    /**
     * Why this broker cannot serve {@code tp}, if it cannot: the share partition leader is the partition leader (as in
     * Kafka), so a broker that holds a follower replica, or in a cluster no replica at all, answers
     * NOT_LEADER_OR_FOLLOWER and the client finds the leader in fresh metadata.
     */
    private Optional<ApiException> notServed(TopicIdPartition tp, Optional<Partition> p) {
        if (p.isEmpty()) {
            if (manager.clustered() && metadata.topic(tp.topicId()).isPresent()) {
                return Optional.of(new NotLeaderOrFollowerException("This broker has no replica of " + tp));
            }
            return Optional.of(Errors.UNKNOWN_TOPIC_OR_PARTITION.exception());
        }
        if (!p.get().isLeader()) {
            return Optional.of(
                    new NotLeaderOrFollowerException("Broker " + p.get().localId() + " does not lead " + tp
                            + (p.get().leaderId() >= 0 ? "; broker " + p.get().leaderId() + " does" : "")));
        }
        return Optional.empty();
    }

    /**
     * Applies {@code batches} of {@code member}; the error of the first batch that failed, if one did. The changes are
     * written once {@link #flush} returns: call it before answering.
     */
    public Optional<ApiException> acknowledge(
            String group, String member, TopicIdPartition tp, List<AckBatch> batches) {
        Optional<Partition> p = partition(tp);
        Optional<ApiException> refused = notServed(tp, p);
        if (refused.isPresent()) {
            return refused;
        }
        Optional<SharePartition> sp = manager.existing(group, new TopicPartition(tp.topic(), tp.partition()));
        if (sp.isEmpty()) {
            return Optional.of(
                    Errors.INVALID_RECORD_STATE.exception("No records of " + tp + " are acquired in group " + group));
        }
        long now = manager.clock().millis();
        ApiException first = null;
        for (AckBatch b : batches) {
            try {
                sp.get().acknowledge(member, b.first(), b.last(), b.types(), now);
            } catch (ApiException e) {
                if (first == null) {
                    first = e;
                }
            } catch (RuntimeException e) {
                if (first == null) {
                    first = ErrorMapper.toApiException(e);
                }
            }
        }
        if (first == null || batches.size() > 1) {
            manager.recordsFreed(sp.get().topicPartition());
        }
        return Optional.ofNullable(first);
    }

    /**
     * Acquires for {@code member} from {@code tps} in turn, until {@code maxRecords} or {@code maxBytes} is reached.
     * Partitions that gave nothing and had no error are left out. The new state is written once {@link #flush} returns.
     */
    public List<PartitionResult> acquire(
            String group, String member, String clientId, List<TopicIdPartition> tps, int maxRecords, int maxBytes) {
        Optional<MessageSelector> selector = manager.selector(group, clientId);
        Map<TopicIdPartition, PartitionResult> out = new LinkedHashMap<>();
        int records = 0;
        long bytes = 0;
        long now = manager.clock().millis();
        int lockMs = manager.settings(group).recordLockDurationMs();
        for (TopicIdPartition tp : tps) {
            if (records >= maxRecords || bytes >= maxBytes) {
                break;
            }
            Optional<Partition> p = partition(tp);
            Optional<ApiException> refused = notServed(tp, p);
            if (refused.isPresent()) {
                out.put(
                        tp,
                        new PartitionResult(
                                tp,
                                Errors.forException(refused.get()),
                                refused.get().getMessage(),
                                List.of(),
                                null,
                                -1));
                continue;
            }
            try {
                Optional<SharePartition> served = manager.servedSharePartition(group, p.get());
                if (served.isEmpty()) {
                    continue; // a new leader still reading the share state: nothing to give yet
                }
                SharePartition sp = served.get();
                SharePartition.Selection selection = selection(group, selector, tp, now);
                SharePartition.Acquired a =
                        sp.acquire(member, maxRecords - records, (int) Math.max(1, maxBytes - bytes), now, selection);
                if (a.count() == 0) {
                    continue;
                }
                manager.scheduleLockExpiry(sp, lockMs);
                ByteBuffer joined = join(a.batches());
                records += a.count();
                bytes += joined.remaining();
                out.put(
                        tp,
                        new PartitionResult(
                                tp,
                                Errors.NONE,
                                null,
                                a.ranges(),
                                joined,
                                p.get().leaderEpoch()));
            } catch (IOException | UncheckedIOException e) {
                out.put(tp, new PartitionResult(tp, Errors.KAFKA_STORAGE_ERROR, e.getMessage(), List.of(), null, -1));
            } catch (RuntimeException e) {
                out.put(
                        tp,
                        new PartitionResult(tp, ErrorMapper.toError(e), ErrorMapper.message(e), List.of(), null, -1));
            }
        }
        return new ArrayList<>(out.values());
    }

    /**
     * Writes the share-state changes of this request (and of any concurrent one) with one append, and if {@code sync}
     * waits until they are durable: the group commit that lets a ShareFetch acknowledge a whole prefetch window and
     * acquire the next for one write. ShareAcknowledge syncs; ShareFetch does not wait for the fsync (see {@link
     * SharePartitionManager#writeState}). The future completes once the writes are replicated (at once without a
     * cluster): answer then.
     *
     * @throws org.apache.kafka.common.errors.CoordinatorNotAvailableException if the state cannot be appended
     */
    public CompletableFuture<Void> flush(boolean sync) {
        return sync ? manager.flushState() : manager.writeState();
    }

    private static ByteBuffer join(List<ByteBuffer> batches) {
        if (batches.size() == 1) {
            return batches.get(0);
        }
        int size = batches.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        batches.forEach(b -> out.put(b.duplicate()));
        return out.flip();
    }

    /**
     * What a member of {@code group} takes: everything, unless a JMS selector filters; in a JMS group ({@code jms.*},
     * a queue or a subscription) a message whose delivery time has not come stays available and an expired one is
     * archived, whoever fetches it (the JMS provider or a Kafka share consumer).
     */
    private static SharePartition.Selection selection(
            String group, Optional<MessageSelector> selector, TopicIdPartition tp, long now) {
        boolean jms = group.startsWith(JMS_GROUP_PREFIX);
        if (!jms && selector.isEmpty()) {
            return SharePartition.Selection.ALL;
        }
        return (r, count) -> {
            if (jms && MessageView.expiredAt(r, now)) {
                return SharePartition.Decision.ARCHIVE;
            }
            if (jms && !MessageView.deliverableAt(r, now)) {
                return SharePartition.Decision.LEAVE;
            }
            return selector.isEmpty() || selector.get().matches(new MessageView(r, tp.topic(), tp.partition(), count))
                    ? SharePartition.Decision.TAKE
                    : SharePartition.Decision.LEAVE;
        };
    }
}
