package io.herald.server.cluster;

import io.herald.log.TopicPartition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * {@link PartitionAdministration} of a cluster: each operation is one compare-and-set of the cluster image through
 * {@link ClusterMetadataStore#mutate} (from whichever broker the admin client reached), decided by {@link
 * ControllerLogic}. A reassignment adds the target replicas at once; the controller completes it (drops the replicas
 * not in the target, moves leadership if needed) once every target replica is in sync.
 *
 * <p>ListPartitionReassignments reports as {@code adding} the target replicas not yet in sync: the image keeps the
 * target and the union of old and new replicas, not the old list itself.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ClusterPartitionAdministration implements PartitionAdministration {

    private final ClusterMetadataStore store;
    private final ClusterConductor conductor;

    public ClusterPartitionAdministration(ClusterMetadataStore store) {
        this.store = store;
        this.conductor = store.conductor();
    }

    @Override
    public Map<TopicPartition, Errors> electPreferredLeaders(Collection<TopicPartition> partitions) throws IOException {
        ClusterImage image = conductor.image();
        Set<Integer> live = new HashSet<>(store.availableBrokers());
        Collection<TopicPartition> asked = partitions != null ? partitions : all(image);
        Map<TopicPartition, Errors> out = new LinkedHashMap<>();
        Set<TopicPartition> eligible = new HashSet<>();
        for (TopicPartition tp : asked) {
            Optional<PartitionState> s = image.partition(tp.topic(), tp.partition());
            if (s.isEmpty()) {
                out.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            } else if (s.get().leader() == s.get().preferredLeader()) {
                out.put(tp, Errors.ELECTION_NOT_NEEDED);
            } else if (!live.contains(s.get().preferredLeader())
                    || !s.get().isr().contains(s.get().preferredLeader())) {
                out.put(tp, Errors.PREFERRED_LEADER_NOT_AVAILABLE);
            } else {
                out.put(tp, Errors.NONE);
                eligible.add(tp);
            }
        }
        if (!eligible.isEmpty()) {
            store.mutate(img -> ControllerLogic.electPreferred(
                    img, live, (topic, p) -> eligible.contains(new TopicPartition(topic, p))));
        }
        return out;
    }

    private static List<TopicPartition> all(ClusterImage image) {
        List<TopicPartition> out = new ArrayList<>();
        image.topics().values().forEach(t -> {
            for (int p = 0; p < t.partitions().size(); p++) {
                out.add(new TopicPartition(t.name(), p));
            }
        });
        return out;
    }

    @Override
    public void reassign(TopicPartition tp, List<Integer> target) throws IOException {
        if (new LinkedHashSet<>(target).size() != target.size()) {
            throw new InvalidReplicaAssignmentException("Replicas " + target + " name a broker twice");
        }
        store.mutate(img -> {
            PartitionState s = img.partition(tp.topic(), tp.partition())
                    .orElseThrow(() -> new UnknownTopicOrPartitionException("Partition " + tp + " does not exist"));
            if (target.isEmpty() && !s.reassigning()) {
                throw new NoReassignmentInProgressException("No reassignment of " + tp + " is in progress");
            }
            for (int r : target) {
                if (!img.brokers().containsKey(r)) {
                    throw new InvalidReplicaAssignmentException(
                            "Replicas " + target + " name broker " + r + ", which is not registered");
                }
            }
            return ControllerLogic.reassign(img, tp.topic(), tp.partition(), target);
        });
    }

    @Override
    public Map<TopicPartition, Reassignment> reassignments(Collection<TopicPartition> partitions) {
        ClusterImage image = conductor.image();
        Map<TopicPartition, Reassignment> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions != null ? partitions : all(image)) {
            image.partition(tp.topic(), tp.partition())
                    .filter(PartitionState::reassigning)
                    .ifPresent(s -> out.put(
                            tp,
                            new Reassignment(
                                    s.replicas(),
                                    s.targetReplicas().stream()
                                            .filter(r -> !s.isr().contains(r))
                                            .toList(),
                                    s.replicas().stream()
                                            .filter(r -> !s.targetReplicas().contains(r))
                                            .toList())));
        }
        return out;
    }
}
