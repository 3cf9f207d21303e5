package io.herald.server.cluster;

import io.herald.server.metadata.TopicConfigs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The controller's decisions as pure functions from an image (and who is alive) to the next image: leader election
 * from the in-sync replicas, removal of dead brokers from ISRs, preferred-leader balancing, reassignment, replica
 * assignment of new topics, and the validation of a leader's ISR proposal. Nothing here does I/O, so the simulation
 * tests drive exactly this code.
 *
 * <p>Safety rules kept here: a leader is only ever chosen from the ISR (unless unclean election is enabled for the
 * topic); the ISR never becomes empty; every change of leader bumps the leader epoch and every change of a partition
 * bumps its partition epoch; an ISR proposal applies only against the exact leader epoch and partition epoch it was
 * made for, and may only add live replicas.
 *
 * <p>Thread-safety: stateless.
 */
public final class ControllerLogic {

    private ControllerLogic() {}

    /**
     * Elects leaders for partitions whose leader is dead or missing, removes dead brokers from ISRs (never the last
     * member), and completes reassignments whose target replicas are all in sync.
     *
     * @param uncleanDefault the broker default of {@code unclean.leader.election.enable}
     * @return the next image, or {@code image} itself when nothing changes
     */
    public static ClusterImage reconcile(ClusterImage image, Set<Integer> live, boolean uncleanDefault) {
        Map<String, TopicImage> topics = new TreeMap<>(image.topics());
        boolean changed = false;
        for (TopicImage t : image.topics().values()) {
            boolean unclean = Boolean.parseBoolean(t.configs()
                    .getOrDefault(TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE, String.valueOf(uncleanDefault)));
            List<PartitionState> states = new ArrayList<>(t.partitions());
            boolean topicChanged = false;
            for (int i = 0; i < states.size(); i++) {
                PartitionState next = reconcile(states.get(i), live, unclean);
                if (!next.equals(states.get(i))) {
                    states.set(i, next);
                    topicChanged = true;
                }
            }
            if (topicChanged) {
                topics.put(t.name(), t.withPartitions(states));
                changed = true;
            }
        }
        return changed ? image.withTopics(topics) : image;
    }

    static PartitionState reconcile(PartitionState s, Set<Integer> live, boolean unclean) {
        PartitionState state = completeReassignment(s, live);
        List<Integer> liveIsr = state.isr().stream().filter(live::contains).toList();
        boolean leaderOk = state.hasLeader()
                && live.contains(state.leader())
                && state.replicas().contains(state.leader());
        if (leaderOk) {
            return liveIsr.size() == state.isr().size() ? state : state.withIsr(liveIsr);
        }
        Optional<Integer> candidate =
                state.replicas().stream().filter(liveIsr::contains).findFirst();
        if (candidate.isPresent()) {
            return state.withLeader(candidate.get(), liveIsr);
        }
        if (unclean) {
            Optional<Integer> anyLive =
                    state.replicas().stream().filter(live::contains).findFirst();
            if (anyLive.isPresent()) {
                return state.withLeader(anyLive.get(), List.of(anyLive.get()));
            }
        }
        // No live in-sync replica: offline. The ISR keeps its members (who has the committed data) until one returns.
        return state.hasLeader() ? state.withLeader(PartitionState.NO_LEADER, state.isr()) : state;
    }

    /** Ends a reassignment once every target replica is in sync: the replicas become the target. */
    private static PartitionState completeReassignment(PartitionState s, Set<Integer> live) {
        if (!s.reassigning() || !s.isr().containsAll(s.targetReplicas())) {
            return s;
        }
        List<Integer> isr =
                s.isr().stream().filter(s.targetReplicas()::contains).toList();
        PartitionState moved = s.withReplicas(s.targetReplicas(), List.of());
        moved = new PartitionState(
                moved.replicas(), isr, moved.leader(), moved.leaderEpoch(), moved.partitionEpoch(), List.of());
        if (!isr.contains(s.leader())) {
            Optional<Integer> leader = moved.replicas().stream()
                    .filter(r -> isr.contains(r) && live.contains(r))
                    .findFirst();
            return moved.withLeader(leader.orElse(PartitionState.NO_LEADER), isr);
        }
        return moved;
    }

