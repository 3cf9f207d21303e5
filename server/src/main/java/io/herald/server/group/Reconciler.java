package io.herald.server.group;

import io.herald.server.group.ConsumerMember.MemberState;
import io.herald.server.group.ConsumerMember.Reconciliation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * KIP-848's reconciliation: moves a member from the partitions it owns towards its target assignment, one safe step
 * per heartbeat.
 *
 * <ol>
 *   <li>If it owns partitions the target does not give it, it must revoke them first: it stays at its epoch in
 *       {@code UNREVOKED_PARTITIONS} until a heartbeat's owned partitions no longer include them.
 *   <li>Then it moves to the target epoch and gets the target's partitions that no other member still owns; those
 *       still owned elsewhere ({@code UNRELEASED_PARTITIONS}) follow once their owner has revoked them.
 *   <li>With everything owned, it is {@code STABLE} at the target epoch.
 * </ol>
 *
 * A partition therefore never has two owners: it is handed out only when its previous owner has reported it revoked
 * (or left the group).
 *
 * <p>Thread-safety: stateless.
 */
final class Reconciler {

    /** The epoch at which a partition is owned, or -1 when it is free. */
    @FunctionalInterface
    interface PartitionEpochs {
        int epochOf(Uuid topicId, int partition);
    }

    private Reconciler() {}

    /**
     * The member's next reconciliation state.
     *
     * @param owned the partitions the member reported owning in this heartbeat, or null if it did not report them
     */
    static Reconciliation reconcile(
            Reconciliation current,
            int targetEpoch,
            Map<Uuid, Set<Integer>> target,
            PartitionEpochs epochs,
            Map<Uuid, Set<Integer>> owned) {
        return switch (current.state()) {
            case STABLE ->
                current.memberEpoch() != targetEpoch ? computeNext(current, targetEpoch, target, epochs) : current;
            case UNREVOKED_PARTITIONS ->
                ownsAny(owned, current.pendingRevocation())
                        ? current
                        : computeNext(current, targetEpoch, target, epochs);
            case UNRELEASED_PARTITIONS -> computeNext(current, targetEpoch, target, epochs);
            case UNKNOWN -> {
                if (owned == null || !owned.isEmpty()) {
                    throw new org.apache.kafka.common.errors.FencedMemberEpochException(
                            "The member is in an unknown state; it must give up its partitions and rejoin");
                }
                yield computeNext(
                        new Reconciliation(
                                targetEpoch,
                                current.previousMemberEpoch(),
                                MemberState.STABLE,
                                current.assigned(),
                                Map.of()),
                        targetEpoch,
                        target,
                        epochs);
            }
        };
    }

    private static boolean ownsAny(Map<Uuid, Set<Integer>> owned, Map<Uuid, Set<Integer>> revoking) {
        if (owned == null) {
            return true; // not reported: assume it still owns them
        }
        for (Map.Entry<Uuid, Set<Integer>> e : owned.entrySet()) {
            Set<Integer> pending = revoking.get(e.getKey());
            if (pending != null) {
                for (int p : e.getValue()) {
                    if (pending.contains(p)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Reconciliation computeNext(
            Reconciliation current, int targetEpoch, Map<Uuid, Set<Integer>> target, PartitionEpochs epochs) {
        boolean unreleased = false;
        Map<Uuid, Set<Integer>> assigned = new HashMap<>();
        Map<Uuid, Set<Integer>> revoking = new HashMap<>();
        Map<Uuid, Set<Integer>> toAssign = new HashMap<>();
        Set<Uuid> topics = new HashSet<>(target.keySet());
        topics.addAll(current.assigned().keySet());
        for (Uuid topic : topics) {
            Set<Integer> wanted = target.getOrDefault(topic, Set.of());
            Set<Integer> have = current.assigned().getOrDefault(topic, Set.of());
            Set<Integer> keep = new HashSet<>(have);
            keep.retainAll(wanted);
            Set<Integer> revoke = new HashSet<>(have);
            revoke.removeAll(keep);
            Set<Integer> add = new HashSet<>(wanted);
            add.removeAll(keep);
            int before = add.size();
            add.removeIf(p -> epochs.epochOf(topic, p) != -1);
            unreleased |= add.size() != before;
            if (!keep.isEmpty()) {
                assigned.put(topic, keep);
            }
            if (!revoke.isEmpty()) {
                revoking.put(topic, revoke);
            }
            if (!add.isEmpty()) {
                toAssign.put(topic, add);
            }
        }
        if (!revoking.isEmpty()) {
            // Revoke first, at the current epoch.
            return new Reconciliation(
                    current.memberEpoch(),
                    current.previousMemberEpoch(),
                    MemberState.UNREVOKED_PARTITIONS,
                    assigned,
                    revoking);
        }
        toAssign.forEach((topic, partitions) ->
                assigned.computeIfAbsent(topic, t -> new HashSet<>()).addAll(partitions));
        return new Reconciliation(
                targetEpoch,
                current.memberEpoch(),
                unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE,
                assigned,
                Map.of());
    }
}
