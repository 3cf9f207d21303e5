package io.herald.server.cluster;

import io.herald.log.TopicPartition;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;

/**
 * The replica placement operations of the Admin API: preferred-leader election (ElectLeaders) and partition
 * reassignment (AlterPartitionReassignments, ListPartitionReassignments). In a cluster they change the cluster image
 * ({@link ClusterPartitionAdministration}); a broker that runs alone has one replica per partition and nothing to move
 * ({@link #single}).
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
public interface PartitionAdministration {

    /** A reassignment in progress: the replicas now, those being added (not yet in sync) and those to be removed. */
    record Reassignment(List<Integer> replicas, List<Integer> adding, List<Integer> removing) {}

    /**
     * Moves the leadership of each partition (every partition when {@code partitions} is null) to its preferred
     * replica; answers per partition NONE, ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE or
     * UNKNOWN_TOPIC_OR_PARTITION.
     */
    Map<TopicPartition, Errors> electPreferredLeaders(Collection<TopicPartition> partitions) throws IOException;

    /**
     * Starts moving {@code partition} to {@code target} replicas, or cancels its reassignment if {@code target} is
     * empty.
     *
     * @throws org.apache.kafka.common.errors.ApiException why it was refused
     */
    void reassign(TopicPartition partition, List<Integer> target) throws IOException;

    /** The reassignments in progress, of {@code partitions} or all if null. */
    Map<TopicPartition, Reassignment> reassignments(Collection<TopicPartition> partitions);

    /** The operations of a broker that runs alone: every partition is led by its only (preferred) replica. */
    static PartitionAdministration single(ClusterView view, int nodeId) {
        return new PartitionAdministration() {
            @Override
            public Map<TopicPartition, Errors> electPreferredLeaders(Collection<TopicPartition> partitions) {
                Map<TopicPartition, Errors> out = new java.util.LinkedHashMap<>();
                if (partitions != null) {
                    for (TopicPartition tp : partitions) {
                        out.put(
                                tp,
                                view.partition(tp.topic(), tp.partition()).isPresent()
                                        ? Errors.ELECTION_NOT_NEEDED
                                        : Errors.UNKNOWN_TOPIC_OR_PARTITION);
                    }
                }
                return out;
            }

            @Override
            public void reassign(TopicPartition partition, List<Integer> target) {
                if (view.partition(partition.topic(), partition.partition()).isEmpty()) {
                    throw new org.apache.kafka.common.errors.UnknownTopicOrPartitionException(
                            "Partition " + partition + " does not exist");
                }
                if (target.isEmpty()) {
                    throw new org.apache.kafka.common.errors.NoReassignmentInProgressException(
                            "No reassignment of " + partition + " is in progress");
                }
                if (!target.equals(List.of(nodeId))) {
                    throw new org.apache.kafka.common.errors.InvalidReplicaAssignmentException("Replicas " + target
                            + " name brokers that do not exist; this broker (" + nodeId + ") runs alone");
                }
            }

            @Override
            public Map<TopicPartition, Reassignment> reassignments(Collection<TopicPartition> partitions) {
                return Map.of();
            }
        };
    }
}
