package io.herald.server.group;

import io.herald.server.config.BrokerConfig;
import io.herald.server.group.assignor.PartitionAssignor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The group coordinator's settings, read from the broker configuration (keys in {@code BrokerConfig}, with Kafka's
 * names and defaults).
 *
 * <p>Thread-safety: immutable.
 *
 * @param offsets the internal topic and committed offsets
 * @param classic groups of the classic protocol
 * @param consumer groups of KIP-848's consumer protocol
 */
public record GroupConfig(Offsets offsets, Classic classic, Consumer consumer) {

    /** How long a new classic member's JoinGroup may stay parked (Kafka's fixed 5 minutes). */
    static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000;

    /** The name of the internal topic that holds committed offsets and group metadata. */
    public static final String OFFSETS_TOPIC = "__consumer_offsets";

    /**
     * @param topicPartitions {@code offsets.topic.num.partitions}
     * @param topicSegmentBytes {@code offsets.topic.segment.bytes}
     * @param retentionMs {@code offsets.retention.minutes}, in milliseconds
     * @param retentionCheckIntervalMs {@code offsets.retention.check.interval.ms}
     * @param metadataMaxBytes {@code offset.metadata.max.bytes}
     * @param loadBufferBytes {@code offsets.load.buffer.size}
     */
    public record Offsets(
            int topicPartitions,
            int topicSegmentBytes,
            long retentionMs,
            long retentionCheckIntervalMs,
            int metadataMaxBytes,
            int loadBufferBytes) {}

    /**
     * @param minSessionTimeoutMs {@code group.min.session.timeout.ms}
     * @param maxSessionTimeoutMs {@code group.max.session.timeout.ms}
     * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}
     * @param maxSize {@code group.max.size}
     * @param newMemberJoinTimeoutMs how long a new member's JoinGroup may wait (Kafka's fixed 5 minutes)
     */
    public record Classic(
            int minSessionTimeoutMs,
            int maxSessionTimeoutMs,
            int initialRebalanceDelayMs,
            int maxSize,
            int newMemberJoinTimeoutMs) {}

    /**
     * @param enabled whether {@code group.coordinator.rebalance.protocols} lists {@code consumer}
     * @param sessionTimeoutMs {@code group.consumer.session.timeout.ms}
     * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}
     * @param maxSize {@code group.consumer.max.size}
     * @param assignors {@code group.consumer.assignors}, short names; the first is the default
     */
    public record Consumer(
            boolean enabled, int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize, List<String> assignors) {

        public Consumer {
            assignors = List.copyOf(assignors);
        }
    }

    /**
     * The settings of {@code broker}, checked together as Kafka checks them.
     *
     * @throws IllegalArgumentException naming the keys whose values contradict each other
     */
    public static GroupConfig from(BrokerConfig broker) {
        int minSession = broker.get(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS);
        int maxSession = broker.get(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS);
        require(minSession <= maxSession, "group.min.session.timeout.ms must not exceed group.max.session.timeout.ms");
        int session = broker.get(BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS);
        int heartbeat = broker.get(BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS);
        require(
                session >= broker.get(BrokerConfig.GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS)
                        && session <= broker.get(BrokerConfig.GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS),
                "group.consumer.session.timeout.ms must lie within group.consumer.min.session.timeout.ms and"
                        + " group.consumer.max.session.timeout.ms");
        require(
                heartbeat >= broker.get(BrokerConfig.GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS)
                        && heartbeat <= broker.get(BrokerConfig.GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS),
                "group.consumer.heartbeat.interval.ms must lie within group.consumer.min.heartbeat.interval.ms and"
                        + " group.consumer.max.heartbeat.interval.ms");
        require(
                heartbeat < session,
                "group.consumer.heartbeat.interval.ms must be less than group.consumer.session.timeout.ms");
        List<String> assignors = new ArrayList<>();
        for (String a : broker.get(BrokerConfig.GROUP_CONSUMER_ASSIGNORS).split(",")) {
            String name = PartitionAssignor.named(a.trim()).orElseThrow().name();
            if (!assignors.contains(name)) {
                assignors.add(name);
            }
        }
        boolean consumerProtocol = Arrays.stream(broker.get(BrokerConfig.GROUP_COORDINATOR_REBALANCE_PROTOCOLS)
                        .split(","))
                .map(String::trim)
                .anyMatch("consumer"::equals);
        return new GroupConfig(
                new Offsets(
                        broker.get(BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS),
                        broker.get(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES),
                        broker.get(BrokerConfig.OFFSETS_RETENTION_MINUTES) * 60_000L,
                        broker.get(BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS),
                        broker.get(BrokerConfig.OFFSET_METADATA_MAX_BYTES),
                        broker.get(BrokerConfig.OFFSETS_LOAD_BUFFER_SIZE)),
                new Classic(
                        minSession,
                        maxSession,
                        broker.get(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS),
                        broker.get(BrokerConfig.GROUP_MAX_SIZE),
                        NEW_MEMBER_JOIN_TIMEOUT_MS),
                new Consumer(
                        consumerProtocol,
                        session,
                        heartbeat,
                        broker.get(BrokerConfig.GROUP_CONSUMER_MAX_SIZE),
                        assignors));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("Invalid broker configuration: " + message);
        }
    }

    /** Kafka's defaults, with {@code partitions} partitions for the internal topic. */
    public static GroupConfig defaults(int partitions) {
        return new GroupConfig(
                new Offsets(partitions, 100 * 1024 * 1024, 7L * 24 * 3600 * 1000, 600_000, 4096, 5 * 1024 * 1024),
                new Classic(6000, 1_800_000, 3000, Integer.MAX_VALUE, NEW_MEMBER_JOIN_TIMEOUT_MS),
                new Consumer(true, 45_000, 5000, Integer.MAX_VALUE, List.of("uniform", "range")));
    }
}
