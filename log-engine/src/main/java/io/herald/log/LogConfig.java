package io.herald.log;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The per-topic settings of the log, with Kafka's topic-level key names and defaults. A topic's config is the broker's
 * defaults overlaid with the topic's overrides ({@link #with}).
 *
 * <p>Thread-safety: immutable.
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        Set<CleanupPolicy> cleanupPolicy,
        long deleteRetentionMs,
        long minCompactionLagMs,
        long maxCompactionLagMs,
        double minCleanableDirtyRatio,
        long flushMessages,
        long flushMs,
        int indexIntervalBytes,
        int segmentIndexBytes,
        TimestampType timestampType,
        long timestampBeforeMaxMs,
        long timestampAfterMaxMs,
        int maxMessageBytes,
        long fileDeleteDelayMs) {

    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    public static final ConfigKey<Integer> SEGMENT_BYTES = ConfigKey.ofInt(
            "segment.bytes", 1 << 30, 1024, "Size at which a segment is closed and a new one started (1 GiB).");
    public static final ConfigKey<Long> SEGMENT_MS = ConfigKey.ofLong(
            "segment.ms", 7 * DAY_MS, 1, "Age at which a segment is rolled even if not full (7 days).");
    public static final ConfigKey<Long> RETENTION_MS = ConfigKey.ofLong(
            "retention.ms",
            7 * DAY_MS,
            -1,
            "How long a segment is kept after its newest record's timestamp; -1 keeps data forever (168 hours).");
    public static final ConfigKey<Long> RETENTION_BYTES = ConfigKey.ofLong(
            "retention.bytes", -1, -1, "Largest size of a partition before whole old segments are deleted; -1: none.");
    public static final ConfigKey<Set<CleanupPolicy>> CLEANUP_POLICY = new ConfigKey<>(
            "cleanup.policy",
            Set.of(CleanupPolicy.DELETE),
            "delete (by retention), compact (keep the newest record per key) or both.",
            CleanupPolicy::parse,
            v -> !v.isEmpty(),
            "a list of delete, compact");
    public static final ConfigKey<Long> DELETE_RETENTION_MS = ConfigKey.ofLong(
            "delete.retention.ms",
            DAY_MS,
            0,
            "How long a tombstone stays in a compacted topic after the cleaner first sees it (1 day).");
    public static final ConfigKey<Long> MIN_COMPACTION_LAG_MS = ConfigKey.ofLong(
            "min.compaction.lag.ms", 0, 0, "Minimum age of a record before the cleaner may remove an older version.");
    public static final ConfigKey<Long> MAX_COMPACTION_LAG_MS = ConfigKey.ofLong(
            "max.compaction.lag.ms",
            Long.MAX_VALUE,
            1,
            "Maximum time a record can remain uncompacted; a log with older dirty data is cleaned whatever its ratio.");
    public static final ConfigKey<Double> MIN_CLEANABLE_DIRTY_RATIO = new ConfigKey<>(
            "min.cleanable.dirty.ratio",
            0.5,
            "Share of not-yet-cleaned bytes above which a compacted log is cleaned.",
            Double::parseDouble,
            v -> v >= 0 && v <= 1,
            "a number in [0, 1]");
    public static final ConfigKey<Long> FLUSH_MESSAGES = ConfigKey.ofLong(
            "flush.messages",
            Long.MAX_VALUE,
            1,
            "fsync after this many messages; 1 makes every append durable before it is acknowledged, with concurrent"
                    + " appends sharing one fsync (group commit). Default: leave flushing to the OS.");
    public static final ConfigKey<Long> FLUSH_MS =
            ConfigKey.ofLong("flush.ms", Long.MAX_VALUE, 0, "fsync data older than this many milliseconds.");
    public static final ConfigKey<Integer> INDEX_INTERVAL_BYTES =
            ConfigKey.ofInt("index.interval.bytes", 4096, 0, "Bytes of log between two offset index entries.");
    public static final ConfigKey<Integer> SEGMENT_INDEX_BYTES =
            ConfigKey.ofInt("segment.index.bytes", 10 * 1024 * 1024, 64, "Size of a segment's preallocated indexes.");
    public static final ConfigKey<TimestampType> MESSAGE_TIMESTAMP_TYPE = new ConfigKey<>(
            "message.timestamp.type",
            TimestampType.CREATE_TIME,
            "CreateTime keeps the producer's timestamps; LogAppendTime stamps the broker's time on append.",
            TimestampType::parse,
            v -> true,
            "CreateTime or LogAppendTime");
    public static final ConfigKey<Long> MESSAGE_TIMESTAMP_BEFORE_MAX_MS = ConfigKey.ofLong(
            "message.timestamp.before.max.ms",
            Long.MAX_VALUE,
            0,
            "How far before the broker's time a CreateTime timestamp may be.");
    public static final ConfigKey<Long> MESSAGE_TIMESTAMP_AFTER_MAX_MS = ConfigKey.ofLong(
            "message.timestamp.after.max.ms",
            60 * 60 * 1000L,
            0,
            "How far after the broker's time a CreateTime timestamp may be (1 hour).");
    public static final ConfigKey<Integer> MAX_MESSAGE_BYTES =
            ConfigKey.ofInt("max.message.bytes", 1024 * 1024 + 12, 0, "Largest record batch the topic accepts.");
    public static final ConfigKey<Long> FILE_DELETE_DELAY_MS = ConfigKey.ofLong(
            "file.delete.delay.ms",
            60_000,
            0,
            "Delay between taking a segment out of the log and deleting its files, so running reads finish.");

    /** Every key, in the order of the configuration reference. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            SEGMENT_BYTES,
            SEGMENT_MS,
            RETENTION_MS,
            RETENTION_BYTES,
            CLEANUP_POLICY,
            DELETE_RETENTION_MS,
            MIN_COMPACTION_LAG_MS,
            MAX_COMPACTION_LAG_MS,
            MIN_CLEANABLE_DIRTY_RATIO,
            FLUSH_MESSAGES,
            FLUSH_MS,
            INDEX_INTERVAL_BYTES,
            SEGMENT_INDEX_BYTES,
            MESSAGE_TIMESTAMP_TYPE,
            MESSAGE_TIMESTAMP_BEFORE_MAX_MS,
            MESSAGE_TIMESTAMP_AFTER_MAX_MS,
            MAX_MESSAGE_BYTES,
            FILE_DELETE_DELAY_MS);

    public LogConfig {
        cleanupPolicy = Set.copyOf(cleanupPolicy);
    }

    /** Kafka's defaults. */
    public static LogConfig defaults() {
        return new LogConfig(
                SEGMENT_BYTES.defaultValue(),
                SEGMENT_MS.defaultValue(),
                RETENTION_MS.defaultValue(),
                RETENTION_BYTES.defaultValue(),
                CLEANUP_POLICY.defaultValue(),
                DELETE_RETENTION_MS.defaultValue(),
                MIN_COMPACTION_LAG_MS.defaultValue(),
                MAX_COMPACTION_LAG_MS.defaultValue(),
                MIN_CLEANABLE_DIRTY_RATIO.defaultValue(),
                FLUSH_MESSAGES.defaultValue(),
                FLUSH_MS.defaultValue(),
                INDEX_INTERVAL_BYTES.defaultValue(),
                SEGMENT_INDEX_BYTES.defaultValue(),
                MESSAGE_TIMESTAMP_TYPE.defaultValue(),
                MESSAGE_TIMESTAMP_BEFORE_MAX_MS.defaultValue(),
                MESSAGE_TIMESTAMP_AFTER_MAX_MS.defaultValue(),
                MAX_MESSAGE_BYTES.defaultValue(),
                FILE_DELETE_DELAY_MS.defaultValue());
    }

    /** Whether {@code name} is a log key (the broker owns the other topic keys, such as min.insync.replicas). */
    public static boolean isLogKey(String name) {
        return KEYS.stream().anyMatch(k -> k.name().equals(name));
    }

    /**
     * This config with {@code overrides} applied. Keys that are not log keys are ignored, so a topic's whole config can
     * be passed; a log key with an invalid value throws {@link IllegalArgumentException} naming it.
     */
    public LogConfig with(Map<String, String> overrides) {
        Map<String, Object> values = toValues();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            for (ConfigKey<?> key : KEYS) {
                if (key.name().equals(e.getKey())) {
                    values.put(key.name(), key.parse(e.getValue()));
                }
            }
        }
        return fromValues(values);
    }

    /** Every key with its value, as text, in the order of {@link #KEYS}. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        toValues().forEach((k, v) -> map.put(k, format(v)));
        return map;
    }

    public boolean compact() {
        return cleanupPolicy.contains(CleanupPolicy.COMPACT);
    }

    public boolean delete() {
        return cleanupPolicy.contains(CleanupPolicy.DELETE);
    }

    private static String format(Object v) {
        if (v instanceof Set<?> set) {
            return String.join(
                    ",",
                    set.stream()
                            .map(p -> ((CleanupPolicy) p).configName())
                            .sorted()
                            .toList());
        }
        if (v instanceof TimestampType t) {
            return t.configName();
        }
        return String.valueOf(v);
    }

    private Map<String, Object> toValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(SEGMENT_BYTES.name(), segmentBytes);
        m.put(SEGMENT_MS.name(), segmentMs);
        m.put(RETENTION_MS.name(), retentionMs);
        m.put(RETENTION_BYTES.name(), retentionBytes);
        m.put(CLEANUP_POLICY.name(), cleanupPolicy);
        m.put(DELETE_RETENTION_MS.name(), deleteRetentionMs);
        m.put(MIN_COMPACTION_LAG_MS.name(), minCompactionLagMs);
        m.put(MAX_COMPACTION_LAG_MS.name(), maxCompactionLagMs);
        m.put(MIN_CLEANABLE_DIRTY_RATIO.name(), minCleanableDirtyRatio);
        m.put(FLUSH_MESSAGES.name(), flushMessages);
        m.put(FLUSH_MS.name(), flushMs);
        m.put(INDEX_INTERVAL_BYTES.name(), indexIntervalBytes);
        m.put(SEGMENT_INDEX_BYTES.name(), segmentIndexBytes);
        m.put(MESSAGE_TIMESTAMP_TYPE.name(), timestampType);
        m.put(MESSAGE_TIMESTAMP_BEFORE_MAX_MS.name(), timestampBeforeMaxMs);
        m.put(MESSAGE_TIMESTAMP_AFTER_MAX_MS.name(), timestampAfterMaxMs);
        m.put(MAX_MESSAGE_BYTES.name(), maxMessageBytes);
        m.put(FILE_DELETE_DELAY_MS.name(), fileDeleteDelayMs);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static LogConfig fromValues(Map<String, Object> m) {
        Function<ConfigKey<?>, Object> v = k -> m.get(k.name());
        return new LogConfig(
                (Integer) v.apply(SEGMENT_BYTES),
                (Long) v.apply(SEGMENT_MS),
                (Long) v.apply(RETENTION_MS),
                (Long) v.apply(RETENTION_BYTES),
                (Set<CleanupPolicy>) v.apply(CLEANUP_POLICY),
                (Long) v.apply(DELETE_RETENTION_MS),
                (Long) v.apply(MIN_COMPACTION_LAG_MS),
                (Long) v.apply(MAX_COMPACTION_LAG_MS),
                (Double) v.apply(MIN_CLEANABLE_DIRTY_RATIO),
                (Long) v.apply(FLUSH_MESSAGES),
                (Long) v.apply(FLUSH_MS),
                (Integer) v.apply(INDEX_INTERVAL_BYTES),
                (Integer) v.apply(SEGMENT_INDEX_BYTES),
                (TimestampType) v.apply(MESSAGE_TIMESTAMP_TYPE),
                (Long) v.apply(MESSAGE_TIMESTAMP_BEFORE_MAX_MS),
                (Long) v.apply(MESSAGE_TIMESTAMP_AFTER_MAX_MS),
                (Integer) v.apply(MAX_MESSAGE_BYTES),
                (Long) v.apply(FILE_DELETE_DELAY_MS));
    }
}
