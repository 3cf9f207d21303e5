package io.herald.server.api;

import io.herald.log.TopicPartition;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.share.ShareCoordinator;
import io.herald.server.share.SharePartitionView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JMS destinations as the broker serves them (docs/jms-mapping.md): a queue {@code Q} is topic {@code Q} consumed by
 * share group {@code jms.queue.Q}, its dead letters go to topic {@code DLQ.Q}; a JMS topic's durable and shared
 * subscriptions are share groups {@code jms.durable.<client id>.<name>} and {@code jms.shared.<client id>.<name>}
 * (non-durable subscribers with a selector: {@code jms.subscriber.<uuid>}). What each shows is read from the share
 * partitions' state: records waiting (available), delivered and not yet acknowledged (acquired, "in flight"), and the
 * share groups' members (consumers).
 *
 * <p>A queue or subscription is known once its share group exists, that is once a consumer has used it; a queue that
 * only producers have touched is an ordinary topic until then.
 *
 * <p>Thread-safety: thread-safe. Reads take snapshots; the dead-letter operations are serialised, so that two operators
 * moving the same dead letters back at once do not copy them twice.
 */
public final class JmsAdmin {

    private static final Logger log = LoggerFactory.getLogger(JmsAdmin.class);

    static final String QUEUE_PREFIX = "jms.queue.";
    static final String DURABLE_PREFIX = "jms.durable.";
    static final String SHARED_PREFIX = "jms.shared.";
    static final String SUBSCRIBER_PREFIX = "jms.subscriber.";
    /** The headers the broker adds to a dead letter; a retried message goes back without them. */
    static final String DLQ_HEADER_PREFIX = "JMS_Herald_DLQ";

    private static final int RETRY_PAGE = 500;

    /** A consumer of a queue or subscription (a share group member) and the partitions it is assigned. */
    public record Consumer(String memberId, String clientId, String clientHost, List<Integer> partitions) {}

    /**
     * A partition of a queue or subscription.
     *
     * @param pending records waiting for a consumer: released ones and those never delivered
     * @param inFlight records delivered and not yet acknowledged (held under a lock)
     */
    public record DestinationPartition(
            int partition, long logStartOffset, long highWatermark, long pending, long inFlight) {}

    /**
     * A JMS queue.
     *
     * @param depth messages waiting for a consumer (the share group's available records)
     * @param inFlight messages delivered and not yet acknowledged
     * @param deadLetterQueue the DLQ topic ({@code DLQ.<queue>} unless the group says otherwise)
     * @param deadLetters messages in the DLQ; 0 when it does not exist yet
     */
    public record QueueSummary(
            String name,
            String group,
            String state,
            int partitions,
            long depth,
            long inFlight,
            int consumers,
            String deadLetterQueue,
            long deadLetters) {}

    /** A queue with its partitions, consumers and the share group's configs. */
    public record QueueState(
            QueueSummary queue,
            List<DestinationPartition> partitionStates,
            List<Consumer> consumers,
            Map<String, String> configs) {}

    /**
     * A subscription of a JMS topic.
     *
     * @param kind {@code durable} (shared or not), {@code shared} (shared non-durable) or {@code selector} (a non-durable
     *     subscriber with a message selector)
     * @param clientId the JMS client id, empty without one and for selector subscribers
     * @param name the subscription name (the group id's rest after the client id, split at the first dot)
     * @param backlog messages waiting for the subscription's consumers
     */
    public record Subscription(
            String group,
            String kind,
            String clientId,
            String name,
            String state,
            int consumers,
            long backlog,
            long inFlight,
            List<Consumer> consumerList) {}

    /** A JMS topic with its subscriptions. */
    public record TopicSubscriptions(String name, int partitions, long messages, List<Subscription> subscriptions) {}

    /** What a dead-letter operation did: how many messages it moved back (retry) or removed (purge). */
    public record DeadLetterResult(String queue, String deadLetterQueue, long messages) {}

    private final ShareCoordinator shares;
    private final PartitionManager partitions;
    private final RecordAccess records;
    private final ShareGroupReader reader;

    JmsAdmin(ShareCoordinator shares, PartitionManager partitions, RecordAccess records, ShareGroupReader reader) {
        this.shares = shares;
        this.partitions = partitions;
        this.records = records;
        this.reader = reader;
    }

    /** The share groups the broker knows, members or state, with their states ("Empty" for state only). */
    private Map<String, String> groups() {
        return new TreeMap<>(shares.listGroups());
    }

    /** The JMS queues (share groups {@code jms.queue.*} whose topic exists), by name. */
    public List<QueueSummary> queues() {
        List<SharePartitionView> views = shares.partitions().views();
        List<QueueSummary> out = new ArrayList<>();
        groups().forEach((group, state) -> {
            if (group.startsWith(QUEUE_PREFIX)) {
                String name = group.substring(QUEUE_PREFIX.length());
                partitions.metadata().topic(name).ifPresent(t -> out.add(summary(t, group, state, views)));
            }
        });
        return out;
    }

