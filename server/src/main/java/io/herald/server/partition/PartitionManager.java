package io.herald.server.partition;

import io.herald.log.LogManager;
import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker serves, kept in step with the {@link MetadataStore}: topics created, grown, reconfigured
 * and deleted there get their logs here. At start it opens a {@link Partition} for every partition of every known
 * topic and deletes the logs of topics the metadata no longer has (a deletion a crash interrupted).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class PartitionManager {

    private static final Logger log = LoggerFactory.getLogger(PartitionManager.class);

    private final LogManager logs;
    private final MetadataStore metadata;
    private final Clock clock;
    private final long producerExpirationMs;
    private final int localId;
    private final boolean clusterManaged;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final List<Consumer<TopicPartition>> appendListeners = new CopyOnWriteArrayList<>();

    /** Partitions of a broker without a cluster: every partition of every topic, led here alone. */
    public PartitionManager(LogManager logs, MetadataStore metadata, Clock clock, long producerExpirationMs) {
        this(logs, metadata, clock, producerExpirationMs, -1, false);
    }

    /**
     * @param localId this broker's node id
     * @param clusterManaged whether the cluster decides which partitions this broker has ({@link
     *     io.herald.server.replication.ReplicaManager} opens and removes them); the topic-level methods then do
     *     nothing
     */
    public PartitionManager(
            LogManager logs,
            MetadataStore metadata,
            Clock clock,
            long producerExpirationMs,
            int localId,
            boolean clusterManaged) {
        this.logs = logs;
        this.metadata = metadata;
        this.clock = clock;
        this.producerExpirationMs = producerExpirationMs;
        this.localId = localId;
        this.clusterManaged = clusterManaged;
    }

    public boolean clusterManaged() {
        return clusterManaged;
    }

    public long producerExpirationMs() {
        return producerExpirationMs;
    }

    /** The replica of {@code tp} here, opening (or creating) its log if it has none yet. */
    public Partition getOrCreate(TopicInfo topic, int partition) throws IOException {
        return open(topic, partition);
    }

    /** Removes the replica of {@code tp} from this broker and deletes its log. */
    public void remove(TopicPartition tp) throws IOException {
        partitions.remove(tp);
        logs.deleteLog(tp);
    }

    /** Opens the partitions of every topic in the metadata and removes logs that belong to none. */
    public void start() throws IOException {
        for (TopicInfo topic : metadata.topics()) {
            logs.setTopicConfig(topic.name(), topic.configs());
            for (int p = 0; p < topic.partitions(); p++) {
                open(topic, p);
            }
        }
        for (PartitionLog l : logs.logs()) {
            TopicPartition tp = l.topicPartition();
            Optional<TopicInfo> topic = metadata.topic(tp.topic());
            if (topic.isEmpty() || tp.partition() >= topic.get().partitions()) {
                log.info("Deleting log {}, whose topic or partition no longer exists", tp);
                logs.deleteLog(tp);
            }
        }
    }

    /** Creates the logs of a topic just added to the metadata. */
    public void createPartitions(TopicInfo topic, int fromPartition) throws IOException {
        if (clusterManaged) {
            return;
        }
        logs.setTopicConfig(topic.name(), topic.configs());
        for (int p = fromPartition; p < topic.partitions(); p++) {
            open(topic, p);
        }
    }

    private Partition open(TopicInfo topic, int partition) throws IOException {
        TopicPartition tp = new TopicPartition(topic.name(), partition);
        Partition existing = partitions.get(tp);
        if (existing != null) {
            return existing;
        }
        PartitionLog partitionLog = logs.getOrCreateLog(tp);
        Partition p = Partition.open(tp, topic.id(), partitionLog, clock, producerExpirationMs, localId);
        appendListeners.forEach(p::addAppendListener);
        partitions.put(tp, p);
        return p;
    }

    /** Applies a topic's new configuration overrides to its logs. */
    public void reconfigure(TopicInfo topic) {
        logs.setTopicConfig(topic.name(), topic.configs());
    }

    /**
     * Deletes the logs of a topic removed from the metadata, then rewrites the offset checkpoints, so that a topic
     * created again under the same name never starts from the deleted one's recovery point or log start offset.
     */
    public void deleteTopic(TopicInfo topic) throws IOException {
        if (clusterManaged) {
            return;
        }
        for (int p = 0; p < topic.partitions(); p++) {
            TopicPartition tp = new TopicPartition(topic.name(), p);
            partitions.remove(tp);
            logs.deleteLog(tp);
        }
        try {
            logs.checkpoint();
        } catch (IOException e) {
            log.warn("Writing the checkpoints after deleting topic {} failed: {}", topic.name(), e.toString());
        }
    }

    /** The partition, if this broker has it. */
    public Optional<Partition> partition(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    /**
     * The partition, or a storage error if its topic exists but its log could not be opened (an offline log dir).
     */
    public Optional<Partition> partitionOrStorageError(TopicPartition tp) {
        Partition p = partitions.get(tp);
        if (p == null && logs.offlinePartitions().containsKey(tp)) {
            throw new KafkaStorageException("Partition " + tp + " is offline: "
                    + logs.offlinePartitions().get(tp));
        }
        return Optional.ofNullable(p);
    }

    public Collection<Partition> partitions() {
        return List.copyOf(partitions.values());
    }

    /** Calls {@code listener} with the partition after every append to any partition. */
    public void addAppendListener(Consumer<TopicPartition> listener) {
        appendListeners.add(listener);
        partitions.values().forEach(p -> p.addAppendListener(listener));
    }

    public LogManager logManager() {
        return logs;
    }

    public MetadataStore metadata() {
        return metadata;
    }
}
