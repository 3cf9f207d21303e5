package io.herald.log;

/**
 * Where a batch is in a segment.
 *
 * @param baseOffset its base offset
 * @param lastOffset its last offset
 * @param position byte position in the segment file
 * @param size bytes
 */
record BatchLocation(long baseOffset, long lastOffset, int position, int size) {}
