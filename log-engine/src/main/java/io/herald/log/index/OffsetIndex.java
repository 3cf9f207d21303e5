package io.herald.log.index;

import io.herald.log.io.Storage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The sparse offset index of a segment ({@code <baseOffset>.index}): maps the base offset of some batches to their
 * byte position in the segment's log file, one entry per {@code index.interval.bytes} of log.
 *
 * <p>Layout: a sequence of 8-byte entries, big-endian, sorted by both fields:
 *
 * <pre>
 *  0  4  relativeOffset  batch base offset - segment base offset
 *  4  4  position        byte position of that batch in the .log file
 * </pre>
 *
 * The batch at position 0 is never indexed (a look-up falls back to the segment start anyway), so every entry has a
 * position above 0 and the zero-filled tail of a preallocated file is recognisable.
 *
 * <p>Thread-safety: one writer, concurrent lock-free readers (see {@link IndexFile}).
 */
public final class OffsetIndex extends IndexFile {

    public static final int ENTRY_SIZE = 8;
    private static final String SUFFIX = ".index";

    private OffsetIndex(Storage storage, Path path, long baseOffset, int maxIndexBytes, boolean preallocate)
            throws IOException {
        super(storage, path, baseOffset, maxIndexBytes, ENTRY_SIZE, preallocate);
    }

    /**
     * Opens or creates the index at {@code path}. {@code preallocate} maps it at its maximum size for appending (the
     * active segment); otherwise it is mapped at its current size.
     */
    public static OffsetIndex open(Storage storage, Path path, long baseOffset, int maxIndexBytes, boolean preallocate)
            throws IOException {
        return new OffsetIndex(storage, path, baseOffset, maxIndexBytes, preallocate);
    }

    public static String suffix() {
        return SUFFIX;
    }

    /** Indexes the batch starting at {@code offset} at {@code position}; both must exceed the last entry's. */
    public void append(long offset, int position) {
        int n = entries();
        if (n > 0) {
            IndexEntry last = entry(n - 1);
            if (offset <= last.offset() || position <= last.position()) {
                throw new IllegalArgumentException("Index entry (" + offset + ", " + position + ") does not follow ("
                        + last.offset() + ", " + last.position() + ") in " + path());
            }
        }
        if (offset - baseOffset > Integer.MAX_VALUE || offset < baseOffset || position <= 0) {
            throw new IllegalArgumentException(
                    "Cannot index offset " + offset + " at position " + position + " in " + path());
        }
        appendEntry((buf, at) -> buf.putInt(at, (int) (offset - baseOffset)).putInt(at + 4, position));
    }

    /** The entry with the largest offset at most {@code target}, or (base offset, 0) when there is none. */
    public IndexEntry lookup(long target) {
        int i = largestLowerBound(target - baseOffset, (buf, at) -> buf.getInt(at));
        return i < 0 ? new IndexEntry(baseOffset, 0) : entry(i);
    }

    /** The entry with the largest position at most {@code position}, or (base offset, 0) when there is none. */
    public IndexEntry lookupByPosition(int position) {
        int i = largestLowerBound(position, (buf, at) -> buf.getInt(at + 4));
        return i < 0 ? new IndexEntry(baseOffset, 0) : entry(i);
    }

    public IndexEntry entry(int n) {
        int at = n * ENTRY_SIZE;
        return new IndexEntry(baseOffset + buffer().getInt(at), buffer().getInt(at + 4));
    }

    /** The last entry, or (base offset, 0) for an empty index. */
    public IndexEntry lastEntry() {
        int n = entries();
        return n == 0 ? new IndexEntry(baseOffset, 0) : entry(n - 1);
    }

    /** Removes the entries for offsets at or above {@code offset}. */
    public void truncateTo(long offset) {
        int i = largestLowerBound(offset - baseOffset - 1, (buf, at) -> buf.getInt(at));
        truncateToEntries(i + 1);
    }

    /**
     * Checks in constant time what can be checked against the segment's log: the first and last entries lie inside the
     * file, in order. A full check would read every entry of every segment at each start; recovery rebuilds the
     * indexes of the segments that were not flushed, so only damage from outside the broker reaches here.
     *
     * @throws CorruptIndexException if the index cannot belong to that log
     */
    public void sanityCheck(long logSize) throws CorruptIndexException {
        int n = entries();
        if (n == 0) {
            return;
        }
        IndexEntry first = entry(0);
        IndexEntry last = entry(n - 1);
        if (first.offset() <= baseOffset || first.position() <= 0) {
            throw new CorruptIndexException(path(), "first entry " + first + " does not follow the segment start");
        }
        if (last.offset() < first.offset() || last.position() < first.position() || (n > 1 && last.equals(first))) {
            throw new CorruptIndexException(path(), "last entry " + last + " does not follow first entry " + first);
        }
        if (last.position() >= logSize) {
            throw new CorruptIndexException(
                    path(), "last entry points at position " + last.position() + " past the log's " + logSize);
        }
    }
}