    /**
     * Moves leadership to the preferred replica (the first) where it is alive, in sync and not leading.
     *
     * @param eligible which partitions to consider (topic, index)
     */
    public static ClusterImage electPreferred(
            ClusterImage image, Set<Integer> live, BiPredicate<String, Integer> eligible) {
        Map<String, TopicImage> topics = new TreeMap<>(image.topics());
        boolean changed = false;
        for (TopicImage t : image.topics().values()) {
            List<PartitionState> states = new ArrayList<>(t.partitions());
            boolean topicChanged = false;
            for (int i = 0; i < states.size(); i++) {
                PartitionState s = states.get(i);
                int preferred = s.preferredLeader();
                if (eligible.test(t.name(), i)
                        && s.leader() != preferred
                        && live.contains(preferred)
                        && s.isr().contains(preferred)) {
                    states.set(i, s.withLeader(preferred, s.isr()));
                    topicChanged = true;
                }
            }
            if (topicChanged) {
                topics.put(t.name(), t.withPartitions(states));
                changed = true;
            }
        }
        return changed ? image.withTopics(topics) : image;
    }

    /**
     * Registers a broker (its endpoints and incarnation). A broker that restarted (a new incarnation) is fenced as if
     * it had died and come back: it leaves every ISR (unless it is the last member), and partitions it led get a new
     * leader from the live ISR, or keep it (in the ISR) under a new leader epoch if no other in-sync replica is alive.
     */
    public static ClusterImage registerBroker(ClusterImage image, BrokerRegistration reg, Set<Integer> live) {
        BrokerRegistration old = image.brokers().get(reg.id());
        ClusterImage next = image.withBroker(reg);
        if (old == null || old.incarnation().equals(reg.incarnation())) {
            return next;
        }
        int id = reg.id();
        Map<String, TopicImage> topics = new TreeMap<>(next.topics());
        for (TopicImage t : next.topics().values()) {
            List<PartitionState> states = new ArrayList<>(t.partitions());
            boolean changed = false;
            for (int i = 0; i < states.size(); i++) {
                PartitionState s = states.get(i);
                if (!s.isr().contains(id) && s.leader() != id) {
                    continue;
                }
                List<Integer> isr = s.isr().stream().filter(r -> r != id).toList();
                if (isr.isEmpty()) {
                    isr = List.of(id);
                }
                PartitionState n;
                if (s.leader() == id) {
                    List<Integer> inSync = isr;
                    Optional<Integer> other = s.replicas().stream()
                            .filter(r -> r != id && inSync.contains(r) && live.contains(r))
                            .findFirst();
                    // No other live in-sync replica: it keeps leading (its log is the newest there is) under a new
                    // epoch, and stays in the ISR, which must hold the leader.
                    n = other.isPresent()
                            ? s.withLeader(other.get(), isr)
                            : new PartitionState(
                                    s.replicas(),
                                    s.isr(),
                                    id,
                                    s.leaderEpoch() + 1,
                                    s.partitionEpoch() + 1,
                                    s.targetReplicas());
                } else {
                    n = s.withIsr(isr);
                }
                states.set(i, n);
                changed = true;
            }
            if (changed) {
                topics.put(t.name(), t.withPartitions(states));
            }
        }
        return next.withTopics(topics);
    }

    /** Why an ISR proposal was refused. */
    public enum IsrRefusal {
        UNKNOWN_PARTITION,
        NOT_LEADER,
        STALE_LEADER_EPOCH,
        STALE_PARTITION_EPOCH,
        INVALID_ISR,
        REPLICA_NOT_LIVE
    }

    /** The outcome of an ISR proposal: the next image, or why not. */
    public record IsrResult(Optional<ClusterImage> image, Optional<IsrRefusal> refusal) {
        static IsrResult refused(IsrRefusal r) {
            return new IsrResult(Optional.empty(), Optional.of(r));
        }
    }

