package io.herald.log;

/**
 * A record found by timestamp.
 *
 * @param timestamp its timestamp
 * @param offset its offset
 * @param leaderEpoch the leader epoch stamped on its batch, or -1
 */
public record TimestampAndOffset(long timestamp, long offset, int leaderEpoch) {}
