/**
 * Share groups (KIP-932, "queues for Kafka"): any number of members consume the same partitions, each record is
 * acquired by one member at a time under a time-limited lock, acknowledged, released or rejected on its own, and
 * delivered again (with a delivery count) until it is acknowledged or archived. Kafka's own {@code KafkaShareConsumer}
 * and Herald's JMS queues use the same groups.
 *
 * <p>{@link io.herald.server.share.ShareCoordinator} keeps the groups and their members (ShareGroupHeartbeat,
 * ShareGroupDescribe, ListGroups, DeleteGroups); {@link io.herald.server.share.SharePartitionManager} serves ShareFetch
 * and ShareAcknowledge with one {@link io.herald.server.share.SharePartition} per group and topic partition, the state
 * machine of its in-flight records. Their durable state is written to the internal compacted topic {@code
 * __share_group_state} ({@link io.herald.server.share.ShareStateStore}, layout in {@link
 * io.herald.server.share.ShareStateRecords}) before a request is answered, group-committed by {@link
 * io.herald.server.share.ShareStateWriter} (concurrent changes share one append and one fsync), and read back when the
 * broker starts.
 */
package io.herald.server.share;
