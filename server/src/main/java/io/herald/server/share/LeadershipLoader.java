package io.herald.server.share;

import io.herald.log.TopicPartition;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster: reads the share state of the partitions this broker newly leads from the replicated {@code
 * __share_group_state}, and remembers in which leader epoch each partition's state was read.
 *
 * <p>Design note: a broker that becomes leader of a partition continues its share partitions from the newest state
 * the previous leader wrote and replicated (acquired records come back available, with their delivery counts). The
 * read runs on its own thread, never on a request handler thread: it may wait for another broker, and handler threads
 * blocked on other brokers would stop serving the follower fetches replication needs. One read restores every
 * partition this broker leads and has not read in its current epoch, so a broker taking over many partitions reads
 * the state topic once; requests made before a read starts share it. A partition whose leadership changed during the
 * read is read again at its next request (a new leadership always has a new epoch).
 *
 * <p>Thread-safety: thread-safe; reads run one at a time on the loader thread.
 */
final class LeadershipLoader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeadershipLoader.class);

    /** Installs what a read found, atomically with respect to the share partitions it replaces. */
    @FunctionalInterface
    interface Restorer {
        /**
         * Replaces the share partitions of the partitions in {@code epochs} that this broker still leads in that
         * epoch with {@code state}, read from {@code readStartNanos} ({@link System#nanoTime}) on, marks them {@link
         * #loaded} and returns them.
         */
        Set<TopicPartition> restore(
                Map<TopicPartition, Integer> epochs, Map<ShareStateRecords.Key, byte[]> state, long readStartNanos);
    }

    private final ShareStateStore store;
    private final PartitionManager partitions;
    private final Restorer restorer;
    private final Consumer<TopicPartition> onRestored;
    private final Map<TopicPartition, Integer> loadedEpochs = new ConcurrentHashMap<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "herald-share-loader");
        t.setDaemon(true);
        return t;
    });
    /** The read requested and not started yet; guarded by {@code this}. */
    private CompletableFuture<Void> pending;

    /**
     * @param onRestored called with each partition whose state was read, after the read (to wake waiting fetches)
     */
    LeadershipLoader(
            ShareStateStore store,
            PartitionManager partitions,
            Restorer restorer,
            Consumer<TopicPartition> onRestored) {
        this.store = store;
        this.partitions = partitions;
        this.restorer = restorer;
        this.onRestored = onRestored;
    }

    /** Whether the share state of {@code partition} was read in its current leader epoch. */
    boolean isLoaded(Partition partition) {
        Integer loaded = loadedEpochs.get(partition.topicPartition());
        return loaded != null && loaded == partition.leaderEpoch();
    }

    /** Records that the state of {@code tp} was read in {@code leaderEpoch} (called by the {@link Restorer}). */
    void loaded(TopicPartition tp, int leaderEpoch) {
        loadedEpochs.put(tp, leaderEpoch);
    }

    /** Forgets that {@code tp} was read: this broker no longer leads it. */
    void forget(TopicPartition tp) {
        loadedEpochs.remove(tp);
    }

    /** Whether this broker leads a partition whose share state it has not read in its current epoch. */
    boolean hasUnread() {
        return partitions.partitions().stream().anyMatch(this::unread);
    }

    private boolean unread(Partition p) {
        return p.isLeader() && !isLoaded(p) && !p.topicPartition().topic().startsWith("__");
    }

    /**
     * Asks for a read of every partition this broker leads and has not read in its current epoch; the future
     * completes when that read is done, or fails with its error.
     */
    synchronized CompletableFuture<Void> request() {
        if (pending == null) {
            pending = new CompletableFuture<>();
            try {
                thread.execute(this::run);
            } catch (RejectedExecutionException e) {
                CompletableFuture<Void> failed = pending;
                pending = null;
                failed.completeExceptionally(new CoordinatorNotAvailableException("The broker is shutting down"));
                return failed;
            }
        }
        return pending;
    }

    private void run() {
        CompletableFuture<Void> done;
        synchronized (this) {
            done = pending;
            pending = null;
        }
        try {
            Map<TopicPartition, Integer> epochs = new HashMap<>();
            for (Partition p : partitions.partitions()) {
                if (unread(p)) {
                    epochs.put(p.topicPartition(), p.leaderEpoch());
                }
            }
            long readStart = System.nanoTime();
            Map<ShareStateRecords.Key, byte[]> state = store.loadReplicated();
            Set<TopicPartition> restored = restorer.restore(epochs, state, readStart);
            if (!restored.isEmpty()) {
                log.info(
                        "Read the share state of {} partitions this broker now leads from {}",
                        restored.size(),
                        ShareGroupConfig.STATE_TOPIC);
            }
            done.complete(null);
            restored.forEach(onRestored);
        } catch (IOException | RuntimeException e) {
            log.warn("Reading {} failed (the next request retries): {}", ShareGroupConfig.STATE_TOPIC, e.toString());
            done.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
