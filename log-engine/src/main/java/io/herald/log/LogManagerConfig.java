package io.herald.log;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link LogManager}, the engine's part of {@code server.properties}. Key names are Kafka's.
 *
 * <p>Thread-safety: immutable.
 *
 * @param logDirs the data directories ({@code log.dirs})
 * @param topicDefaults the configuration of a topic that sets nothing itself
 * @param recoveryThreadsPerDir threads that open partitions in parallel at start
 *     ({@code num.recovery.threads.per.data.dir})
 * @param retentionCheckIntervalMs time between retention passes ({@code log.retention.check.interval.ms})
 * @param flushCheckIntervalMs time between checks of {@code flush.ms} ({@code log.flush.scheduler.interval.ms})
 * @param checkpointIntervalMs time between writes of the recovery-point and log-start-offset checkpoints
 *     ({@code log.flush.offset.checkpoint.interval.ms})
 * @param cleanerEnabled whether compacted topics are cleaned ({@code log.cleaner.enable})
 * @param cleanerThreads cleaner threads ({@code log.cleaner.threads})
 * @param cleanerBackoffMs sleep of a cleaner thread that found nothing to clean ({@code log.cleaner.backoff.ms})
 * @param cleanerDedupeBufferBytes memory for the key-to-offset maps of all cleaner threads
 *     ({@code log.cleaner.dedupe.buffer.size})
 */
public record LogManagerConfig(
        List<Path> logDirs,
        LogConfig topicDefaults,
        int recoveryThreadsPerDir,
        long retentionCheckIntervalMs,
        long flushCheckIntervalMs,
        long checkpointIntervalMs,
        boolean cleanerEnabled,
        int cleanerThreads,
        long cleanerBackoffMs,
        long cleanerDedupeBufferBytes) {

    public LogManagerConfig {
        logDirs = List.copyOf(logDirs);
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("At least one log directory is needed");
        }
        Objects.requireNonNull(topicDefaults, "topicDefaults");
        if (recoveryThreadsPerDir < 1 || cleanerThreads < 1) {
            throw new IllegalArgumentException("Thread counts must be at least 1");
        }
    }

    /** Kafka's defaults for the given directories. */
    public static LogManagerConfig defaults(List<Path> logDirs) {
        return new LogManagerConfig(
                logDirs,
                LogConfig.defaults(),
                Math.max(1, Runtime.getRuntime().availableProcessors()),
                300_000,
                1_000,
                60_000,
                true,
                1,
                15_000,
                128L * 1024 * 1024);
    }

    public LogManagerConfig withTopicDefaults(LogConfig defaults) {
        return new LogManagerConfig(
                logDirs,
                defaults,
                recoveryThreadsPerDir,
                retentionCheckIntervalMs,
                flushCheckIntervalMs,
                checkpointIntervalMs,
                cleanerEnabled,
                cleanerThreads,
                cleanerBackoffMs,
                cleanerDedupeBufferBytes);
    }

    public LogManagerConfig withCleaner(boolean enabled, long backoffMs) {
        return new LogManagerConfig(
                logDirs,
                topicDefaults,
                recoveryThreadsPerDir,
                retentionCheckIntervalMs,
                flushCheckIntervalMs,
                checkpointIntervalMs,
                enabled,
                cleanerThreads,
                backoffMs,
                cleanerDedupeBufferBytes);
    }

    public LogManagerConfig withIntervals(long retentionCheckMs, long flushCheckMs, long checkpointMs) {
        return new LogManagerConfig(
                logDirs,
                topicDefaults,
                recoveryThreadsPerDir,
                retentionCheckMs,
                flushCheckMs,
                checkpointMs,
                cleanerEnabled,
                cleanerThreads,
                cleanerBackoffMs,
                cleanerDedupeBufferBytes);
    }
}