    /**
     * One queue.
     *
     * @throws UnknownTopicOrPartitionException if there is no such queue
     */
    public QueueState queue(String name) {
        String group = QUEUE_PREFIX + name;
        String state = groups().get(group);
        Optional<TopicInfo> topic = partitions.metadata().topic(name);
        if (state == null || topic.isEmpty()) {
            throw new UnknownTopicOrPartitionException("There is no JMS queue '" + name + "': no topic '" + name
                    + "' consumed by share group '" + group + "' (a queue appears once a JMS consumer has used it).");
        }
        List<SharePartitionView> views = shares.partitions().views();
        return new QueueState(
                summary(topic.get(), group, state, views),
                partitionStates(topic.get(), group, views),
                consumers(group, name),
                new TreeMap<>(shares.partitions().groupConfigs(group)));
    }

    /** The JMS topics that have durable, shared or selector subscriptions, by name. */
    public List<TopicSubscriptions> topics() {
        List<SharePartitionView> views = shares.partitions().views();
        Map<String, List<Subscription>> byTopic = new TreeMap<>();
        Map<String, String> groups = groups();
        List<String> subscriptionGroups = groups.keySet().stream()
                .filter(g ->
                        g.startsWith(DURABLE_PREFIX) || g.startsWith(SHARED_PREFIX) || g.startsWith(SUBSCRIBER_PREFIX))
                .toList();
        Map<String, ShareGroupDescribeResponseData.DescribedGroup> described = new HashMap<>();
        shares.describe(subscriptionGroups).forEach(d -> described.put(d.groupId(), d));
        for (String group : subscriptionGroups) {
            ShareGroupDescribeResponseData.DescribedGroup d = described.get(group);
            Set<String> topics = ShareGroupReader.topics(group, views, d);
            for (String topic : topics) {
                Optional<TopicInfo> info = partitions.metadata().topic(topic);
                if (info.isEmpty()) {
                    continue;
                }
                long[] counts = counts(info.get(), group, views);
                List<Consumer> consumers = consumers(d, topic);
                String[] parts = subscriptionName(group);
                byTopic.computeIfAbsent(topic, t -> new ArrayList<>())
                        .add(new Subscription(
                                group,
                                parts[0],
                                parts[1],
                                parts[2],
                                groups.get(group),
                                consumers.size(),
                                counts[0],
                                counts[1],
                                consumers));
            }
        }
        List<TopicSubscriptions> out = new ArrayList<>();
        byTopic.forEach((topic, subscriptions) -> {
            TopicInfo info = partitions.metadata().topic(topic).orElseThrow();
            long messages = 0;
            for (int p = 0; p < info.partitions(); p++) {
                RecordAccess.Offsets o = offsets(topic, p);
                messages += Math.max(0, o.highWatermark() - o.logStartOffset());
            }
            out.add(new TopicSubscriptions(topic, info.partitions(), messages, subscriptions));
        });
        return out;
    }

    /**
     * Moves every message of the queue's dead-letter queue back to the queue, without the {@code JMS_Herald_DLQ*}
     * properties, each to its original partition when that still exists, then removes them from the DLQ. Messages that
     * arrive in the DLQ meanwhile stay there.
     *
     * <p>Not atomic: a broker failure between the copy and the removal leaves a message in both (at least once, never
     * lost).
     *
     * @throws UnknownTopicOrPartitionException if there is no such queue
     */
    public synchronized DeadLetterResult retryDeadLetters(String queue) throws IOException {
        QueueState q = queue(queue);
        String dlq = q.queue().deadLetterQueue();
        Optional<TopicInfo> info = partitions.metadata().topic(dlq);
        if (info.isEmpty()) {
            return new DeadLetterResult(queue, dlq, 0);
        }
        int queuePartitions = q.queue().partitions();
        long moved = 0;
        for (int p = 0; p < info.get().partitions(); p++) {
            RecordAccess.Offsets o = offsets(dlq, p);
            long next = o.logStartOffset();
            while (next < o.highWatermark()) {
                RecordAccess.RecordPage page = records.read(dlq, p, next, RETRY_PAGE);
                if (page.records().isEmpty()) {
                    break;
                }
                for (RecordAccess.StoredRecord r : page.records()) {
                    if (r.offset() >= o.highWatermark()) {
                        break;
                    }
                    records.produce(queue, originalPartition(r, queuePartitions), r.key(), r.value(), withoutDlq(r));
                    moved++;
                }
                next = page.nextOffset();
            }
            deleteBefore(dlq, p, o.highWatermark());
        }
        log.info("Moved {} dead letters of JMS queue {} from {} back to the queue", moved, queue, dlq);
        return new DeadLetterResult(queue, dlq, moved);
    }

    /**
     * Removes every message of the queue's dead-letter queue (its log start moves to its end, as DeleteRecords does).
     *
     * @throws UnknownTopicOrPartitionException if there is no such queue
     */
    public synchronized DeadLetterResult purgeDeadLetters(String queue) throws IOException {
        String dlq = queue(queue).queue().deadLetterQueue();
        Optional<TopicInfo> info = partitions.metadata().topic(dlq);
        long removed = 0;
        if (info.isPresent()) {
            for (int p = 0; p < info.get().partitions(); p++) {
                RecordAccess.Offsets o = offsets(dlq, p);
                removed += Math.max(0, o.highWatermark() - o.logStartOffset());
                deleteBefore(dlq, p, o.highWatermark());
            }
        }
        log.info("Purged {} dead letters of JMS queue {} from {}", removed, queue, dlq);
        return new DeadLetterResult(queue, dlq, removed);
    }

