package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.metadata.BrokerNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Simulation of the controller and ISR logic (test 5 of the cluster issue): the real {@link ControllerLogic} decides
 * over a real {@link ClusterImage} held by a fake consistent store, while brokers with simulated logs follow the
 * replication rules of {@code Partition} and {@code ReplicaFetcher} (high watermark over the maximal ISR, expansion
 * once caught up to the high watermark, shrink after the lag time on an injected clock, truncation to the new
 * leader's end of the follower's newest epoch). A seeded random schedule interleaves produces, fetches, ISR
 * proposals, controller passes, late image deliveries, kills and restarts; the store refuses everything while a
 * majority of brokers is down, as the CP subsystem does.
 *
 * <p>Invariants checked after every step: an ISR is never empty and a leader is always in it; leader and partition
 * epochs never go back; no two live replicas lead one partition in the same epoch; every in-sync replica holds every
 * acknowledged record. At the end, with every broker back and the cluster settled, every replica holds every
 * acknowledged record at its offset.
 *
 * <p>CI runs 300 seeds; {@code -Dherald.simulation.seeds=5000} runs more.
 */
class ControllerSimulationTest {

    private static final int PARTITIONS = 2;
    private static final int MIN_ISR = 2;
    private static final long LAG_MS = 1000;
    private static final int STEPS = 600;

