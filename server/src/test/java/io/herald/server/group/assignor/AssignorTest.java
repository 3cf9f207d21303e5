package io.herald.server.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server-side assignors: complete, exclusive, balanced where subscriptions allow, and sticky (uniform). */
class AssignorTest {

    private static final Uuid A = new Uuid(0, 1);
    private static final Uuid B = new Uuid(0, 2);

    private static AssignmentSpec.Member member(Set<Uuid> topics, Map<Uuid, Set<Integer>> previous) {
        return new AssignmentSpec.Member(null, topics, previous);
    }

    private static int count(Map<Uuid, Set<Integer>> a) {
        return a.values().stream().mapToInt(Set::size).sum();
    }

    /** Every partition of a subscribed topic goes to exactly one subscriber. */
    private static void assertCompleteAndExclusive(AssignmentSpec spec, Map<String, Map<Uuid, Set<Integer>>> result) {
        Set<String> seen = new HashSet<>();
        result.forEach((memberId, a) -> a.forEach((topic, partitions) -> {
            assertThat(spec.members().get(memberId).subscribedTopics()).contains(topic);
            partitions.forEach(p -> assertThat(seen.add(topic + "-" + p))
                    .as("%s-%d twice", topic, p)
                    .isTrue());
        }));
        Set<Uuid> subscribed = new HashSet<>();
        spec.members().values().forEach(m -> subscribed.addAll(m.subscribedTopics()));
        int expected = subscribed.stream()
                .mapToInt(t -> spec.partitionCounts().getOrDefault(t, 0))
                .sum();
        assertThat(seen).hasSize(expected);
    }

    @Test
    void uniformBalancesSevenPartitionsOverThreeMembers() {
        TreeMap<String, AssignmentSpec.Member> members = new TreeMap<>();
        for (String id : List.of("m1", "m2", "m3")) {
            members.put(id, member(Set.of(A), Map.of()));
        }
        AssignmentSpec spec = new AssignmentSpec(members, Map.of(A, 7));

        Map<String, Map<Uuid, Set<Integer>>> result = new UniformAssignor().assign(spec);

        assertCompleteAndExclusive(spec, result);
        assertThat(result.values().stream().map(AssignorTest::count).toList()).containsExactlyInAnyOrder(3, 2, 2);
    }

    @Test
    void uniformMovesOnlyWhatANewMemberNeeds() {
        TreeMap<String, AssignmentSpec.Member> members = new TreeMap<>();
        members.put("m1", member(Set.of(A), Map.of(A, Set.of(0, 1, 2))));
        members.put("m2", member(Set.of(A), Map.of(A, Set.of(3, 4, 5))));
        members.put("m3", member(Set.of(A), Map.of()));
        AssignmentSpec spec = new AssignmentSpec(members, Map.of(A, 6));

        Map<String, Map<Uuid, Set<Integer>>> result = new UniformAssignor().assign(spec);

        assertCompleteAndExclusive(spec, result);
        assertThat(Set.of(0, 1, 2)).containsAll(result.get("m1").get(A));
        assertThat(Set.of(3, 4, 5)).containsAll(result.get("m2").get(A));
        assertThat(result.values().stream().map(AssignorTest::count).toList()).containsOnly(2);
    }

    @Test
    void uniformGivesEachTopicOnlyToItsSubscribers() {
        TreeMap<String, AssignmentSpec.Member> members = new TreeMap<>();
        members.put("only-a", member(Set.of(A), Map.of()));
        members.put("both", member(Set.of(A, B), Map.of()));
        AssignmentSpec spec = new AssignmentSpec(members, Map.of(A, 4, B, 2));

        Map<String, Map<Uuid, Set<Integer>>> result = new UniformAssignor().assign(spec);

        assertCompleteAndExclusive(spec, result);
        assertThat(result.get("both").get(B)).containsExactlyInAnyOrder(0, 1);
        assertThat(count(result.get("only-a"))).isEqualTo(3);
        assertThat(count(result.get("both"))).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void uniformKeepsItsInvariantsOnRandomGroups(long seed) {
        Random random = new Random(seed);
        List<Uuid> topics = List.of(A, B, new Uuid(0, 3));
        Map<Uuid, Integer> counts = new HashMap<>();
        topics.forEach(t -> counts.put(t, 1 + random.nextInt(12)));
        boolean homogeneous = random.nextBoolean();
        TreeMap<String, AssignmentSpec.Member> members = new TreeMap<>();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            Set<Uuid> subscribed = new HashSet<>(homogeneous ? topics : List.of(topics.get(random.nextInt(3))));
            if (!homogeneous && random.nextBoolean()) {
                subscribed.add(topics.get(random.nextInt(3)));
            }
            Map<Uuid, Set<Integer>> previous = new HashMap<>();
            for (Uuid t : topics) {
                Set<Integer> ps = new HashSet<>();
                for (int p = 0; p < counts.get(t) + 2; p++) {
                    if (random.nextInt(4) == 0) {
                        ps.add(p); // including partitions that no longer exist and ones others claim
                    }
                }
                previous.put(t, ps);
            }
            members.put("m" + i, member(subscribed, previous));
        }
        AssignmentSpec spec = new AssignmentSpec(members, counts);

        Map<String, Map<Uuid, Set<Integer>>> result = new UniformAssignor().assign(spec);

        assertCompleteAndExclusive(spec, result);
        if (homogeneous) {
            List<Integer> sizes = new ArrayList<>(
                    result.values().stream().map(AssignorTest::count).toList());
            assertThat(sizes.stream().mapToInt(i -> i).max().orElse(0)
                            - sizes.stream().mapToInt(i -> i).min().orElse(0))
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void rangeGivesContiguousRangesInInstanceIdOrder() {
        TreeMap<String, AssignmentSpec.Member> members = new TreeMap<>();
        members.put("a-member", new AssignmentSpec.Member("zeta", Set.of(A, B), Map.of()));
        members.put("b-member", new AssignmentSpec.Member("alpha", Set.of(A, B), Map.of()));
        AssignmentSpec spec = new AssignmentSpec(members, Map.of(A, 5, B, 2));

        Map<String, Map<Uuid, Set<Integer>>> result = new RangeAssignor().assign(spec);

        assertCompleteAndExclusive(spec, result);
        assertThat(result.get("b-member").get(A)).containsExactly(0, 1, 2);
        assertThat(result.get("a-member").get(A)).containsExactly(3, 4);
        assertThat(result.get("b-member").get(B)).containsExactly(0);
        assertThat(result.get("a-member").get(B)).containsExactly(1);
    }

    @Test
    void assignorsAreFoundByTheirShortAndKafkaClassNames() {
        assertThat(PartitionAssignor.named("uniform")).get().isInstanceOf(UniformAssignor.class);
        assertThat(PartitionAssignor.named("org.apache.kafka.coordinator.group.assignor.RangeAssignor"))
                .get()
                .isInstanceOf(RangeAssignor.class);
        assertThat(PartitionAssignor.named("sticky")).isEmpty();
    }
}
