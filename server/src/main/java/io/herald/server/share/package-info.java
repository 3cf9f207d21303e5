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
 *
 * <p>In a cluster, as in Kafka, the share-partition leader is the partition leader: ShareFetch and ShareAcknowledge
 * for a partition this broker does not lead get NOT_LEADER_OR_FOLLOWER, and the client goes to the leader it finds
 * in fresh metadata. Membership stays on the group coordinator, which need not lead any of the partitions: a leader
 * serves any member id (share sessions are per broker). {@code __share_group_state} is replicated; a leader writes
 * the state of its share partitions to the state topic's partition leaders with {@code acks=all} and answers once the
 * in-sync replicas have it (without holding a thread), so after a failover the new leader reads the newest state
 * ({@link io.herald.server.share.SharePartitionManager#servedSharePartition}): acknowledged records stay done, and
 * acquired ones come back with their delivery counts. A member whose session times out at the coordinator has its
 * records released there at once; on the other leaders its acquisition locks run out.
 */
package io.herald.server.share;