    /** Applies a leader's ISR proposal if it was made against the current state (see {@link IsrChange}). */
    public static IsrResult applyIsrChange(ClusterImage image, IsrChange change, Set<Integer> live) {
        Optional<PartitionState> current = image.partition(change.topic(), change.partition());
        if (current.isEmpty()) {
            return IsrResult.refused(IsrRefusal.UNKNOWN_PARTITION);
        }
        PartitionState s = current.get();
        if (s.leader() != change.leader()) {
            return IsrResult.refused(IsrRefusal.NOT_LEADER);
        }
        if (s.leaderEpoch() != change.leaderEpoch()) {
            return IsrResult.refused(IsrRefusal.STALE_LEADER_EPOCH);
        }
        if (s.partitionEpoch() != change.partitionEpoch()) {
            return IsrResult.refused(IsrRefusal.STALE_PARTITION_EPOCH);
        }
        Set<Integer> proposed = new LinkedHashSet<>(change.isr());
        if (!proposed.contains(change.leader()) || !s.replicas().containsAll(proposed)) {
            return IsrResult.refused(IsrRefusal.INVALID_ISR);
        }
        for (int r : proposed) {
            if (!s.isr().contains(r) && !live.contains(r)) {
                return IsrResult.refused(IsrRefusal.REPLICA_NOT_LIVE);
            }
        }
        TopicImage t = image.topic(change.topic()).orElseThrow();
        PartitionState next = s.withIsr(List.copyOf(proposed));
        return new IsrResult(Optional.of(image.withTopic(t.withPartition(change.partition(), next))), Optional.empty());
    }

    /**
     * Spreads {@code partitions} x {@code replicationFactor} replicas over {@code brokers} round-robin, as Kafka does
     * without racks: partition p's replicas start at broker (start + p) and the followers are shifted by a second
     * offset, so that leaders and followers are both balanced.
     */
    public static List<List<Integer>> assignReplicas(
            Collection<Integer> brokers, int partitions, int replicationFactor, int start) {
        List<Integer> ids = brokers.stream().sorted().toList();
        int n = ids.size();
        if (replicationFactor < 1 || replicationFactor > n) {
            throw new InvalidReplicationFactorException("Replication factor " + replicationFactor
                    + " is not within [1, " + n + "] (the number of available brokers)");
        }
        List<List<Integer>> out = new ArrayList<>();
        int shift = n > 1 ? Math.floorMod(start, n - 1) : 0;
        for (int p = 0; p < partitions; p++) {
            if (p > 0 && n > 1 && (p % n) == 0) {
                shift = (shift + 1) % (n - 1);
            }
            int first = Math.floorMod(start + p, n);
            List<Integer> replicas = new ArrayList<>();
            replicas.add(ids.get(first));
            for (int r = 1; r < replicationFactor; r++) {
                replicas.add(ids.get((first + 1 + Math.floorMod(shift + r - 1, n - 1)) % n));
            }
            out.add(List.copyOf(replicas));
        }
        return out;
    }

    /** The image with a new topic whose partitions have {@code assignments} as replicas, leaders the first ones. */
    public static ClusterImage createTopic(
            ClusterImage image, String name, Uuid id, Map<String, String> configs, List<List<Integer>> assignments) {
        if (image.topics().containsKey(name)) {
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        }
        List<PartitionState> states = new ArrayList<>();
        for (List<Integer> replicas : assignments) {
            if (replicas.isEmpty() || new LinkedHashSet<>(replicas).size() != replicas.size()) {
                throw new InvalidReplicaAssignmentException("Invalid replica assignment " + replicas);
            }
            states.add(PartitionState.initial(replicas));
        }
        return image.withTopic(new TopicImage(name, id, configs, states));
    }

    /** The image with {@code partition} moving to {@code target} replicas (empty: cancel a reassignment). */
    public static ClusterImage reassign(ClusterImage image, String topic, int partition, List<Integer> target) {
        TopicImage t = image.topic(topic).orElseThrow();
        PartitionState s = t.partition(partition);
        PartitionState next;
        if (target.isEmpty()) {
            if (!s.reassigning()) {
                return image;
            }
            // Cancel: keep the replicas that were there before (those in the replica list but not only in the target).
            List<Integer> original = s.replicas();
            next = s.withReplicas(original, List.of());
        } else {
            if (new LinkedHashSet<>(target).size() != target.size()) {
                throw new InvalidReplicaAssignmentException("Duplicate replicas in " + target);
            }
            List<Integer> union = new ArrayList<>(target);
            s.replicas().stream().filter(r -> !target.contains(r)).forEach(union::add);
            next = s.withReplicas(union, target);
        }
        return image.withTopic(t.withPartition(partition, next));
    }
}
