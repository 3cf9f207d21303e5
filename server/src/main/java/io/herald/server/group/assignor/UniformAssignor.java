package io.herald.server.group.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The {@code uniform} assignor (Kafka's default): spreads all subscribed partitions as evenly as possible over the
 * members and, among the balanced assignments, keeps as many partitions as possible where they were, so a rebalance
 * moves only what it must.
 *
 * <p>Design note: when every member subscribes to the same topics (the common case) the balance is exact: with {@code
 * P} partitions and {@code M} members each member gets {@code P/M} partitions, and the {@code P%M} members that already
 * own the most get one more. Each member keeps its previous partitions up to its quota, and only the surplus and the
 * unowned partitions move. With different subscriptions a partition can only go to a subscriber of its topic: each
 * unowned partition goes to its least loaded subscriber, then partitions move from a member to a subscriber that has
 * at least two fewer until no such move remains. That is a heuristic (exact balance is a matching problem), as in
 * Kafka's heterogeneous builder.
 *
 * <p>Thread-safety: stateless.
 */
public final class UniformAssignor implements PartitionAssignor {

    public static final String NAME = "uniform";

    /** A partition of a topic. */
    private record Tp(Uuid topic, int partition) {}

    private static final Comparator<Tp> ORDER =
            Comparator.comparing((Tp tp) -> tp.topic().toString()).thenComparingInt(Tp::partition);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Map<Uuid, Set<Integer>>> assign(AssignmentSpec spec) {
        List<String> members = new ArrayList<>(spec.members().keySet());
        members.sort(Comparator.comparing(id -> spec.members().get(id).sortKey(id)));
        Map<String, TreeSet<Tp>> owned = new LinkedHashMap<>();
        members.forEach(id -> owned.put(id, new TreeSet<>(ORDER)));
        Map<Tp, String> owner = new HashMap<>();
        // Keep every previous partition that is still valid and not claimed twice.
        for (String id : members) {
            AssignmentSpec.Member m = spec.members().get(id);
            m.currentTarget().forEach((topic, partitions) -> {
                Integer count = spec.partitionCounts().get(topic);
                if (count == null || !m.subscribedTopics().contains(topic)) {
                    return;
                }
                for (int p : partitions) {
                    Tp tp = new Tp(topic, p);
                    if (p < count && owner.putIfAbsent(tp, id) == null) {
                        owned.get(id).add(tp);
                    }
                }
            });
        }
        if (!members.isEmpty() && isHomogeneous(spec)) {
            balanceHomogeneous(spec, members, owned, owner);
        } else {
            balanceHeterogeneous(spec, members, owned, owner);
        }
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        owned.forEach((id, tps) -> {
            Map<Uuid, Set<Integer>> a = new HashMap<>();
            tps.forEach(
                    tp -> a.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(tp.partition()));
            result.put(id, a);
        });
        return result;
    }

    private static boolean isHomogeneous(AssignmentSpec spec) {
        Set<Uuid> first = null;
        for (AssignmentSpec.Member m : spec.members().values()) {
            Set<Uuid> topics = subscribedExisting(spec, m);
            if (first == null) {
                first = topics;
            } else if (!first.equals(topics)) {
                return false;
            }
        }
        return true;
    }

    private static Set<Uuid> subscribedExisting(AssignmentSpec spec, AssignmentSpec.Member m) {
        Set<Uuid> topics = new java.util.HashSet<>(m.subscribedTopics());
        topics.retainAll(spec.partitionCounts().keySet());
        return topics;
    }

    private static List<Tp> allPartitions(AssignmentSpec spec, Set<Uuid> topics) {
        List<Tp> all = new ArrayList<>();
        for (Uuid topic : topics) {
            for (int p = 0; p < spec.partitionCounts().get(topic); p++) {
                all.add(new Tp(topic, p));
            }
        }
        all.sort(ORDER);
        return all;
    }

    private static void balanceHomogeneous(
            AssignmentSpec spec, List<String> members, Map<String, TreeSet<Tp>> owned, Map<Tp, String> owner) {
        List<Tp> all =
                allPartitions(spec, subscribedExisting(spec, spec.members().get(members.get(0))));
        int minQuota = all.size() / members.size();
        int extra = all.size() % members.size();
        // The members that own the most keep the extra partitions, so as few partitions as possible move.
        List<String> byOwned = new ArrayList<>(members);
        byOwned.sort(Comparator.comparingInt((String id) -> -owned.get(id).size()));
        Map<String, Integer> quota = new HashMap<>();
        for (int i = 0; i < byOwned.size(); i++) {
            quota.put(byOwned.get(i), minQuota + (i < extra ? 1 : 0));
        }
        for (String id : members) {
            TreeSet<Tp> mine = owned.get(id);
            while (mine.size() > quota.get(id)) {
                owner.remove(mine.pollLast());
            }
        }
        int next = 0;
        for (Tp tp : all) {
            if (owner.containsKey(tp)) {
                continue;
            }
            for (int tries = 0; tries < members.size(); tries++) {
                String id = members.get(next);
                next = (next + 1) % members.size();
                if (owned.get(id).size() < quota.get(id)) {
                    owned.get(id).add(tp);
                    owner.put(tp, id);
                    break;
                }
            }
        }
    }

    private static void balanceHeterogeneous(
            AssignmentSpec spec, List<String> members, Map<String, TreeSet<Tp>> owned, Map<Tp, String> owner) {
        Set<Uuid> topics = new TreeSet<>(Comparator.comparing(Uuid::toString));
        spec.members().values().forEach(m -> topics.addAll(subscribedExisting(spec, m)));
        Map<Uuid, List<String>> subscribers = new HashMap<>();
        for (Uuid topic : topics) {
            List<String> list = new ArrayList<>();
            for (String id : members) {
                if (spec.members().get(id).subscribedTopics().contains(topic)) {
                    list.add(id);
                }
            }
            subscribers.put(topic, list);
        }
        for (Tp tp : allPartitions(spec, topics)) {
            if (owner.containsKey(tp)) {
                continue;
            }
            String target = leastLoaded(subscribers.get(tp.topic()), owned);
            owned.get(target).add(tp);
            owner.put(tp, target);
        }
        // Move partitions from a member to a subscriber with at least two fewer, until no move helps.
        int budget = owner.size() * Math.max(1, members.size());
        boolean moved = true;
        while (moved && budget-- > 0) {
            moved = false;
            List<String> byLoad = new ArrayList<>(members);
            byLoad.sort(Comparator.comparingInt((String id) -> -owned.get(id).size()));
            outer:
            for (String from : byLoad) {
                for (Tp tp : owned.get(from)) {
                    String to = leastLoaded(subscribers.get(tp.topic()), owned);
                    if (owned.get(from).size() - owned.get(to).size() > 1) {
                        owned.get(from).remove(tp);
                        owned.get(to).add(tp);
                        owner.put(tp, to);
                        moved = true;
                        break outer;
                    }
                }
            }
        }
    }

    private static String leastLoaded(List<String> candidates, Map<String, TreeSet<Tp>> owned) {
        String best = candidates.get(0);
        for (String id : candidates) {
            if (owned.get(id).size() < owned.get(best).size()) {
                best = id;
            }
        }
        return best;
    }
}
