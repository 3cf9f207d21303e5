package io.herald.server.cluster;

import io.herald.log.TopicPartition;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.partition.PartitionManager;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The cluster of a broker without cluster configuration: itself alone, controller of itself, leading every partition
 * whose log it has open (the leader epoch is the partition's own). A partition of a known topic whose log is not open
 * (a storage error) has no leader, as before clustering existed.
 *
 * <p>Thread-safety: thread-safe (reads the thread-safe metadata store and partition manager).
 */
public final class SingleBrokerView implements ClusterView {

    private final MetadataStore metadata;
    private final PartitionManager partitions;
    private final Supplier<BrokerNode> self;

    /** @param self this broker, supplied once its listeners are bound */
    public SingleBrokerView(MetadataStore metadata, PartitionManager partitions, Supplier<BrokerNode> self) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.self = self;
    }

    @Override
    public String clusterId() {
        return metadata.clusterId();
    }

    @Override
    public int controllerId() {
        return self.get().id();
    }

    @Override
    public List<BrokerNode> liveBrokers() {
        return List.of(self.get());
    }

    @Override
    public boolean isLive(int nodeId) {
        return nodeId == self.get().id();
    }

    @Override
    public Optional<BrokerNode> broker(int nodeId) {
        return isLive(nodeId) ? Optional.of(self.get()) : Optional.empty();
    }

    @Override
    public Optional<PartitionState> partition(String topic, int partition) {
        Optional<TopicInfo> info = metadata.topic(topic);
        if (info.isEmpty() || partition < 0 || partition >= info.get().partitions()) {
            return Optional.empty();
        }
        int id = self.get().id();
        return Optional.of(partitions
                .partition(new TopicPartition(topic, partition))
                .map(p -> new PartitionState(List.of(id), List.of(id), id, p.leaderEpoch(), 0, List.of()))
                .orElseGet(
                        () -> new PartitionState(List.of(id), List.of(id), PartitionState.NO_LEADER, 0, 0, List.of())));
    }
}
