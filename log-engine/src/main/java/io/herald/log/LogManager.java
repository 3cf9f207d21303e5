package io.herald.log;

import io.herald.log.io.Storage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All partition logs of a broker's data directories: opens them in parallel at start (recovering those a crash left
 * unflushed), creates and deletes them, holds each topic's configuration, and runs the background work: retention,
 * time-based flushes, checkpoints and compaction.
 *
 * <p>Each data directory holds one directory per partition, a {@value #LOCK_FILE} that one process at a time may hold,
 * the {@value #RECOVERY_POINT_CHECKPOINT} and {@value #LOG_START_OFFSET_CHECKPOINT} files ({@link OffsetCheckpoint}),
 * and, between a clean stop and the next start, the {@value #CLEAN_SHUTDOWN_FILE} marker.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class LogManager implements Closeable {

    static final String LOCK_FILE = ".lock";
    static final String CLEAN_SHUTDOWN_FILE = ".herald-clean-shutdown";
    static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    static final String LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";
    static final String DELETE_DIR_SUFFIX = "-delete";

    private static final Logger log = LoggerFactory.getLogger(LogManager.class);

    private final LogManagerConfig config;
    private final Storage storage;
    private final LogEnvironment env;
    private final ThreadScheduler scheduler;
    private final List<Closeable> locks = new ArrayList<>();
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, String> offline = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> topicOverrides = new ConcurrentHashMap<>();
    private final Object checkpointLock = new Object();
    private volatile ToLongFunction<TopicPartition> retentionLimit = tp -> Long.MAX_VALUE;
    private volatile LogConfig topicDefaults;
    private LogCleaner cleaner;
    private volatile boolean closed;

    private LogManager(LogManagerConfig config, Storage storage, Clock clock) {
        this.config = config;
        this.storage = storage;
        this.topicDefaults = config.topicDefaults();
        this.scheduler = new ThreadScheduler("herald-log-scheduler", 2);
        this.env = new LogEnvironment(storage, clock, scheduler, GroupCommit.start("herald-group-commit"));
    }

    /**
     * Opens every data directory: takes its lock, opens its partitions and starts the background work.
     *
     * @throws io.herald.log.io.DirectoryLockedException if another process holds a directory
     * @throws CorruptLogException if a directory holds something that is not a partition
     */
    public static LogManager open(LogManagerConfig config, Storage storage, Clock clock) throws IOException {
        return open(config, storage, clock, Map.of());
    }

    /**
     * Opens the data directories with each topic's configuration overrides known from the start, so partitions open
     * with the settings they will run with.
     */
    public static LogManager open(
            LogManagerConfig config, Storage storage, Clock clock, Map<String, Map<String, String>> topicOverrides)
            throws IOException {
        LogManager manager = new LogManager(config, storage, clock);
        topicOverrides.forEach((topic, overrides) -> {
            config.topicDefaults().with(overrides); // validates
            manager.topicOverrides.put(topic, Map.copyOf(overrides));
        });
        try {
            manager.start();
            return manager;
        } catch (IOException | RuntimeException e) {
            manager.abort();
            throw e;
        }
    }

    private void start() throws IOException {
        Map<Path, Boolean> clean = new LinkedHashMap<>();
        for (Path dir : config.logDirs()) {
            storage.createDirectories(dir);
            locks.add(storage.lock(dir.resolve(LOCK_FILE)));
            clean.put(dir, storage.exists(dir.resolve(CLEAN_SHUTDOWN_FILE)));
        }
        for (Path dir : config.logDirs()) {
            loadDir(dir, clean.get(dir));
        }
        for (Path dir : config.logDirs()) {
            // Only now: a crash while loading must make the next start recover again.
            storage.delete(dir.resolve(CLEAN_SHUTDOWN_FILE));
            storage.syncDirectory(dir);
        }
        checkpoint();
        scheduler.schedulePeriodically("log-retention", this::runRetention, config.retentionCheckIntervalMs());
        scheduler.schedulePeriodically("log-flusher", this::flushDueLogs, config.flushCheckIntervalMs());
        scheduler.schedulePeriodically("log-checkpoint", this::checkpointQuietly, config.checkpointIntervalMs());
        if (config.cleanerEnabled()) {
            cleaner = LogCleaner.start(this, config);
        }
    }

    private void loadDir(Path dir, boolean cleanShutdown) throws IOException {
        Map<TopicPartition, Long> recoveryPoints =
                OffsetCheckpoint.read(storage, dir.resolve(RECOVERY_POINT_CHECKPOINT));
        Map<TopicPartition, Long> startOffsets =
                OffsetCheckpoint.read(storage, dir.resolve(LOG_START_OFFSET_CHECKPOINT));
        List<Path> partitionDirs = new ArrayList<>();
        for (Path child : storage.list(dir)) {
            String name = child.getFileName().toString();
            if (!storage.isDirectory(child) || name.startsWith(".") || name.equals("lost+found")) {
                continue;
            }
            if (name.endsWith(DELETE_DIR_SUFFIX)) {
                log.info("Finishing the deletion of {}", child);
                storage.deleteRecursively(child);
                continue;
            }
            try {
                TopicPartition.parse(name);
            } catch (IllegalArgumentException e) {
                throw new CorruptLogException("Unexpected directory " + child + " in data directory " + dir + ": "
                        + e.getMessage() + "; move it out of the data directory");
            }
            partitionDirs.add(child);
        }
        if (partitionDirs.isEmpty()) {
            log.info("No partitions in {} yet", dir);
        } else {
            log.info(
                    "Opening {} partitions in {} ({} shutdown)",
                    partitionDirs.size(),
                    dir,
                    cleanShutdown ? "after a clean" : "after an unclean");
        }
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(config.recoveryThreadsPerDir(), Math.max(1, partitionDirs.size())), r -> {
                    Thread t = new Thread(r, "herald-log-recovery");
                    t.setDaemon(true);
                    return t;
                });
        try {
            Map<TopicPartition, Future<PartitionLog>> opening = new HashMap<>();
            for (Path child : partitionDirs) {
                TopicPartition tp = TopicPartition.parse(child.getFileName().toString());
                long recoveryPoint = recoveryPoints.getOrDefault(tp, 0L);
                long startOffset = startOffsets.getOrDefault(tp, 0L);
                opening.put(
                        tp,
                        pool.submit(() -> PartitionLog.open(
                                env, child, tp, topicConfig(tp.topic()), recoveryPoint, startOffset, cleanShutdown)));
            }
            for (Map.Entry<TopicPartition, Future<PartitionLog>> e : opening.entrySet()) {
                try {
                    logs.put(e.getKey(), e.getValue().get());
                } catch (ExecutionException ex) {
                    String reason = String.valueOf(ex.getCause().getMessage());
                    log.error("Partition {} in {} is offline: {}", e.getKey(), dir, reason, ex.getCause());
                    offline.put(e.getKey(), reason);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while opening " + dir, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The log of {@code tp}, creating it (empty, in the data directory with the fewest partitions) if needed. */
    public PartitionLog getOrCreateLog(TopicPartition tp) throws IOException {
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            return existing;
        }
        synchronized (logs) {
            existing = logs.get(tp);
            if (existing != null) {
                return existing;
            }
            if (offline.containsKey(tp)) {
                throw new IOException("Partition " + tp + " is offline: " + offline.get(tp));
            }
            Path dir = leastLoadedDir().resolve(tp.dirName());
            PartitionLog created = PartitionLog.open(env, dir, tp, topicConfig(tp.topic()), 0, 0, true);
            logs.put(tp, created);
            // A configuration change that ran while the log was opening did not see it: apply what is now in force.
            created.updateConfig(topicConfig(tp.topic()));
            log.info("Created log for {} in {}", tp, dir);
            return created;
        }
    }

    private Path leastLoadedDir() {
        Map<Path, Integer> counts = new HashMap<>();
        config.logDirs().forEach(d -> counts.put(d, 0));
        for (PartitionLog l : logs.values()) {
            counts.computeIfPresent(l.dir().getParent(), (k, v) -> v + 1);
        }
        return config.logDirs().stream()
                .min((a, b) -> Integer.compare(counts.get(a), counts.get(b)))
                .orElseThrow();
    }

    public Optional<PartitionLog> log(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    public Collection<PartitionLog> logs() {
        return List.copyOf(logs.values());
    }

    /** Partitions that could not be opened, with the reason. */
    public Map<TopicPartition, String> offlinePartitions() {
        return Map.copyOf(offline);
    }

    /** Deletes the partition's log and its directory; does nothing if there is none. */
    public void deleteLog(TopicPartition tp) throws IOException {
        PartitionLog removed;
        synchronized (logs) {
            removed = logs.remove(tp);
            offline.remove(tp);
        }
        if (removed != null) {
            if (cleaner != null) {
                cleaner.abortAndWait(removed);
            }
            removed.delete();
            log.info("Deleted log for {}", tp);
        }
    }

    /**
     * Sets a topic's configuration overrides (replacing earlier ones) and applies them to its partitions.
     *
     * @throws IllegalArgumentException naming the key if a value is invalid; nothing changes then
     */
    public void setTopicConfig(String topic, Map<String, String> overrides) {
        synchronized (topicOverrides) {
            LogConfig resolved = topicDefaults.with(overrides);
            topicOverrides.put(topic, Map.copyOf(overrides));
            for (PartitionLog l : logs.values()) {
                if (l.topicPartition().topic().equals(topic)) {
                    l.updateConfig(resolved);
                }
            }
        }
    }

    /**
     * Replaces the configuration of topics that set nothing themselves (the broker's dynamic {@code log.*} defaults)
     * and applies it at once to every log, each with its topic's overrides on top. Overrides that the new defaults make
     * invalid cannot exist: overrides are validated on their own, not against the defaults.
     */
    public void setTopicDefaults(LogConfig defaults) {
        synchronized (topicOverrides) {
            this.topicDefaults = defaults;
            for (PartitionLog l : logs.values()) {
                l.updateConfig(topicConfig(l.topicPartition().topic()));
            }
        }
    }

    /** The configuration of a topic that sets nothing itself. */
    public LogConfig topicDefaults() {
        return topicDefaults;
    }

    /** The configuration in force for {@code topic}: the defaults with its overrides. */
    public LogConfig topicConfig(String topic) {
        return topicDefaults.with(topicOverrides.getOrDefault(topic, Map.of()));
    }

    /**
     * Sets the offset below which retention may delete a partition's data (the high watermark, once replication
     * exists); by default everything may go.
     */
    public void setRetentionLimit(ToLongFunction<TopicPartition> limit) {
        this.retentionLimit = limit;
    }

    long retentionLimit(TopicPartition tp) {
        return retentionLimit.applyAsLong(tp);
    }

    /** One retention pass over every log; returns the number of segments deleted. */
    public int runRetention() {
        int deleted = 0;
        for (PartitionLog l : logs.values()) {
            try {
                deleted += l.deleteOldSegments(retentionLimit.applyAsLong(l.topicPartition()));
            } catch (IOException e) {
                log.error("Retention of {} failed", l.topicPartition(), e);
            }
        }
        return deleted;
    }

    /** Flushes the logs whose {@code flush.ms} has passed. */
    public void flushDueLogs() {
        long now = env.clock().millis();
        for (PartitionLog l : logs.values()) {
            try {
                l.flushIfDue(now);
            } catch (IOException e) {
                log.error("Flush of {} failed", l.topicPartition(), e);
            }
        }
    }

    /** Writes the recovery points and log start offsets of every data directory. */
    public void checkpoint() throws IOException {
        synchronized (checkpointLock) {
            for (Path dir : config.logDirs()) {
                Map<TopicPartition, Long> recoveryPoints = new HashMap<>();
                Map<TopicPartition, Long> startOffsets = new HashMap<>();
                for (PartitionLog l : logs.values()) {
                    if (l.dir().getParent().equals(dir)) {
                        recoveryPoints.put(l.topicPartition(), l.recoveryPoint());
                        startOffsets.put(l.topicPartition(), l.logStartOffset());
                    }
                }
                OffsetCheckpoint.write(storage, dir.resolve(RECOVERY_POINT_CHECKPOINT), recoveryPoints);
                OffsetCheckpoint.write(storage, dir.resolve(LOG_START_OFFSET_CHECKPOINT), startOffsets);
            }
        }
    }

    private void checkpointQuietly() {
        try {
            checkpoint();
        } catch (IOException e) {
            log.error("Writing checkpoints failed", e);
        }
    }

    public LogEnvironment environment() {
        return env;
    }

    /** The compactor, if {@code log.cleaner.enable}. */
    public Optional<LogCleaner> cleaner() {
        return Optional.ofNullable(cleaner);
    }

    /**
     * Stops the background work, flushes and closes every log, writes the checkpoints and then the clean-shutdown
     * marker, and releases the directory locks.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            if (cleaner != null) {
                cleaner.close();
            }
            scheduler.close();
            env.groupCommit().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IOException("Interrupted while stopping the log's background threads", e);
        }
        for (PartitionLog l : logs.values()) {
            try {
                l.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure == null) {
            try {
                checkpoint();
                for (Path dir : config.logDirs()) {
                    storage.writeAtomically(dir.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
                }
            } catch (IOException e) {
                failure = e;
            }
        }
        releaseLocks();
        if (failure != null) {
            throw failure;
        }
    }

    /** Releases what a failed start took, without claiming a clean shutdown. */
    private void abort() {
        try {
            if (cleaner != null) {
                cleaner.close();
            }
            scheduler.close();
            env.groupCommit().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (PartitionLog l : logs.values()) {
            try {
                l.close();
            } catch (IOException e) {
                log.warn("Closing {} failed: {}", l.topicPartition(), e.toString());
            }
        }
        releaseLocks();
    }

    private void releaseLocks() {
        for (Closeable lock : locks) {
            try {
                lock.close();
            } catch (IOException e) {
                log.warn("Releasing a directory lock failed: {}", e.toString());
            }
        }
        locks.clear();
    }
}