    static LongStream seeds() {
        return LongStream.range(0, Long.getLong("herald.simulation.seeds", 300));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void safetyInvariantsHoldOverRandomSchedules(long seed) {
        new Simulation(new Random(seed), 3 + (int) (seed % 3)).run();
    }

    /** One entry of a simulated log: the epoch of the leader that wrote it and the record's identity. */
    private record Entry(int epoch, long id) {}

    private record Proposal(int broker, IsrChange change) {}

    /** A broker's replica of one partition: its durable log and epoch cache, and its volatile role state. */
    private static final class Replica {
        final List<Entry> log = new ArrayList<>();
        final TreeMap<Integer, Long> epochs = new TreeMap<>();
        boolean leader;
        int leaderId = -1;
        int leaderEpoch = -1;
        int partitionEpoch = -1;
        boolean truncating;
        List<Integer> isr = List.of();
        List<Integer> maximalIsr = List.of();
        boolean pending;
        long hw;
        final Map<Integer, Long> followerLeo = new HashMap<>();
        final Map<Integer, Long> caughtUpMs = new HashMap<>();
        final Map<Long, Long> waiting = new TreeMap<>(); // offset -> record id, acks=all appends in flight

        long leo() {
            return log.size();
        }

        int latestEpoch() {
            return epochs.isEmpty() ? -1 : epochs.lastKey();
        }

        void assign(int epoch, long offset) {
            if (epochs.isEmpty() || epoch > epochs.lastKey()) {
                epochs.put(epoch, offset);
            }
        }

        /** LeaderEpochCache.endOffsetFor: the largest epoch not above {@code e} and where it ends. */
        long[] endOffsetFor(int e) {
            Map.Entry<Integer, Long> floor = epochs.floorEntry(e);
            if (floor == null) {
                return new long[] {-1, -1};
            }
            Map.Entry<Integer, Long> next = epochs.higherEntry(floor.getKey());
            return new long[] {floor.getKey(), next == null ? leo() : next.getValue()};
        }

        void truncateTo(long offset) {
            while (log.size() > offset) {
                log.remove(log.size() - 1);
            }
            epochs.values().removeIf(start -> start >= offset);
            hw = Math.min(hw, offset);
        }

        void forgetRole() {
            leader = false;
            leaderId = -1;
            followerLeo.clear();
            caughtUpMs.clear();
            waiting.clear();
            pending = false;
        }
    }

    private static final class Simulation {
        private final Random random;
        private final int brokers;
        private final Set<Integer> alive = new HashSet<>();
        private final Map<Integer, ClusterImage> views = new HashMap<>();
        private final Map<Integer, Map<Integer, Replica>> replicas = new HashMap<>();
        private final List<Proposal> proposals = new ArrayList<>();
        private final Map<Integer, Map<Long, Long>> acknowledged = new HashMap<>();
        private ClusterImage store;
        private long now;
        private long nextRecord;
        private int lockHolder = -1;
        private final List<String> trace = new ArrayList<>();

        private void trace(String event) {
            trace.add("t=" + now + " " + event);
        }

        Simulation(Random random, int brokers) {
            this.random = random;
            this.brokers = brokers;
        }

        void run() {
            ClusterImage img = ClusterImage.empty("sim");
            for (int b = 1; b <= brokers; b++) {
                alive.add(b);
                img = ControllerLogic.registerBroker(img, registration(b), alive);
                Map<Integer, Replica> mine = new HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    mine.put(p, new Replica());
                }
                replicas.put(b, mine);
            }
            List<Integer> ids = new ArrayList<>(alive);
            img = ControllerLogic.createTopic(
                    img,
                    "t",
                    Uuid.randomUuid(),
                    Map.of(),
                    ControllerLogic.assignReplicas(ids, PARTITIONS, 3, random.nextInt(10)));
            store = img;
            for (int p = 0; p < PARTITIONS; p++) {
                acknowledged.put(p, new TreeMap<>());
            }
            for (int b : ids) {
                deliver(b);
            }
            try {
                for (int step = 0; step < STEPS; step++) {
                    step();
                    check();
                }
                settle();
            } catch (AssertionError e) {
                throw new AssertionError(
                        e.getMessage() + "\nTrace (newest last):\n"
                                + String.join("\n", trace.subList(Math.max(0, trace.size() - 80), trace.size())),
                        e);
            }
        }

        private BrokerRegistration registration(int b) {
            return new BrokerRegistration(new BrokerNode(b, null, Map.of()), "inc-" + b + "-" + random.nextLong());
        }

        private boolean storeReachable() {
            return alive.size() * 2 > brokers;
        }

        private void step() {
            int action = random.nextInt(100);
            if (action < 25) {
                produce();
            } else if (action < 60) {
                fetch();
            } else if (action < 66) {
                shrinkCheck();
            } else if (action < 74) {
                processProposal();
            } else if (action < 80) {
                controllerPass();
            } else if (action < 88) {
                deliver(randomAlive());
            } else if (action < 92) {
                kill();
            } else if (action < 96) {
                restart();
            } else {
                now += random.nextInt((int) LAG_MS);
            }
        }

        private int randomAlive() {
            List<Integer> a = new ArrayList<>(alive);
            return a.isEmpty() ? -1 : a.get(random.nextInt(a.size()));
        }

        // ---- images reaching brokers (ReplicaManager.apply) ----------------------------------------------------

        private void deliver(int b) {
            if (b < 0 || !alive.contains(b)) {
                return;
            }
            views.put(b, store);
            trace("deliver v" + store.version() + " to " + b + ": "
                    + store.topic("t").orElseThrow().partitions());
            for (int p = 0; p < PARTITIONS; p++) {
                PartitionState s = store.partition("t", p).orElseThrow();
                if (!s.replicas().contains(b)) {
                    continue;
                }
                Replica r = replicas.get(b).get(p);
                if (s.leader() == b) {
                    boolean newTerm = !r.leader || r.leaderEpoch != s.leaderEpoch();
                    if (newTerm) {
                        r.forgetRole();
                        r.leader = true;
                        r.leaderEpoch = s.leaderEpoch();
                        r.assign(s.leaderEpoch(), r.leo());
                        r.hw = Math.min(r.hw, r.leo());
                        for (int f : s.replicas()) {
                            if (f != b) {
                                r.caughtUpMs.put(f, now);
                            }
                        }
                    }
                    if (newTerm || s.partitionEpoch() != r.partitionEpoch) {
                        r.maximalIsr = s.isr();
                        r.pending = false;
                    }
                    r.leaderId = b;
                    r.isr = s.isr();
                    r.partitionEpoch = s.partitionEpoch();
                    advanceHighWatermark(p, b, r);
                } else {
                    boolean changed = r.leader || r.leaderId != s.leader() || r.leaderEpoch != s.leaderEpoch();
                    if (changed) {
                        r.forgetRole();
                        r.truncating = true;
                    }
                    r.leaderId = s.leader();
                    r.leaderEpoch = s.leaderEpoch();
                    r.partitionEpoch = s.partitionEpoch();
                    r.isr = s.isr();
                }
            }
        }

        // ---- the leader's side ---------------------------------------------------------------------------------

        private void produce() {
            int b = randomAlive();
            int p = random.nextInt(PARTITIONS);
            if (b < 0) {
                return;
            }
            Replica r = replicas.get(b).get(p);
            if (!r.leader || r.isr.size() < MIN_ISR) {
                return; // NOT_LEADER_OR_FOLLOWER or NOT_ENOUGH_REPLICAS
            }
            long id = nextRecord++;
            trace("produce " + id + " at " + b + " p" + p + " offset " + r.leo() + " epoch " + r.leaderEpoch);
            r.waiting.put(r.leo(), id);
            r.log.add(new Entry(r.leaderEpoch, id));
            advanceHighWatermark(p, b, r);
        }

        /** The high watermark: the smallest log end of the maximal ISR; acks=all completes below it. */
        private void advanceHighWatermark(int p, int b, Replica r) {
            long min = r.leo();
            for (int f : r.maximalIsr) {
                if (f == b) {
                    continue;
                }
                Long leo = r.followerLeo.get(f);
                if (leo == null) {
                    return;
                }
                min = Math.min(min, leo);
            }
            if (min <= r.hw) {
                return;
            }
            r.hw = min;
            trace("leader " + b + " of " + p + " hw=" + min + " leo=" + r.leo() + " maximal=" + r.maximalIsr);
            for (var it = r.waiting.entrySet().iterator(); it.hasNext(); ) {
                var w = it.next();
                if (w.getKey() < r.hw) {
                    it.remove();
                    if (r.isr.size() >= MIN_ISR) {
                        acknowledged.get(p).put(w.getKey(), w.getValue());
                    }
                }
            }
        }

        private void shrinkCheck() {
            int b = randomAlive();
            int p = random.nextInt(PARTITIONS);
            if (b < 0) {
                return;
            }
            Replica r = replicas.get(b).get(p);
            if (!r.leader || r.pending) {
                return;
            }
            List<Integer> kept = new ArrayList<>();
            for (int f : r.isr) {
                if (f == b || now - r.caughtUpMs.getOrDefault(f, now) <= LAG_MS) {
                    kept.add(f);
                }
            }
            if (kept.size() < r.isr.size()) {
                r.pending = true;
                proposals.add(new Proposal(b, change(b, p, r, kept)));
            }
        }

        private IsrChange change(int b, int p, Replica r, List<Integer> isr) {
            return new IsrChange("t", p, b, r.leaderEpoch, r.partitionEpoch, isr);
        }

        /** The conductor writes a proposal with compare-and-set and applies the result on its own broker. */
        private void processProposal() {
            if (proposals.isEmpty() || !storeReachable()) {
                return;
            }
            Proposal pr = proposals.remove(random.nextInt(proposals.size()));
            if (!alive.contains(pr.broker())) {
                return;
            }
            ControllerLogic.IsrResult result = ControllerLogic.applyIsrChange(store, pr.change(), alive);
            trace("proposal " + pr + " -> "
                    + result.refusal().map(Object::toString).orElse("written"));
            result.image().ifPresent(next -> {
                store = next.atVersion(store.version() + 1);
                deliver(pr.broker());
            });
            Replica r = replicas.get(pr.broker()).get(pr.change().partition());
            r.pending = false;
            r.maximalIsr = r.isr;
        }

        // ---- the follower's side -------------------------------------------------------------------------------

        private void fetch() {
            int f = randomAlive();
            if (f >= 0) {
                fetchOnce(f, random.nextInt(PARTITIONS), 1 + random.nextInt(3));
            }
        }

        private void recordFollowerFetch(int p, int b, Replica l, int f, long offset) {
            if (offset >= l.leo()) {
                l.caughtUpMs.put(f, now);
            }
            l.followerLeo.put(f, offset);
            advanceHighWatermark(p, b, l);
            long epochStart = l.epochs.getOrDefault(l.leaderEpoch, Long.MAX_VALUE);
            if (!l.isr.contains(f) && !l.pending && offset >= l.hw && offset >= epochStart) {
                List<Integer> expanded = new ArrayList<>(l.isr);
                expanded.add(f);
                l.pending = true;
                l.maximalIsr = List.copyOf(expanded);
                proposals.add(new Proposal(b, change(b, p, l, expanded)));
            }
        }

        // ---- the controller ------------------------------------------------------------------------------------

        private void controllerPass() {
            if (!storeReachable()) {
                return;
            }
            if (lockHolder < 0 || !alive.contains(lockHolder)) {
                lockHolder = randomAlive(); // the dead holder's CP session expired
                store = store.withController(lockHolder, store.controllerEpoch() + 1);
                deliver(lockHolder);
            }
            ClusterImage next = ControllerLogic.reconcile(store, alive, false);
            if (random.nextInt(4) == 0) {
                next = ControllerLogic.electPreferred(next, alive, (t, p) -> true);
            }
            if (next != store) {
                trace("controller " + lockHolder + " alive=" + alive);
                store = next.atVersion(store.version() + 1);
                deliver(lockHolder);
            }
        }

        private void kill() {
            int b = randomAlive();
            if (b < 0 || alive.size() == 1) {
                return;
            }
            alive.remove(b);
            trace("kill " + b);
            views.remove(b);
            replicas.get(b).values().forEach(Replica::forgetRole);
            proposals.removeIf(pr -> pr.broker() == b);
        }

        private void restart() {
            if (!storeReachable() && alive.size() + 1 <= brokers / 2) {
                return;
            }
            List<Integer> dead = new ArrayList<>();
            for (int b = 1; b <= brokers; b++) {
                if (!alive.contains(b)) {
                    dead.add(b);
                }
            }
            if (dead.isEmpty()) {
                return;
            }
            int b = dead.get(random.nextInt(dead.size()));
            alive.add(b);
            trace("restart " + b);
            if (!storeReachable()) {
                alive.remove(b);
                return;
            }
            store = ControllerLogic.registerBroker(store, registration(b), alive)
                    .atVersion(store.version() + 1);
            deliver(b);
        }

        // ---- invariants ----------------------------------------------------------------------------------------

        private ClusterImage checked;

        private void check() {
            for (int p = 0; p < PARTITIONS; p++) {
                PartitionState s = store.partition("t", p).orElseThrow();
                assertThat(s.isr()).as("ISR of %s never empty", p).isNotEmpty();
                assertThat(s.replicas()).containsAll(s.isr());
                if (s.hasLeader()) {
                    assertThat(s.isr())
                            .as("leader %s of %s in the ISR", s.leader(), p)
                            .contains(s.leader());
                }
                if (checked != null) {
                    PartitionState before = checked.partition("t", p).orElseThrow();
                    assertThat(s.leaderEpoch()).isGreaterThanOrEqualTo(before.leaderEpoch());
                    assertThat(s.partitionEpoch()).isGreaterThanOrEqualTo(before.partitionEpoch());
                    if (!s.equals(before)) {
                        assertThat(s.partitionEpoch()).isGreaterThan(before.partitionEpoch());
                    }
                }
                Map<Integer, Integer> leadersByEpoch = new HashMap<>();
                for (int b : alive) {
                    Replica r = replicas.get(b).get(p);
                    if (r.leader) {
                        Integer other = leadersByEpoch.put(r.leaderEpoch, b);
                        assertThat(other)
                                .as("two leaders of %s in epoch %s", p, r.leaderEpoch)
                                .isNull();
                    }
                }
                for (int member : s.isr()) {
                    assertHasAcknowledged(member, p);
                }
            }
            checked = store;
        }

        private void assertHasAcknowledged(int b, int p) {
            List<Entry> log = replicas.get(b).get(p).log;
            acknowledged.get(p).forEach((offset, id) -> {
                assertThat(offset)
                        .as("broker %s (in the ISR of %s) has acked offset %s", b, p, offset)
                        .isLessThan(log.size());
                assertThat(log.get(offset.intValue()).id())
                        .as("broker %s (in the ISR of %s) holds the acked record at %s", b, p, offset)
                        .isEqualTo(id);
            });
        }

        /** Every broker back, images delivered, followers caught up: all replicas hold every acked record. */
        private void settle() {
            for (int b = 1; b <= brokers; b++) {
                if (!alive.contains(b)) {
                    alive.add(b);
                    store = ControllerLogic.registerBroker(store, registration(b), alive)
                            .atVersion(store.version() + 1);
                }
            }
            for (int round = 0; round < 200; round++) {
                controllerPass();
                for (int b : alive) {
                    deliver(b);
                }
                for (int b : alive) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        fetchFrom(b, p);
                    }
                }
                while (!proposals.isEmpty()) {
                    processProposal();
                }
                check();
            }
            for (int b : alive) {
                for (int p = 0; p < PARTITIONS; p++) {
                    if (store.partition("t", p).orElseThrow().replicas().contains(b)) {
                        assertHasAcknowledged(b, p);
                    }
                }
            }
        }

        private void fetchFrom(int f, int p) {
            for (int i = 0; i < 5; i++) {
                fetchOnce(f, p, Integer.MAX_VALUE);
            }
        }

        /** One fetch of follower {@code f} for {@code p}: truncation first after a change of leader, else a copy. */
        private void fetchOnce(int f, int p, int maxEntries) {
            Replica r = replicas.get(f).get(p);
            if (r.leader || r.leaderId < 0 || !alive.contains(r.leaderId)) {
                return;
            }
            Replica l = replicas.get(r.leaderId).get(p);
            if (!l.leader || l.leaderEpoch != r.leaderEpoch) {
                return; // NOT_LEADER, FENCED or UNKNOWN_LEADER_EPOCH: retried later
            }
            if (r.truncating) {
                int latest = r.latestEpoch();
                if (latest >= 0) {
                    long[] answer = l.endOffsetFor(latest);
                    long target;
                    if (answer[0] < 0) {
                        target = 0;
                    } else {
                        long[] mine = r.endOffsetFor((int) answer[0]);
                        long myEnd = mine[0] == answer[0] ? mine[1] : r.leo();
                        target = Math.min(answer[1], Math.min(myEnd, r.leo()));
                    }
                    trace("follower " + f + " of " + p + " truncates " + r.leo() + " -> " + target);
                    r.truncateTo(target);
                }
                r.truncating = false;
                return;
            }
            long offset = r.leo();
            if (offset > l.leo()) {
                r.truncating = true; // OFFSET_OUT_OF_RANGE
                return;
            }
            recordFollowerFetch(p, r.leaderId, l, f, offset);
            trace("follower " + f + " of " + p + " fetches from " + offset + " (leader leo " + l.leo() + ")");
            for (long o = offset; o < l.leo() && o - offset < maxEntries; o++) {
                Entry e = l.log.get((int) o);
                r.log.add(e);
                r.assign(e.epoch(), o);
            }
            r.hw = Math.min(l.hw, r.leo());
        }
    }
}
