package io.herald.log.index;

import io.herald.log.io.Storage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The sparse time index of a segment ({@code <baseOffset>.timeindex}): each entry says that no batch before
 * {@code offset} has a timestamp of {@code timestamp} or more. Appended at the same points as the offset index, when
 * the segment's largest timestamp has grown, and once more when the segment stops being active so the last entry is the
 * segment's largest timestamp.
 *
 * <p>Layout: a sequence of 12-byte entries, big-endian, both fields strictly increasing:
 *
 * <pre>
 *  0  8  timestamp       the segment's largest timestamp so far
 *  8  4  relativeOffset  base offset of the batch that first had it - segment base offset
 * </pre>
 *
 * <p>Thread-safety: one writer, concurrent lock-free readers (see {@link IndexFile}).
 */
public final class TimeIndex extends IndexFile {

    public static final int ENTRY_SIZE = 12;
    private static final String SUFFIX = ".timeindex";

    private TimeIndex(Storage storage, Path path, long baseOffset, int maxIndexBytes, boolean preallocate)
            throws IOException {
        super(storage, path, baseOffset, maxIndexBytes, ENTRY_SIZE, preallocate);
    }

    public static TimeIndex open(Storage storage, Path path, long baseOffset, int maxIndexBytes, boolean preallocate)
            throws IOException {
        return new TimeIndex(storage, path, baseOffset, maxIndexBytes, preallocate);
    }

    public static String suffix() {
        return SUFFIX;
    }

    /**
     * Appends (timestamp, offset) if the timestamp is larger than the last entry's; otherwise (or for a segment with no
     * timestamp yet) does nothing.
     */
    public void maybeAppend(long timestamp, long offset) {
        if (timestamp < 0) {
            return;
        }
        int n = entries();
        if (n > 0) {
            TimestampOffset last = entry(n - 1);
            if (timestamp <= last.timestamp()) {
                return;
            }
            if (offset <= last.offset()) {
                throw new IllegalArgumentException("Time index entry (" + timestamp + ", " + offset
                        + ") does not follow " + last + " in " + path());
            }
        }
        if (offset < baseOffset || offset - baseOffset > Integer.MAX_VALUE || isFull()) {
            return;
        }
        appendEntry((buf, at) -> buf.putLong(at, timestamp).putInt(at + 8, (int) (offset - baseOffset)));
    }

    /**
     * The entry with the largest timestamp at most {@code target}, or (-1, base offset) when there is none: a scan for
     * the first record with a timestamp of at least {@code target} may start at its offset.
     */
    public TimestampOffset lookup(long target) {
        int i = largestLowerBound(target, (buf, at) -> buf.getLong(at));
        return i < 0 ? new TimestampOffset(-1, baseOffset) : entry(i);
    }

    public TimestampOffset entry(int n) {
        int at = n * ENTRY_SIZE;
        return new TimestampOffset(buffer().getLong(at), baseOffset + buffer().getInt(at + 8));
    }

    /** The last entry, or (-1, base offset) for an empty index. */
    public TimestampOffset lastEntry() {
        int n = entries();
        return n == 0 ? new TimestampOffset(-1, baseOffset) : entry(n - 1);
    }

    /** Removes the entries for offsets at or above {@code offset}. */
    public void truncateTo(long offset) {
        int n = entries();
        int keep = n;
        while (keep > 0 && entry(keep - 1).offset() >= offset) {
            keep--;
        }
        truncateToEntries(keep);
    }

    /** Checks in constant time that the first and last entries are in order and inside the segment's offsets. */
    public void sanityCheck(long nextOffset) throws CorruptIndexException {
        int n = entries();
        if (n == 0) {
            return;
        }
        TimestampOffset first = entry(0);
        TimestampOffset last = entry(n - 1);
        if (last.offset() >= nextOffset || first.offset() < baseOffset) {
            throw new CorruptIndexException(
                    path(),
                    "entries " + first + ".." + last + " point outside the segment's offsets [" + baseOffset + ", "
                            + nextOffset + ")");
        }
        if (n > 1 && (last.timestamp() <= first.timestamp() || last.offset() <= first.offset())) {
            throw new CorruptIndexException(path(), "last entry " + last + " does not follow first entry " + first);
        }
    }
}
