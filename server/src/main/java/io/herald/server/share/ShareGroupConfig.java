package io.herald.server.share;

import io.herald.server.config.BrokerConfig;

/**
 * The broker-level settings of share groups and of the share coordinator (keys {@code group.share.*} and {@code
 * share.coordinator.*} of {@link BrokerConfig}, with Kafka's names and defaults). A group's own configuration ({@link
 * ShareGroupConfigs}) overrides the per-group ones.
 *
 * <p>Thread-safety: immutable.
 *
 * @param sessionTimeoutMs {@code group.share.session.timeout.ms}
 * @param heartbeatIntervalMs {@code group.share.heartbeat.interval.ms}
 * @param maxSize {@code group.share.max.size}
 * @param recordLockDurationMs {@code group.share.record.lock.duration.ms}
 * @param deliveryCountLimit {@code group.share.delivery.count.limit}
 * @param maxRecordLocks {@code group.share.partition.max.record.locks}
 * @param stateTopicPartitions {@code share.coordinator.state.topic.num.partitions}
 * @param stateTopicSegmentBytes {@code share.coordinator.state.topic.segment.bytes}
 */
public record ShareGroupConfig(
        int sessionTimeoutMs,
        int heartbeatIntervalMs,
        int maxSize,
        int recordLockDurationMs,
        int deliveryCountLimit,
        int maxRecordLocks,
        int stateTopicPartitions,
        int stateTopicSegmentBytes) {

    /** The name of the internal topic that holds share-partition state. */
    public static final String STATE_TOPIC = "__share_group_state";

    /**
     * The settings of {@code broker}.
     *
     * @throws IllegalArgumentException if the heartbeat interval is not below the session timeout
     */
    public static ShareGroupConfig from(BrokerConfig broker) {
        ShareGroupConfig c = new ShareGroupConfig(
                broker.get(BrokerConfig.GROUP_SHARE_SESSION_TIMEOUT_MS),
                broker.get(BrokerConfig.GROUP_SHARE_HEARTBEAT_INTERVAL_MS),
                broker.get(BrokerConfig.GROUP_SHARE_MAX_SIZE),
                broker.get(BrokerConfig.GROUP_SHARE_RECORD_LOCK_DURATION_MS),
                broker.get(BrokerConfig.GROUP_SHARE_DELIVERY_COUNT_LIMIT),
                broker.get(BrokerConfig.GROUP_SHARE_PARTITION_MAX_RECORD_LOCKS),
                broker.get(BrokerConfig.SHARE_COORDINATOR_STATE_TOPIC_NUM_PARTITIONS),
                broker.get(BrokerConfig.SHARE_COORDINATOR_STATE_TOPIC_SEGMENT_BYTES));
        if (c.heartbeatIntervalMs >= c.sessionTimeoutMs) {
            throw new IllegalArgumentException("Invalid broker configuration: group.share.heartbeat.interval.ms must"
                    + " be less than group.share.session.timeout.ms");
        }
        return c;
    }

    /** Kafka's defaults, with {@code partitions} partitions for the state topic. */
    public static ShareGroupConfig defaults(int partitions) {
        return new ShareGroupConfig(45_000, 5000, 200, 30_000, 5, 2000, partitions, 104_857_600);
    }
}
