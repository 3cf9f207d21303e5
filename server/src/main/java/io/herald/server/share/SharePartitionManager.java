package io.herald.server.share;

import io.herald.log.TopicPartition;
import io.herald.server.metadata.TopicManager;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share partitions of every share group on this broker, the members' share sessions, the groups' configs, and the
 * timer that releases records whose acquisition lock ran out. A broker without a cluster reads {@code
 * __share_group_state} back at start. A broker in a cluster serves only the share partitions of the data partitions it
 * leads (Kafka's share-partition leader is the partition leader): it reads their state from the replicated state topic
 * when it first serves them in a leader epoch ({@link LeadershipLoader}) and drops them when it resigns ({@link
 * #onResign}); share sessions are per broker, as in Kafka, so a member opens one with each leader it fetches from.
 * Group configs written here, selectors set here and members the coordinator here removed reach the other brokers as
 * {@link ShareGroupNotices}.
 *
 * <p>Thread-safety: thread-safe. Each {@link SharePartition} serialises its own changes; the maps are concurrent.
 */
public final class SharePartitionManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharePartitionManager.class);

    private record Key(String group, TopicPartition tp) {}

    private record SessionKey(String group, String member) {}

    /**
     * How soon share state written without a sync (acquisitions, acknowledgements carried by ShareFetch) is synced
     * when nothing else syncs it first.
     */
    public static final long STATE_SYNC_INTERVAL_MS = 100;

    /** How long an administrative change (group configs, offsets reset, deletion) waits for its write. */
    static final long ADMIN_WRITE_TIMEOUT_MS = 60_000;

    private final ShareGroupConfig config;
    private final PartitionManager partitions;
    private final ShareStateStore store;
    private final ShareStateWriter writer;
    private final Clock clock;
    private final DeadLetterWriter deadLetters;
    private final ScheduledExecutorService timer;
    private final Map<Key, SharePartition> sharePartitions = new ConcurrentHashMap<>();
    private final Map<SessionKey, ShareSession> sessions = new ConcurrentHashMap<>();
    private final ShareGroupConfigTable groupConfigs;
    /** Changes of group configs, one group's at a time, off the threads that ask for them. */
    private final ShareGroupConfigChanges configChanges;

    private final ShareSelectors selectors = new ShareSelectors();
    private final List<Consumer<TopicPartition>> freedListeners = new CopyOnWriteArrayList<>();
    /** In a cluster: reads the share state of the partitions this broker newly leads. */
    private final LeadershipLoader loader;
    /** In a cluster: tells the other brokers of config, selector and member changes, and hears theirs. */
    private final Optional<ShareGroupNotices> notices;

    private SharePartitionManager(
            ShareGroupConfig config,
            TopicManager topics,
            PartitionManager partitions,
            Clock clock,
            Optional<ShareStateCluster> cluster) {
        this.config = config;
        this.partitions = partitions;
        this.clock = clock;
        this.store = new ShareStateStore(config, topics, partitions, clock, cluster.orElse(null));
        this.writer = new ShareStateWriter(store);
        this.deadLetters = new DeadLetterWriter(
                topics, partitions, clock, store.remote(), cluster.map(ShareStateCluster::replicationFactor));
        this.loader = new LeadershipLoader(store, partitions, this::restore, this::recordsFreed);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "herald-share-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        t.scheduleWithFixedDelay(
                () -> {
                    try {
                        writer.flush(true);
                    } catch (RuntimeException e) {
                        log.warn("Syncing {} failed: {}", ShareGroupConfig.STATE_TOPIC, e.toString());
                    }
                },
                STATE_SYNC_INTERVAL_MS,
                STATE_SYNC_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        this.groupConfigs = new ShareGroupConfigTable(config, writer, timer);
        this.configChanges = new ShareGroupConfigChanges(this::readGroupConfigs, this::writeGroupConfigs);
        this.notices = cluster.map(c -> ShareGroupNotices.over(c.notices(), timer, new NoticeReceiver()));
    }

    /**
     * Starts the manager of a broker without a cluster with the state found in {@code __share_group_state}.
     *
     * @throws IOException if the state topic cannot be read
     */
    public static SharePartitionManager start(
            ShareGroupConfig config, TopicManager topics, PartitionManager partitions, Clock clock) throws IOException {
        SharePartitionManager m = new SharePartitionManager(config, topics, partitions, clock, Optional.empty());
        m.load();
        return m;
    }

    /**
     * Starts the manager of a broker in a cluster: it leads nothing yet, so it reads no state now; the share
     * partitions of a data partition are read from the replicated state topic when this broker first serves them as
     * its leader (see {@link #sharePartition}).
     */
    public static SharePartitionManager startClustered(
            ShareGroupConfig config,
            TopicManager topics,
            PartitionManager partitions,
            Clock clock,
            ShareStateCluster cluster) {
        return new SharePartitionManager(config, topics, partitions, clock, Optional.of(cluster));
    }

    private synchronized void load() throws IOException {
        // a partition missing: its topic was deleted
        int restored = install(store.load(), partitions::partition, System.nanoTime());
        if (restored > 0 || groupConfigs.size() > 0) {
            log.info(
                    "Restored {} share partitions and the configs of {} share groups from {}",
                    restored,
                    groupConfigs.size(),
                    ShareGroupConfig.STATE_TOPIC);
        }
    }

    /**
     * Puts the group configs of {@code state}, read from {@code readStartNanos} on, in force (those of a group not
     * changed since) and installs its share partitions of the partitions {@code target} has; returns how many. The
     * caller holds the monitor.
     */
    private int install(
            Map<ShareStateRecords.Key, byte[]> state,
            java.util.function.Function<TopicPartition, Optional<Partition>> target,
            long readStartNanos) {
        int installed = 0;
        for (Map.Entry<ShareStateRecords.Key, byte[]> e : state.entrySet()) {
            if (e.getKey() instanceof ShareStateRecords.GroupConfigsKey k) {
                groupConfigs.restore(k.group(), ShareStateRecords.decodeConfigs(e.getValue()), readStartNanos);
            } else if (e.getKey() instanceof ShareStateRecords.PartitionKey k) {
                Optional<Partition> p = target.apply(new TopicPartition(k.topic(), k.partition()));
                if (p.isPresent()) {
                    sharePartitions.put(
                            new Key(k.group(), p.get().topicPartition()),
                            SharePartition.restore(
                                    k.group(),
                                    p.get(),
                                    () -> settings(k.group()),
                                    writer,
                                    this::onDeliveryLimit,
                                    ShareStateRecords.decodePartition(e.getValue())));
                    installed++;
                }
            }
        }
        return installed;
    }

    /** Whether this broker is one of a cluster, serving only the share partitions of data partitions it leads. */
    public boolean clustered() {
        return store.clustered();
    }

    public ShareGroupConfig config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    // ---- group configs ------------------------------------------------------------------------------------------

    /** The settings in force for {@code group}. */
    public ShareGroupConfigs.Settings settings(String group) {
        return groupConfigs.settings(group);
    }

    /** The configs set on {@code group} (not the defaults). */
    public Map<String, String> groupConfigs(String group) {
        return groupConfigs.configs(group);
    }

    /**
     * The configs set on {@code group} as the cluster has them now: in a cluster, read from the state topic (the
     * notice of the broker that changed them may not have come, or not yet) and put in force unless they changed
     * since the read began; else those this broker keeps. The read runs on a thread of its own, never the caller's.
     *
     * @return a future failing with {@link CoordinatorNotAvailableException} if the state topic cannot be read
     */
    public CompletableFuture<Map<String, String>> currentGroupConfigs(String group) {
        return configChanges.read(group);
    }

    /** {@link #currentGroupConfigs}, on the thread of {@link #configChanges}: it may wait for another broker. */
    private Map<String, String> readGroupConfigs(String group) {
        if (!store.clustered()) {
            return groupConfigs(group);
        }
        long readStart = System.nanoTime();
        Map<String, String> configs;
        try {
            configs = store.readReplicated(new ShareStateRecords.GroupConfigsKey(group))
                    .map(ShareStateRecords::decodeConfigs)
                    .orElse(Map.of());
        } catch (IOException e) {
            throw new CoordinatorNotAvailableException("Could not read " + ShareGroupConfig.STATE_TOPIC, e);
        }
        groupConfigs.restore(group, configs, readStart);
        return groupConfigs(group);
    }

    /**
     * Changes the configs of {@code group}: {@code change} gets them as the cluster has them now and returns the new
     * ones (or throws to refuse them); unless {@code validateOnly}, those are written, durably (replicated, in a
     * cluster), put in force here and then on the other brokers. Changes of one group are made one after the other
     * (see {@link ShareGroupConfigChanges}); the caller's thread never waits for the write.
     *
     * @return completes once the new configs are durable; fails with what {@code change} threw, or {@link
     *     CoordinatorNotAvailableException} if the state topic could not be read or written
     */
    public CompletableFuture<Void> changeGroupConfigs(
            String group, UnaryOperator<Map<String, String>> change, boolean validateOnly) {
        return configChanges.change(group, change, validateOnly);
    }

    /** Writes {@code configs} of {@code group} and, once they are durable, tells the other brokers. */
    private CompletableFuture<Void> writeGroupConfigs(String group, Map<String, String> configs) {
        return groupConfigs
                .write(group, configs)
                .thenRun(() -> notices.ifPresent(n -> n.configsChanged(group, configs)));
    }

    // ---- message selectors (Herald extension, not persisted) ----------------------------------------------------

    /** The selector of the member of {@code group} whose requests carry client id {@code clientId}, if it has one. */
    public Optional<io.herald.server.queue.MessageSelector> selector(String group, String clientId) {
        return selectors.selector(group, clientId);
    }

    /** Sets (or, empty, removes) the selector of {@code group}'s member with {@code clientId}, on every broker. */
    void setSelector(String group, String clientId, Optional<String> selector) {
        selectors.set(group, clientId, selector);
        notices.ifPresent(n -> n.selectorChanged(group, clientId, selector));
    }

    /** Applies what the other brokers send: their group configs, departed members and selectors. */
    private final class NoticeReceiver implements ShareGroupNotices.Receiver {
        @Override
        public void configsChanged(String group, Map<String, String> configs) {
            groupConfigs.put(group, configs);
        }

        @Override
        public void memberLeft(String group, String member) {
            releaseMember(group, member);
        }

        @Override
        public void selectorChanged(String group, String clientId, Optional<String> selector) {
            selectors.set(group, clientId, selector);
        }
    }

    // ---- share partitions ---------------------------------------------------------------------------------------

    /**
     * The share partition of {@code group} on {@code partition}, initialized on first use (the initial state is marked
     * for the next {@link #flushState}). In a cluster, empty while this broker, new leader of the partition, is still
     * reading its share state (see {@link LeadershipLoader}): the caller answers as if nothing were available, and the
     * fetches waiting on the partition wake when the state is there.
     *
     * @throws NotLeaderOrFollowerException in a cluster, if this broker does not lead {@code partition}
     */
    public Optional<SharePartition> servedSharePartition(String group, Partition partition) {
        if (store.clustered()) {
            requireLeader(partition);
            if (!loader.isLoaded(partition)) {
                loader.request();
                return Optional.empty();
            }
        }
        return Optional.of(loadedSharePartition(group, partition));
    }

    /**
     * As {@link #servedSharePartition}, waiting for the share state to be read (for administrative requests).
     *
     * @throws CoordinatorNotAvailableException if the state cannot be read in time
     */
    public SharePartition sharePartition(String group, Partition partition) {
        if (store.clustered()) {
            requireLeader(partition);
            if (!loader.isLoaded(partition)) {
                ShareStateWriter.await(loader.request());
                if (!loader.isLoaded(partition)) {
                    throw new CoordinatorNotAvailableException(
                            "The share state of " + partition.topicPartition() + " is not read yet");
                }
            }
        }
        return loadedSharePartition(group, partition);
    }

    /**
     * In a cluster, waits until the share state of every partition this broker leads is read, for an administrative
     * request answered from this broker's share partitions; never call it on a request handler thread (the read may
     * wait for another broker's).
     *
     * @throws CoordinatorNotAvailableException if the state cannot be read in time
     */
    public void readUnread() {
        if (store.clustered() && loader.hasUnread()) {
            ShareStateWriter.await(loader.request());
        }
    }

    private static void requireLeader(Partition partition) {
        if (!partition.isLeader()) {
            throw new NotLeaderOrFollowerException("Broker " + partition.localId() + " does not lead "
                    + partition.topicPartition()
                    + (partition.leaderId() >= 0 ? "; broker " + partition.leaderId() + " does" : ""));
        }
    }

    private SharePartition loadedSharePartition(String group, Partition partition) {
        Key key = new Key(group, partition.topicPartition());
        SharePartition sp = sharePartitions.get(key);
        if (sp != null && sp.partition() == partition) {
            return sp;
        }
        synchronized (this) {
            sp = sharePartitions.get(key);
            if (sp != null && sp.partition() == partition) {
                return sp;
            }
            try {
                sp = SharePartition.initialize(
                        group, partition, () -> settings(group), writer, this::onDeliveryLimit, clock.millis());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sharePartitions.put(key, sp);
            return sp;
        }
    }

    /** The {@link LeadershipLoader.Restorer}: installs the share partitions a read found. */
    private synchronized Set<TopicPartition> restore(
            Map<TopicPartition, Integer> epochs, Map<ShareStateRecords.Key, byte[]> state, long readStartNanos) {
        Map<TopicPartition, Partition> targets = new HashMap<>();
        epochs.forEach((tp, epoch) -> partitions
                .partition(tp)
                .filter(p -> p.isLeader() && p.leaderEpoch() == epoch)
                .ifPresent(p -> targets.put(tp, p)));
        sharePartitions.keySet().removeIf(k -> targets.containsKey(k.tp()));
        install(state, tp -> Optional.ofNullable(targets.get(tp)), readStartNanos);
        targets.keySet().forEach(tp -> loader.loaded(tp, epochs.get(tp)));
        return targets.keySet();
    }

    /**
     * This broker no longer leads {@code tp}: its share partitions are dropped (the new leader continues from the
     * replicated state) and nothing more is written for them.
     */
    public void onResign(TopicPartition tp) {
        synchronized (this) {
            loader.forget(tp);
            sharePartitions.keySet().removeIf(k -> k.tp().equals(tp));
        }
    }

    /**
     * Initializes the share partitions of an assignment that have no state yet, so that a group starting at the log
     * end starts where the log ended when its member joined, not when it first fetched (a JMS durable subscription
     * exists from its creation on).
     */
    void initialize(String group, Map<org.apache.kafka.common.Uuid, java.util.Set<Integer>> assignment) {
        assignment.forEach((topicId, parts) -> partitions
                .metadata()
                .topic(topicId)
                .ifPresent(t -> parts.forEach(p -> partitions
                        .partition(new TopicPartition(t.name(), p))
                        .filter(partition -> !store.clustered() || partition.isLeader())
                        .ifPresent(partition -> initializeServed(group, partition)))));
        flushState(); // not waited for: a start that is lost is taken again at the next fetch
    }

    private void initializeServed(String group, Partition partition) {
        try {
            servedSharePartition(group, partition);
        } catch (NotLeaderOrFollowerException e) {
            // leadership moved meanwhile: the new leader initializes it at its first fetch
        }
    }

    /**
     * Writes every share-state change made so far and makes it durable (group commit, see {@link ShareStateWriter}). A
     * request whose client waits for the outcome of its changes (ShareAcknowledge) calls this before it is answered.
     */
    public CompletableFuture<Void> flushState() {
        return writer.flush(true);
    }

    /**
     * Writes every share-state change made so far without waiting for the fsync, which follows within {@link
     * #STATE_SYNC_INTERVAL_MS} (see {@link ShareStateWriter#flush}). ShareFetch calls this before it is answered.
     */
    public CompletableFuture<Void> writeState() {
        return writer.flush(false);
    }

    /** Group-commit counters: appends to the state topic, and share-partition states they carried. */
    public long[] stateWriteCounts() {
        return new long[] {writer.writes(), writer.statesWritten()};
    }

    Optional<SharePartition> existing(String group, TopicPartition tp) {
        return Optional.ofNullable(sharePartitions.get(new Key(group, tp)));
    }

    /** The share partitions of {@code group}. */
    List<SharePartition> partitionsOf(String group) {
        List<SharePartition> out = new ArrayList<>();
        sharePartitions.forEach((k, sp) -> {
            if (k.group().equals(group)) {
                out.add(sp);
            }
        });
        return out;
    }

    /** A snapshot of every share partition of every group (read-only, for the administration API). */
    public List<SharePartitionView> views() {
        List<SharePartitionView> out = new ArrayList<>();
        sharePartitions.values().forEach(sp -> out.add(sp.view()));
        return out;
    }

    /** Whether any share partition of {@code group} exists. */
    public boolean hasState(String group) {
        return sharePartitions.keySet().stream().anyMatch(k -> k.group().equals(group));
    }

    /**
     * Starts {@code group} over at {@code offset} on {@code partition}, durably (AlterShareGroupOffsets); the caller
     * made sure the group has no members. It waits for the write: never call it on a request handler thread in a
     * cluster.
     *
     * @return false if this broker has no such partition
     * @throws IllegalArgumentException if the offset is outside the log
     */
    public boolean resetStartOffset(String group, TopicPartition tp, long offset) {
        Optional<Partition> partition = partitions.partition(tp);
        if (partition.isEmpty()) {
            return false;
        }
        sharePartition(group, partition.get()).resetTo(offset);
        ShareStateWriter.await(flushState());
        return true;
    }

    /**
     * Forgets every share partition and config of {@code group}, durably (DeleteGroups). It waits for the writes:
     * never call it on a request handler thread in a cluster.
     */
    public void deleteState(String group) {
        List<CompletableFuture<Void>> written = new ArrayList<>();
        synchronized (this) {
            for (SharePartition sp : partitionsOf(group)) {
                written.add(writer.writeNow(sp.stateKey(), null, sp));
                sharePartitions.remove(new Key(group, sp.topicPartition()));
            }
        }
        written.forEach(ShareStateWriter::await);
        if (groupConfigs.has(group)) {
            ShareStateWriter.await(changeGroupConfigs(group, configs -> Map.of(), false));
        }
    }

    /**
     * The coordinator removed {@code member} from {@code group} (it left, or its session timed out): what it acquired
     * here is released, and on the other brokers too.
     */
    void memberLeft(String group, String member) {
        releaseMember(group, member);
        notices.ifPresent(n -> n.memberLeft(group, member));
    }

    /** Releases the records acquired by {@code member} of {@code group} and closes its session. */
    public void releaseMember(String group, String member) {
        sessions.remove(new SessionKey(group, member));
        List<SharePartition> released = new ArrayList<>();
        for (SharePartition sp : partitionsOf(group)) {
            if (sp.releaseMember(member) > 0) {
                released.add(sp);
            }
        }
        flushState();
        released.forEach(sp -> recordsFreed(sp.topicPartition()));
    }

    /**
     * Calls {@code listener} with a partition when a member acknowledged or released records of one of its share
     * partitions (so records may have become acquirable without an append); not when a lock timed out. The broker wires the waiting share
     * fetches to it, so a competing consumer waiting on a full window wakes when another one acknowledges instead of
     * when its MaxWaitMs runs out.
     */
    public void addFreedListener(Consumer<TopicPartition> listener) {
        freedListeners.add(listener);
    }

    void recordsFreed(TopicPartition tp) {
        for (Consumer<TopicPartition> l : freedListeners) {
            try {
                l.accept(tp);
            } catch (RuntimeException e) {
                log.warn("Waking the share fetches of {} failed: {}", tp, e.toString());
            }
        }
    }

    /** Releases, after the group's lock duration, what {@code sp} acquired now and was not acknowledged. */
    void scheduleLockExpiry(SharePartition sp, long delayMs) {
        try {
            timer.schedule(
                    () -> {
                        try {
                            if (sp.expireLocks(clock.millis()) > 0) {
                                // No wake-up here: the fetches waiting longest would be served first, and those
                                // are often the background fetch of the very consumer whose lock ran out.
                                flushState();
                            }
                        } catch (RuntimeException e) {
                            log.warn("Releasing timed-out records of {} failed: {}", sp.topicPartition(), e.toString());
                        }
                    },
                    delayMs + 1,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the records come back available at the next start
        }
    }

    private void onDeliveryLimit(SharePartition sp, List<Long> offsets) {
        ShareGroupConfigs.Settings s = settings(sp.group());
        if (!s.deadLetterTopic().isEmpty()) {
            deadLetters.write(sp, offsets, s);
        }
    }

    // ---- share sessions -----------------------------------------------------------------------------------------

    /** Opens a new session for {@code member}, replacing its previous one. */
    public ShareSession openSession(String group, String member) {
        ShareSession s = new ShareSession(group, member);
        sessions.put(new SessionKey(group, member), s);
        return s;
    }

    public Optional<ShareSession> session(String group, String member) {
        return Optional.ofNullable(sessions.get(new SessionKey(group, member)));
    }

    /** Closes the session of {@code member} and releases what it holds. */
    public void closeSession(String group, String member) {
        releaseMember(group, member);
    }

    @Override
    public void close() {
        loader.close();
        configChanges.close();
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
