package io.herald.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.group.ConsumerMember.MemberState;
import io.herald.server.group.ConsumerMember.Reconciliation;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** KIP-848 reconciliation steps: revoke first at the current epoch, then take the partitions that are free. */
class ReconcilerTest {

    private static final Uuid T = Uuid.randomUuid();
    private static final Reconciler.PartitionEpochs NONE_OWNED = (topic, p) -> -1;

    private static Reconciliation stable(int epoch, Set<Integer> partitions) {
        return new Reconciliation(epoch, epoch - 1, MemberState.STABLE, Map.of(T, partitions), Map.of());
    }

    @Test
    void aMemberWhoseTargetOnlyGrowsMovesToTheTargetEpochAtOnce() {
        Reconciliation next = Reconciler.reconcile(stable(3, Set.of(0)), 4, Map.of(T, Set.of(0, 1)), NONE_OWNED, null);

        assertThat(next).isEqualTo(new Reconciliation(4, 3, MemberState.STABLE, Map.of(T, Set.of(0, 1)), Map.of()));
    }

    @Test
    void partitionsToGiveUpAreRevokedFirstAtTheCurrentEpoch() {
        Reconciliation revoking =
                Reconciler.reconcile(stable(3, Set.of(0, 1, 2)), 4, Map.of(T, Set.of(0, 3)), NONE_OWNED, null);

        assertThat(revoking.state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(revoking.memberEpoch()).isEqualTo(3);
        assertThat(revoking.assigned()).isEqualTo(Map.of(T, Set.of(0)));
        assertThat(revoking.pendingRevocation()).isEqualTo(Map.of(T, Set.of(1, 2)));

        assertThat(Reconciler.reconcile(revoking, 4, Map.of(T, Set.of(0, 3)), NONE_OWNED, Map.of(T, Set.of(0, 2))))
                .as("still owns a revoked partition")
                .isEqualTo(revoking);
        assertThat(Reconciler.reconcile(revoking, 4, Map.of(T, Set.of(0, 3)), NONE_OWNED, null))
                .as("did not report what it owns")
                .isEqualTo(revoking);

        Reconciliation done =
                Reconciler.reconcile(revoking, 4, Map.of(T, Set.of(0, 3)), NONE_OWNED, Map.of(T, Set.of(0)));
        assertThat(done).isEqualTo(new Reconciliation(4, 3, MemberState.STABLE, Map.of(T, Set.of(0, 3)), Map.of()));
    }

    @Test
    void partitionsAnotherMemberStillOwnsWaitUntilItReleasesThem() {
        Reconciler.PartitionEpochs ownedElsewhere = (topic, p) -> p == 1 ? 3 : -1;

        Reconciliation waiting =
                Reconciler.reconcile(stable(3, Set.of(0)), 4, Map.of(T, Set.of(0, 1, 2)), ownedElsewhere, null);

        assertThat(waiting.state()).isEqualTo(MemberState.UNRELEASED_PARTITIONS);
        assertThat(waiting.memberEpoch()).isEqualTo(4);
        assertThat(waiting.assigned()).isEqualTo(Map.of(T, Set.of(0, 2)));
        assertThat(Reconciler.reconcile(waiting, 4, Map.of(T, Set.of(0, 1, 2)), NONE_OWNED, null)
                        .assigned())
                .isEqualTo(Map.of(T, Set.of(0, 1, 2)));
    }
}
