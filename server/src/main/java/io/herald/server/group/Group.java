package io.herald.server.group;

/**
 * A group a shard owns: a {@link ClassicGroup} or a {@link ConsumerGroup}. The committed offsets of a group are kept
 * beside it by the shard, not in it, so a group of one type can be replaced by one of the other type (an empty group
 * changing protocol) without losing them.
 *
 * <p>Thread-safety: not thread-safe; guarded by the owning {@link GroupShard}'s lock.
 */
sealed interface Group permits ClassicGroup, ConsumerGroup {

    String groupId();

    GroupType type();

    /** The state as ListGroups and DescribeGroups name it ({@code Empty}, {@code Stable}, ...). */
    String stateName();

    /** The protocol type ListGroups reports: the classic group's, or {@code consumer}; {@code ""} when none. */
    String protocolType();

    /** Whether the group has no members. */
    boolean isEmpty();
}
