package io.herald.server.api;

import io.herald.log.TopicPartition;
import io.herald.server.cluster.ClusterView;
import io.herald.server.config.ConfigDescriber;
import io.herald.server.config.ConfigUpdater;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.metadata.TopicManager;
import io.herald.server.metrics.BrokerMetrics;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topics: their partitions with leader, replicas, ISR and offsets, their configuration, and the changes an operator
 * makes (create, add partitions, alter configs, delete), through the same {@link TopicManager} and {@link
 * ConfigUpdater} as the Kafka admin APIs.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class TopicAdmin {

    /**
     * One partition.
     *
     * @param leader the leader's node id, -1 when offline
     * @param highWatermark the offset below which records are committed and readable
     * @param sizeBytes the size of its log on disk
     * @param offline whether no live broker leads it (on a single broker: its log could not be opened)
     */
    public record PartitionState(
            int partition,
            int leader,
            List<Integer> replicas,
            List<Integer> isr,
            long logStartOffset,
            long logEndOffset,
            long highWatermark,
            long sizeBytes,
            boolean offline) {}

    /**
     * One topic.
     *
     * @param messages offsets between each partition's log start and high watermark, summed (more than the records
     *     where compaction removed some)
     * @param overrides the topic's own configuration, over the broker's defaults
     */
    public record TopicState(
            String name,
            String topicId,
            boolean internal,
            int partitions,
            int replicationFactor,
            long sizeBytes,
            long messages,
            Map<String, String> overrides,
            List<PartitionState> partitionStates) {}

    /**
     * One configuration key of a topic as it is in force.
     *
     * @param source where the value comes from: {@code TOPIC_CONFIG} for the topic's own, otherwise a broker level
     *     ({@code STATIC_BROKER_CONFIG}, {@code DEFAULT_CONFIG}, ...)
     */
    public record ConfigEntry(
            String name, String value, String source, boolean readOnly, boolean sensitive, String documentation) {}

    private final ClusterView cluster;
    private final PartitionManager partitions;
    private final TopicManager topics;
    private final ConfigUpdater configs;
    private final ConfigDescriber describer;
    private final BrokerMetrics metrics;

    TopicAdmin(
            ClusterView cluster,
            PartitionManager partitions,
            TopicManager topics,
            ConfigUpdater configs,
            ConfigDescriber describer,
            BrokerMetrics metrics) {
        this.cluster = cluster;
        this.partitions = partitions;
        this.topics = topics;
        this.configs = configs;
        this.describer = describer;
        this.metrics = metrics;
    }

    /** Every topic, internal ones included, by name. */
    public List<TopicState> list() {
        List<TopicInfo> all = new ArrayList<>(partitions.metadata().topics());
        all.sort(Comparator.comparing(TopicInfo::name));
        return all.stream().map(this::state).toList();
    }

    /**
     * One topic.
     *
     * @throws UnknownTopicOrPartitionException if it does not exist
     */
    public TopicState describe(String name) {
        return state(existing(name));
    }

    /** Every configuration key of {@code name} with its value in force and where that comes from. */
    public List<ConfigEntry> configs(String name) {
        return describer.topic(existing(name), null).stream()
                .map(d -> new ConfigEntry(
                        d.name(), d.value(), d.source().name(), d.readOnly(), d.sensitive(), d.documentation()))
                .toList();
    }

    /**
     * Creates a topic with its configuration overrides, all validated before anything is written.
     *
     * @throws org.apache.kafka.common.errors.ApiException naming what is wrong (name, counts, a config, the topic
     *     exists)
     */
    public TopicState create(String name, int partitionCount, int replicationFactor, Map<String, String> overrides)
            throws IOException {
        return state(topics.create(name, partitionCount, replicationFactor, overrides));
    }

    /** Deletes a topic and its data. */
    public void delete(String name) throws IOException {
        topics.delete(name);
        metrics.forgetTopic(name);
    }

    /** Grows {@code name} to {@code newCount} partitions (more than it has). */
    public TopicState addPartitions(String name, int newCount) throws IOException {
        return state(topics.addPartitions(name, newCount, false));
    }

    /**
     * Sets and removes configuration overrides of {@code name} in one change: validated as a whole, then applied, or
     * nothing changes.
     */
    public TopicState alterConfigs(String name, Map<String, String> set, Collection<String> remove) throws IOException {
        List<ConfigUpdater.Op> ops = new ArrayList<>();
        set.forEach((k, v) -> ops.add(new ConfigUpdater.Op(k, OpType.SET, v)));
        remove.forEach(k -> ops.add(new ConfigUpdater.Op(k, OpType.DELETE, null)));
        if (ops.isEmpty()) {
            throw new InvalidRequestException("No configuration change was given");
        }
        configs.alterTopic(name, ops, false);
        return describe(name);
    }

    private TopicInfo existing(String name) {
        return partitions
                .metadata()
                .topic(name)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist."));
    }

    private TopicState state(TopicInfo topic) {
        List<PartitionState> states = new ArrayList<>();
        long size = 0;
        long messages = 0;
        for (int p = 0; p < topic.partitions(); p++) {
            PartitionState s = partition(topic, p);
            states.add(s);
            size += s.sizeBytes();
            messages += Math.max(0, s.highWatermark() - s.logStartOffset());
        }
        return new TopicState(
                topic.name(),
                topic.id().toString(),
                topic.isInternal(),
                topic.partitions(),
                states.isEmpty() ? 0 : states.get(0).replicas().size(),
                size,
                messages,
                topic.configs(),
                states);
    }

    /** Leader, replicas and ISR as the cluster decided them; offsets and size from this broker's replica, if any. */
    private PartitionState partition(TopicInfo topic, int index) {
        Optional<io.herald.server.cluster.PartitionState> decided = cluster.partition(topic.name(), index);
        List<Integer> replicas =
                decided.map(io.herald.server.cluster.PartitionState::replicas).orElse(List.of());
        List<Integer> isr =
                decided.map(io.herald.server.cluster.PartitionState::isr).orElse(List.of());
        int leader = decided.filter(s -> s.hasLeader() && cluster.isLive(s.leader()))
                .map(io.herald.server.cluster.PartitionState::leader)
                .orElse(-1);
        Optional<Partition> p = partitions.partition(new TopicPartition(topic.name(), index));
        if (p.isEmpty()) {
            return new PartitionState(index, leader, replicas, leader < 0 ? List.of() : isr, -1, -1, -1, 0, leader < 0);
        }
        Partition partition = p.get();
        return new PartitionState(
                index,
                leader,
                replicas,
                isr,
                partition.logStartOffset(),
                partition.logEndOffset(),
                partition.highWatermark(),
                partition.log().size(),
                leader < 0);
    }
}
