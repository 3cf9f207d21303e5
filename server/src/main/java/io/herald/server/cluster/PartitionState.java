package io.herald.server.cluster;

import java.util.List;

/**
 * The replication state of one partition as the cluster decided it.
 *
 * @param replicas the assigned replicas, preferred leader first
 * @param isr the in-sync replicas; never empty (when the last one dies it stays, as a record of who has the data)
 * @param leader the leader, or {@link #NO_LEADER}
 * @param leaderEpoch bumped on every change of leader; fences a deposed leader and drives followers' truncation
 * @param partitionEpoch bumped on every change of this state; an ISR proposal must name the epoch it was made against
 * @param targetReplicas the replicas a reassignment moves to, or empty when none is in progress
 */
public record PartitionState(
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch,
        List<Integer> targetReplicas) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        targetReplicas = List.copyOf(targetReplicas);
    }

    /** A new partition led by its first replica, every replica in sync. */
    public static PartitionState initial(List<Integer> replicas) {
        return new PartitionState(replicas, replicas, replicas.get(0), 0, 0, List.of());
    }

    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    public int preferredLeader() {
        return replicas.get(0);
    }

    public boolean reassigning() {
        return !targetReplicas.isEmpty();
    }

    /** This state with another leader (epoch bumped) and ISR. */
    public PartitionState withLeader(int newLeader, List<Integer> newIsr) {
        int epoch = newLeader == leader ? leaderEpoch : leaderEpoch + 1;
        return new PartitionState(replicas, newIsr, newLeader, epoch, partitionEpoch + 1, targetReplicas);
    }

    /**
     * This state as a broker cut off from the cluster must see it: without a leader if {@code broker} led it (same
     * epochs, so that it can lead again as it was once it is back, if the cluster decided nothing meanwhile).
     */
    public PartitionState fencedFrom(int broker) {
        return leader == broker
                ? new PartitionState(replicas, isr, NO_LEADER, leaderEpoch, partitionEpoch, targetReplicas)
                : this;
    }

    /** This state with another ISR, the same leader. */
    public PartitionState withIsr(List<Integer> newIsr) {
        return new PartitionState(replicas, newIsr, leader, leaderEpoch, partitionEpoch + 1, targetReplicas);
    }

    /** This state with other replicas and reassignment target. */
    public PartitionState withReplicas(List<Integer> newReplicas, List<Integer> newTarget) {
        return new PartitionState(newReplicas, isr, leader, leaderEpoch, partitionEpoch + 1, newTarget);
    }
}
