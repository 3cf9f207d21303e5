package io.herald.server.cluster;

import io.herald.server.metadata.TopicInfo;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A topic in the cluster image: id, configuration overrides and each partition's replication state.
 *
 * @param name the topic's name
 * @param id its topic id
 * @param configs its configuration overrides
 * @param partitions partition index -> state
 */
public record TopicImage(String name, Uuid id, Map<String, String> configs, List<PartitionState> partitions) {

    public TopicImage {
        configs = Map.copyOf(configs);
        partitions = List.copyOf(partitions);
    }

    public TopicInfo info() {
        return new TopicInfo(name, id, partitions.size(), configs);
    }

    public PartitionState partition(int p) {
        return partitions.get(p);
    }

    public TopicImage withPartition(int p, PartitionState state) {
        List<PartitionState> copy = new java.util.ArrayList<>(partitions);
        copy.set(p, state);
        return new TopicImage(name, id, configs, copy);
    }

    public TopicImage withPartitions(List<PartitionState> states) {
        return new TopicImage(name, id, configs, states);
    }

    public TopicImage withConfigs(Map<String, String> newConfigs) {
        return new TopicImage(name, id, newConfigs, partitions);
    }
}
