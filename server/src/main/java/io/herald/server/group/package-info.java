/**
 * The group coordinator: consumer groups of the classic protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) and of
 * KIP-848's consumer protocol (ConsumerGroupHeartbeat, server-side assignment), and the offsets groups commit.
 *
 * <p>State lives in the internal compacted topic {@code __consumer_offsets}: each of its partitions is one {@link
 * io.herald.server.group.GroupShard} that owns the groups hashed to it, writes their changes as records (layout in
 * {@link io.herald.server.group.GroupRecords}) and rebuilds them by replaying its log when it starts to lead the
 * partition. {@link io.herald.server.group.GroupCoordinator} routes requests to shards; handlers in {@code
 * io.herald.server.handler} translate the wire messages.
 */
package io.herald.server.group;
