package io.herald.server.group;

import java.util.Objects;

/**
 * An offset a group committed for one partition.
 *
 * @param offset the next offset the group will consume
 * @param leaderEpoch the leader epoch of the last consumed record, or -1
 * @param metadata the client's metadata string ({@code ""} when none)
 * @param commitTimestampMs when the coordinator accepted the commit
 * @param expireTimestampMs when the offset expires regardless of the group's state (OffsetCommit v2-v4 retention), or
 *     -1: then {@code offsets.retention.minutes} and the group's state decide
 */
public record CommittedOffset(
        long offset, int leaderEpoch, String metadata, long commitTimestampMs, long expireTimestampMs) {

    public CommittedOffset {
        Objects.requireNonNull(metadata, "metadata");
    }
}
