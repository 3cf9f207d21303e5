package io.herald.server.group.assignor;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * Computes a consumer group's target assignment from its members' subscriptions and the subscribed topics' partitions.
 * An assignor is a pure function: the coordinator calls it when the group epoch moves past the assignment epoch.
 *
 * <p>Thread-safety: implementations are stateless.
 */
public interface PartitionAssignor {

    /** The name members ask for in {@code group.remote.assignor}. */
    String name();

    /**
     * The new assignment: every member of {@code spec} maps to the partitions (by topic id) it should own; a partition
     * goes to at most one member, and only to a member subscribed to its topic.
     */
    Map<String, Map<Uuid, Set<Integer>>> assign(AssignmentSpec spec);

    /** The assignor called {@code name}, if Herald has one. */
    static java.util.Optional<PartitionAssignor> named(String name) {
        return switch (name) {
            case UniformAssignor.NAME, "org.apache.kafka.coordinator.group.assignor.UniformAssignor" ->
                java.util.Optional.of(new UniformAssignor());
            case RangeAssignor.NAME, "org.apache.kafka.coordinator.group.assignor.RangeAssignor" ->
                java.util.Optional.of(new RangeAssignor());
            default -> java.util.Optional.empty();
        };
    }
}
