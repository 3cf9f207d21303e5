package io.herald.server.partition;

/**
 * What a leader knows of its followers.
 *
 * <p>Thread-safety: not thread-safe; used under the owning {@link Partition}'s lock.
 */
final class Replication {

    private Replication() {}

    /**
     * One follower's progress, as Kafka tracks it: its log end offset (the offset it last fetched from; -1 until it
     * fetched in this leadership) and the last time it was caught up, i.e. fetched the leader's log end offset of the
     * time, or of the time of its previous fetch (so a follower that keeps up with a steady stream of appends counts
     * as caught up). A follower not caught up for {@code replica.lag.time.max.ms} leaves the ISR.
     */
    static final class Follower {
        private long logEndOffset = -1;
        private long lastCaughtUpMs;
        private long lastFetchMs;
        private long lastFetchLeaderEndOffset = -1;

        Follower(long nowMs) {
            this.lastCaughtUpMs = nowMs;
            this.lastFetchMs = nowMs;
        }

        void onFetch(long fetchOffset, long leaderEndOffset, long nowMs) {
            if (fetchOffset >= leaderEndOffset) {
                lastCaughtUpMs = Math.max(lastCaughtUpMs, nowMs);
            } else if (fetchOffset >= lastFetchLeaderEndOffset && lastFetchLeaderEndOffset >= 0) {
                lastCaughtUpMs = Math.max(lastCaughtUpMs, lastFetchMs);
            }
            logEndOffset = fetchOffset;
            lastFetchLeaderEndOffset = leaderEndOffset;
            lastFetchMs = nowMs;
        }

        long logEndOffset() {
            return logEndOffset;
        }

        long lastCaughtUpMs() {
            return lastCaughtUpMs;
        }
    }
}
