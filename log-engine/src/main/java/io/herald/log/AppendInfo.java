package io.herald.log;

/**
 * What an append wrote.
 *
 * @param firstOffset base offset of the first batch
 * @param lastOffset last offset of the last batch
 * @param maxTimestamp the largest batch timestamp written (the append time on log-append-time topics)
 * @param logAppendTimeMs the time stamped into the batches, or -1 on create-time topics
 * @param segmentBaseOffset the segment the batches went to
 * @param position byte position of the first batch in that segment
 * @param sizeInBytes bytes written
 * @param logStartOffset the partition's log start offset after the append
 */
public record AppendInfo(
        long firstOffset,
        long lastOffset,
        long maxTimestamp,
        long logAppendTimeMs,
        long segmentBaseOffset,
        int position,
        int sizeInBytes,
        long logStartOffset) {}