    /** The dead-letter topic of {@code queue}: the group's config, else {@code DLQ.<queue>}. */
    public String deadLetterQueue(String queue) {
        String configured = shares.partitions().settings(QUEUE_PREFIX + queue).deadLetterTopic();
        return configured == null || configured.isEmpty() ? "DLQ." + queue : configured;
    }

    private void deleteBefore(String topic, int partition, long offset) throws IOException {
        Partition p = partitions
                .partitionOrStorageError(new TopicPartition(topic, partition))
                .orElseThrow(() -> new UnknownTopicOrPartitionException(
                        "Partition " + topic + "-" + partition + " does not exist"));
        p.log().deleteRecordsBefore(offset);
        partitions.logManager().checkpoint();
    }

    private static OptionalInt originalPartition(RecordAccess.StoredRecord r, int queuePartitions) {
        for (RecordAccess.RecordHeader h : r.headers()) {
            if (h.key().equals(DLQ_HEADER_PREFIX + "Partition") && h.value() != null) {
                try {
                    int p = Integer.parseInt(new String(h.value(), StandardCharsets.UTF_8).trim());
                    if (p >= 0 && p < queuePartitions) {
                        return OptionalInt.of(p);
                    }
                } catch (NumberFormatException e) {
                    // a header a client wrote: fall back to the default partitioner
                }
            }
        }
        return OptionalInt.empty();
    }

    private static List<RecordAccess.RecordHeader> withoutDlq(RecordAccess.StoredRecord r) {
        return r.headers().stream()
                .filter(h -> !h.key().startsWith(DLQ_HEADER_PREFIX))
                .toList();
    }

    private QueueSummary summary(TopicInfo topic, String group, String state, List<SharePartitionView> views) {
        long[] counts = counts(topic, group, views);
        String dlq = deadLetterQueue(topic.name());
        long deadLetters = 0;
        Optional<TopicInfo> dlqTopic = partitions.metadata().topic(dlq);
        if (dlqTopic.isPresent()) {
            for (int p = 0; p < dlqTopic.get().partitions(); p++) {
                RecordAccess.Offsets o = offsets(dlq, p);
                deadLetters += Math.max(0, o.highWatermark() - o.logStartOffset());
            }
        }
        int consumers = shares.listGroups().containsKey(group)
                ? shares.describe(List.of(group)).get(0).members().size()
                : 0;
        return new QueueSummary(
                topic.name(), group, state, topic.partitions(), counts[0], counts[1], consumers, dlq, deadLetters);
    }

    /** Pending and in-flight records of {@code group} over all partitions of {@code topic}. */
    private long[] counts(TopicInfo topic, String group, List<SharePartitionView> views) {
        long[] out = new long[2];
        for (DestinationPartition p : partitionStates(topic, group, views)) {
            out[0] += p.pending();
            out[1] += p.inFlight();
        }
        return out;
    }

    private List<DestinationPartition> partitionStates(TopicInfo topic, String group, List<SharePartitionView> views) {
        return reader.partitions(topic, group, views).stream()
                .map(c -> new DestinationPartition(
                        c.partition(), c.logStartOffset(), c.highWatermark(), c.pending(), c.inFlight()))
                .toList();
    }

    private List<Consumer> consumers(String group, String topic) {
        if (!shares.listGroups().containsKey(group)) {
            return List.of();
        }
        return consumers(shares.describe(List.of(group)).get(0), topic);
    }

    private static List<Consumer> consumers(ShareGroupDescribeResponseData.DescribedGroup d, String topic) {
        if (d == null) {
            return List.of();
        }
        List<Consumer> out = new ArrayList<>();
        for (ShareGroupDescribeResponseData.Member m : d.members()) {
            out.add(new Consumer(m.memberId(), m.clientId(), m.clientHost(), ShareGroupReader.assigned(m, topic)));
        }
        return out;
    }

    private RecordAccess.Offsets offsets(String topic, int partition) {
        return reader.offsets(topic, partition);
    }

    /** {kind, client id, name} of a subscription's group id. */
    static String[] subscriptionName(String group) {
        if (group.startsWith(SUBSCRIBER_PREFIX)) {
            return new String[] {"selector", "", group.substring(SUBSCRIBER_PREFIX.length())};
        }
        boolean durable = group.startsWith(DURABLE_PREFIX);
        String rest = group.substring((durable ? DURABLE_PREFIX : SHARED_PREFIX).length());
        int dot = rest.indexOf('.');
        String clientId = dot < 0 ? "" : rest.substring(0, dot);
        String name = dot < 0 ? rest : rest.substring(dot + 1);
        // a shared durable subscription has the same name shape as an unshared one (docs/jms-mapping.md)
        String kind = durable ? "durable" : "shared";
        return new String[] {kind, clientId, name};
    }
}
