package io.herald.log.index;

/**
 * An offset index entry: a batch's base offset and its byte position in the segment.
 *
 * @param offset absolute offset
 * @param position byte position in the segment's log file
 */
public record IndexEntry(long offset, int position) {}
