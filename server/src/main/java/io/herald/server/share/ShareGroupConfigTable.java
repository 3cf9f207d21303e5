package io.herald.server.share;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;

/**
 * The configs set on each share group as this broker knows them: read from {@code __share_group_state} at start (or,
 * in a cluster, with the state of partitions it newly leads), written there by IncrementalAlterConfigs, and put in
 * force from another broker's notice ({@link ShareGroupNotices}).
 *
 * <p>Design note: a read of the state topic may take a while, and a change may be written or sent meanwhile; what a
 * read found is put in force only for groups not changed since it began, so that it cannot put older configs back.
 *
 * <p>Thread-safety: thread-safe; a write and its put are atomic with respect to other writes.
 */
final class ShareGroupConfigTable {

    /** Writes of a group's configs made before one is given up. */
    private static final int ATTEMPTS = 3;

    private final ShareGroupConfig broker;
    private final ShareStateWriter writer;
    private final Executor retries;
    private final Map<String, Map<String, String>> configs = new ConcurrentHashMap<>();
    /** When each group's configs were last written here or sent by another broker ({@link System#nanoTime}). */
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();

    /** @param retries where a failed write is made again (not the thread that saw it fail: it may serve fetches) */
    ShareGroupConfigTable(ShareGroupConfig broker, ShareStateWriter writer, Executor retries) {
        this.broker = broker;
        this.writer = writer;
        this.retries = retries;
    }

    /** The settings in force for {@code group}. */
    ShareGroupConfigs.Settings settings(String group) {
        return ShareGroupConfigs.settings(broker, configs.getOrDefault(group, Map.of()));
    }

    /** The configs set on {@code group} (not the defaults). */
    Map<String, String> configs(String group) {
        return Map.copyOf(configs.getOrDefault(group, Map.of()));
    }

    boolean has(String group) {
        return configs.containsKey(group);
    }

    int size() {
        return configs.size();
    }

    /** Puts {@code groupConfigs}, which another broker sent, in force for {@code group}. */
    void put(String group, Map<String, String> groupConfigs) {
        changedAt.put(group, System.nanoTime());
        inForce(group, groupConfigs);
    }

    /**
     * Puts {@code groupConfigs}, read from the state topic by a read that began at {@code readStartNanos}, in force for
     * {@code group} unless they were changed since.
     */
    void restore(String group, Map<String, String> groupConfigs, long readStartNanos) {
        Long changed = changedAt.get(group);
        if (changed == null || changed - readStartNanos < 0) {
            inForce(group, groupConfigs);
        }
    }

    private void inForce(String group, Map<String, String> groupConfigs) {
        if (groupConfigs.isEmpty()) {
            configs.remove(group);
        } else {
            configs.put(group, Map.copyOf(groupConfigs));
        }
    }

    /**
     * Writes {@code groupConfigs} of {@code group} to the state topic and puts them in force; the future completes
     * once the write is replicated. A write that fails is made again, twice, from {@code retries}: the same value, and
     * an ISR that shrank meanwhile is often back. No thread waits for any of it.
     *
     * @return a future failing with {@link CoordinatorNotAvailableException} if the third write failed too (or with
     *     what the last one failed with, if that is another {@link ApiException})
     */
    CompletableFuture<Void> write(String group, Map<String, String> groupConfigs) {
        return attempt(group, groupConfigs, 1);
    }

    private CompletableFuture<Void> attempt(String group, Map<String, String> groupConfigs, int attempt) {
        CompletableFuture<Void> written;
        try {
            // a copy: the writer's future is shared with every write it covers, which this timeout must not fail
            written = writeOnce(group, groupConfigs)
                    .copy()
                    .orTimeout(SharePartitionManager.ADMIN_WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.exceptionallyCompose(e -> {
            RuntimeException failure = ShareStateWriter.failure(e);
            if (!(failure instanceof CoordinatorNotAvailableException) || attempt == ATTEMPTS) {
                return CompletableFuture.failedFuture(failure);
            }
            return CompletableFuture.supplyAsync(() -> group, retries)
                    .thenCompose(g -> attempt(g, groupConfigs, attempt + 1));
        });
    }

    private synchronized CompletableFuture<Void> writeOnce(String group, Map<String, String> groupConfigs) {
        CompletableFuture<Void> written = writer.writeNow(
                new ShareStateRecords.GroupConfigsKey(group),
                groupConfigs.isEmpty() ? null : ShareStateRecords.configsValue(groupConfigs),
                null);
        put(group, groupConfigs);
        return written;
    }
}
