package io.herald.server.share;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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

    private final ShareGroupConfig broker;
    private final ShareStateWriter writer;
    private final Map<String, Map<String, String>> configs = new ConcurrentHashMap<>();
    /** When each group's configs were last written here or sent by another broker ({@link System#nanoTime}). */
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();

    ShareGroupConfigTable(ShareGroupConfig broker, ShareStateWriter writer) {
        this.broker = broker;
        this.writer = writer;
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
     * Writes {@code groupConfigs} of {@code group} to the state topic, waiting until that is done, and puts them in
     * force. A write that fails is made again, twice: the same value, and an ISR that shrank meanwhile is often back.
     *
     * @throws org.apache.kafka.common.errors.CoordinatorNotAvailableException if the third write failed too
     */
    void write(String group, Map<String, String> groupConfigs) {
        for (int attempt = 1; ; attempt++) {
            try {
                ShareStateWriter.await(writeOnce(group, groupConfigs));
                return;
            } catch (CoordinatorNotAvailableException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
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
