package io.herald.server.share;

/**
 * A read-only snapshot of one share partition, for the administration API: the window of offsets the group works on
 * and how many of its in-flight records are in each state.
 *
 * <p>Thread-safety: immutable.
 *
 * @param startOffset offsets below are done (acknowledged or archived)
 * @param endOffset offsets from here on were never acquired
 * @param available in-flight records that any member can acquire (released, or whose lock ran out)
 * @param acquired records held by a member under a lock (delivered, not yet acknowledged)
 */
public record SharePartitionView(
        String group,
        String topic,
        int partition,
        long startOffset,
        long endOffset,
        int available,
        int acquired,
        int acknowledged,
        int archived) {}
