package io.herald.server.replication;

import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import io.herald.server.cluster.ClusterConductor;
import io.herald.server.cluster.ClusterImage;
import io.herald.server.cluster.IsrChange;
import io.herald.server.cluster.PartitionState;
import io.herald.server.cluster.TopicImage;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.metadata.TopicConfigs;
import io.herald.server.metrics.BrokerMetrics;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each cluster image into the roles of this broker's replicas: it opens the logs of partitions assigned here,
 * makes them leaders or followers in the image's epochs, starts and stops the {@link ReplicaFetcher}s (one per leader
 * broker), removes replicas no longer assigned here, and tells the {@link LeadershipListener}s (the group coordinator)
 * which partitions this broker starts or stops leading. A scheduled check shrinks ISRs of followers that lag more
 * than {@code replica.lag.time.max.ms}; expansions come from the fetch path ({@link #onFollowerFetch}).
 *
 * <p>Thread-safety: {@link #apply} runs on the cluster conductor's thread; the rest is thread-safe.
 */
public final class ReplicaManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);

    /** Told when this broker starts or stops leading a partition. */
    public interface LeadershipListener {
        void onBecomeLeader(TopicPartition tp);

        void onResign(TopicPartition tp);
    }

    /** Replication settings (the {@code replica.*} keys). */
    public record Settings(
            String interBrokerListener,
            long replicaLagMaxMs,
            int fetchMaxWaitMs,
            int fetchResponseMaxBytes,
            int fetchMaxBytes,
            long fetchBackoffMs,
            int socketTimeoutMs,
            int defaultMinInsyncReplicas,
            Map<String, Object> clientSecurity) {

        public Settings {
            clientSecurity = Map.copyOf(clientSecurity);
        }
    }

    private final int localId;
    private final PartitionManager partitions;
    private final ClusterConductor conductor;
    private final Settings settings;
    private final Clock clock;
    private final BrokerMetrics metrics;
    private final Map<Integer, ReplicaFetcher> fetchers = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Integer> fetchingFrom = new HashMap<>();
    private final Map<String, Map<String, String>> appliedConfigs = new HashMap<>();
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;

    public ReplicaManager(
            int localId,
            PartitionManager partitions,
            ClusterConductor conductor,
            Settings settings,
            Clock clock,
            BrokerMetrics metrics) {
        this.localId = localId;
        this.metrics = metrics;
        this.partitions = partitions;
        this.conductor = conductor;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-isr-check-" + localId);
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, settings.replicaLagMaxMs() / 4);
        scheduler.scheduleWithFixedDelay(this::checkLaggingFollowers, period, period, TimeUnit.MILLISECONDS);
    }

    public void addLeadershipListener(LeadershipListener l) {
        listeners.add(l);
    }

    /** Applies an image to this broker's replicas (on the conductor thread). */
    public void apply(ClusterImage image) {
        Set<TopicPartition> assigned = new HashSet<>();
        for (TopicImage topic : image.topics().values()) {
            applyConfigs(topic);
            int minIsr = minIsr(topic);
            for (int p = 0; p < topic.partitions().size(); p++) {
                PartitionState state = topic.partition(p);
                if (!state.replicas().contains(localId)) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), p);
                assigned.add(tp);
                try {
                    applyPartition(topic, p, tp, state, minIsr);
                } catch (IOException | RuntimeException e) {
                    log.error("Broker {}: applying {} to {} failed", localId, state, tp, e);
                }
            }
        }
        removeUnassigned(image, assigned);
    }

    private void applyConfigs(TopicImage topic) {
        if (!topic.configs().equals(appliedConfigs.get(topic.name()))) {
            partitions.logManager().setTopicConfig(topic.name(), topic.configs());
            appliedConfigs.put(topic.name(), topic.configs());
        }
    }

    private int minIsr(TopicImage topic) {
        String v = topic.configs().get(TopicConfigs.MIN_INSYNC_REPLICAS);
        return v == null ? settings.defaultMinInsyncReplicas() : Integer.parseInt(v.trim());
    }

    private void applyPartition(TopicImage topic, int p, TopicPartition tp, PartitionState state, int minIsr)
            throws IOException {
        Optional<Partition> existing = partitions.partition(tp);
        if (existing.isPresent() && !existing.get().topicId().equals(topic.id())) {
            drop(tp, existing.get()); // a deleted topic's replica, under a name created again
        }
        Partition part = partitions.getOrCreate(topic.info(), p);
        if (state.leader() == localId) {
            boolean wasLeader = part.isLeader();
            List<Integer> isrBefore = part.isr();
            boolean newTerm =
                    part.makeLeader(state.leaderEpoch(), state.partitionEpoch(), state.replicas(), state.isr(), minIsr);
            if (wasLeader && !newTerm) {
                countIsrChange(isrBefore, state.isr());
            }
            stopFetching(tp);
            if (newTerm) {
                if (wasLeader) {
                    listeners.forEach(l -> l.onResign(tp));
                }
                log.info("Broker {} leads {} in epoch {} (ISR {})", localId, tp, state.leaderEpoch(), state.isr());
                listeners.forEach(l -> l.onBecomeLeader(tp));
            }
        } else {
            boolean wasLeader = part.isLeader();
            boolean changed = part.makeFollower(
                    state.leader(), state.leaderEpoch(), state.partitionEpoch(), state.replicas(), state.isr());
            if (wasLeader) {
                listeners.forEach(l -> l.onResign(tp));
            }
            if (changed) {
                stopFetching(tp);
                if (state.hasLeader()) {
                    fetcher(state.leader()).add(part, state.leaderEpoch());
                    fetchingFrom.put(tp, state.leader());
                }
            }
        }
    }

    /** Counted where the change takes effect, so shrinks the controller made (a dead follower) count too. */
    private void countIsrChange(List<Integer> before, List<Integer> after) {
        if (!after.containsAll(before)) {
            metrics.isrShrunk();
        }
        if (!before.containsAll(after)) {
            metrics.isrExpanded();
        }
    }

    private void removeUnassigned(ClusterImage image, Set<TopicPartition> assigned) {
        for (Partition part : partitions.partitions()) {
            TopicPartition tp = part.topicPartition();
            if (!assigned.contains(tp)) {
                drop(tp, part);
            }
        }
        for (PartitionLog l : partitions.logManager().logs()) {
            TopicPartition tp = l.topicPartition();
            if (!assigned.contains(tp) && partitions.partition(tp).isEmpty()) {
                try {
                    log.info("Deleting log {}: not a replica here in image {}", tp, image.version());
                    partitions.logManager().deleteLog(tp);
                } catch (IOException e) {
                    log.warn("Deleting log {} failed: {}", tp, e.toString());
                }
            }
        }
        appliedConfigs.keySet().retainAll(image.topics().keySet());
    }

    private void drop(TopicPartition tp, Partition part) {
        stopFetching(tp);
        if (part.isLeader()) {
            listeners.forEach(l -> l.onResign(tp));
        }
        part.makeFollower(-1, part.leaderEpoch(), part.partitionEpoch(), List.of(), List.of());
        try {
            partitions.remove(tp);
            log.info("Broker {} removed its replica of {}", localId, tp);
        } catch (IOException e) {
            log.warn("Removing the replica of {} failed: {}", tp, e.toString());
        }
    }

    private void stopFetching(TopicPartition tp) {
        Integer from = fetchingFrom.remove(tp);
        if (from != null) {
            ReplicaFetcher f = fetchers.get(from);
            if (f != null) {
                f.remove(tp);
            }
        }
    }

    private ReplicaFetcher fetcher(int leader) {
        return fetchers.computeIfAbsent(
                leader,
                id -> new ReplicaFetcher(
                        id,
                        new ReplicaFetcher.Settings(
                                localId,
                                settings.interBrokerListener(),
                                settings.fetchMaxWaitMs(),
                                settings.fetchResponseMaxBytes(),
                                settings.fetchMaxBytes(),
                                settings.fetchBackoffMs(),
                                settings.socketTimeoutMs(),
                                partitions.producerExpirationMs(),
                                settings.clientSecurity()),
                        this::broker));
    }

    private Optional<BrokerNode> broker(int id) {
        return Optional.ofNullable(conductor.image().brokers().get(id)).map(b -> b.node());
    }

    // ---- ISR -----------------------------------------------------------------------------------------------------

    /** A follower fetched {@code tp} from {@code fetchOffset}: progress, high watermark, maybe an ISR expansion. */
    public void onFollowerFetch(Partition partition, int replicaId, long fetchOffset) {
        partition.recordFollowerFetch(replicaId, fetchOffset, clock.millis()).ifPresent(isr -> propose(partition, isr));
    }

    private void checkLaggingFollowers() {
        long now = clock.millis();
        for (Partition p : partitions.partitions()) {
            if (p.isLeader()) {
                try {
                    p.shrinkCandidate(now, settings.replicaLagMaxMs()).ifPresent(isr -> {
                        log.info(
                                "Broker {}: shrinking the ISR of {} from {} to {}",
                                localId,
                                p.topicPartition(),
                                p.isr(),
                                isr);
                        propose(p, isr);
                    });
                } catch (RuntimeException e) {
                    log.warn("ISR check of {} failed: {}", p.topicPartition(), e.toString());
                }
            }
        }
    }

    private void propose(Partition p, List<Integer> isr) {
        TopicPartition tp = p.topicPartition();
        conductor.proposeIsr(
                new IsrChange(tp.topic(), tp.partition(), localId, p.leaderEpoch(), p.partitionEpoch(), isr),
                written -> p.isrChangeDone());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        fetchers.values().forEach(ReplicaFetcher::close);
        fetchers.clear();
    }
}
