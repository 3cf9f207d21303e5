package io.herald.server.share;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicIdPartition;

/**
 * The share session of one member with this broker (KIP-932): the partitions it fetches from, so that a ShareFetch
 * only lists what changed, and the epoch its next request must carry.
 *
 * <p>Thread-safety: guarded by its own monitor; callers synchronize on the session.
 */
public final class ShareSession {

    private final String group;
    private final String member;
    private final Set<TopicIdPartition> partitions = new LinkedHashSet<>();
    private int nextEpoch = 1;
    private int rotation;

    ShareSession(String group, String member) {
        this.group = group;
        this.member = member;
    }

    public String group() {
        return group;
    }

    public String member() {
        return member;
    }

    /** The epoch the next request must carry. */
    public synchronized int nextEpoch() {
        return nextEpoch;
    }

    /** Accepts a request with {@code epoch}: it must be the expected one; then the next is expected. */
    public synchronized boolean advance(int epoch) {
        if (epoch != nextEpoch) {
            return false;
        }
        nextEpoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
        return true;
    }

    public synchronized void add(TopicIdPartition tp) {
        partitions.add(tp);
    }

    public synchronized void remove(TopicIdPartition tp) {
        partitions.remove(tp);
    }

    /** The partitions, starting one further each call, so that no partition always goes first. */
    public synchronized List<TopicIdPartition> partitionsInTurn() {
        List<TopicIdPartition> all = List.copyOf(partitions);
        if (all.isEmpty()) {
            return all;
        }
        int start = Math.floorMod(rotation++, all.size());
        List<TopicIdPartition> turned = new java.util.ArrayList<>(all.subList(start, all.size()));
        turned.addAll(all.subList(0, start));
        return turned;
    }
}
