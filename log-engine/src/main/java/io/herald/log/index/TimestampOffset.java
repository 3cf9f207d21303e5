package io.herald.log.index;

/**
 * A time index entry: a timestamp and the base offset of the batch where the segment's largest timestamp first
 * reached it.
 *
 * @param timestamp the largest timestamp so far
 * @param offset absolute base offset of the batch that holds it
 */
public record TimestampOffset(long timestamp, long offset) {}
