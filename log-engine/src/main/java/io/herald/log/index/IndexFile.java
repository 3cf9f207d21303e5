package io.herald.log.index;

import io.herald.log.io.LogFile;
import io.herald.log.io.Storage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A memory-mapped file of fixed-size entries sorted by a key, shared by {@link OffsetIndex} and {@link TimeIndex}.
 *
 * <p>Design note: an index is preallocated to its maximum size and mapped once, so appending an entry is a store into
 * the mapping and a volatile increment of the entry count; readers do a binary search over the first {@code entries}
 * entries with absolute reads, taking no lock. When a segment stops being active the file is trimmed to its entries
 * and remapped; the old mapping is left to the garbage collector rather than unmapped, because a lock-free reader may
 * still hold it. A preallocated file found at start-up belongs to a segment that was not closed cleanly, and recovery
 * rebuilds it.
 *
 * <p>Thread-safety: one writer (the partition's appender, or recovery) and any number of concurrent readers.
 */
abstract sealed class IndexFile implements Closeable permits OffsetIndex, TimeIndex {

    protected final long baseOffset;
    private final int entrySize;
    private final LogFile file;
    private volatile ByteBuffer mmap;
    private volatile int entries;
    private int maxEntries;

    IndexFile(Storage storage, Path path, long baseOffset, int maxIndexBytes, int entrySize, boolean preallocate)
            throws IOException {
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.file = storage.open(path, true);
        long length = file.size();
        if (length % entrySize != 0) {
            file.close();
            throw new CorruptIndexException(path, "its size " + length + " is not a multiple of " + entrySize);
        }
        int existing = (int) (length / entrySize);
        int capacity = preallocate ? Math.max(existing, maxIndexBytes / entrySize) : existing;
        this.mmap = file.map(capacity * entrySize);
        this.entries = existing;
        this.maxEntries = capacity;
        if (preallocate && existing > 0) {
            // A preallocated file that was not trimmed: its entries end where the zero-filled tail begins.
            this.entries = countNonZeroPrefix(existing);
        }
    }

    public final Path path() {
        return file.path();
    }

    public final long baseOffset() {
        return baseOffset;
    }

    public final int entries() {
        return entries;
    }

    public final boolean isFull() {
        return entries >= maxEntries;
    }

    public final int sizeInBytes() {
        return entries * entrySize;
    }

    protected final ByteBuffer buffer() {
        return mmap;
    }

    protected final int entrySize() {
        return entrySize;
    }

    /** Writes an entry at the end; the caller has checked the ordering. */
    protected final void appendEntry(Writer writer) {
        int n = entries;
        if (n >= maxEntries) {
            throw new IllegalStateException("Index " + path() + " is full (" + n + " entries)");
        }
        writer.write(mmap, n * entrySize);
        entries = n + 1;
    }

    /** Drops every entry from {@code n} on. */
    protected final void truncateToEntries(int n) {
        if (n < entries) {
            entries = n;
        }
    }

    /** Removes every entry. */
    public final void reset() {
        entries = 0;
    }

    /**
     * Index of the last entry whose key is at most {@code target}, or -1 when there is none; {@code key(i)} must not
     * decrease with i.
     */
    protected final int largestLowerBound(long target, KeyReader key) {
        ByteBuffer buf = mmap;
        int n = entries;
        if (n == 0 || key.read(buf, 0) > target) {
            return -1;
        }
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (key.read(buf, mid * entrySize) <= target) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Shrinks the file to its entries, so that it is exact on disk once the segment stops being active. */
    public final void trimToValidSize() throws IOException {
        int n = entries;
        if (n != maxEntries) {
            mmap = file.map(n * entrySize);
            maxEntries = n;
        }
    }

    /** Maps the file again with room for {@code maxIndexBytes}, so a segment that is active again can index. */
    public final void resize(int maxIndexBytes) throws IOException {
        int capacity = Math.max(entries, maxIndexBytes / entrySize);
        mmap = file.map(capacity * entrySize);
        maxEntries = capacity;
    }

    /** Makes the entries durable. */
    public final void flush() throws IOException {
        if (mmap instanceof java.nio.MappedByteBuffer mapped) {
            mapped.force();
        }
        file.force();
    }

    public final void renameTo(Path target) throws IOException {
        file.renameTo(target);
    }

    /** Trims the file and closes it. */
    @Override
    public final void close() throws IOException {
        try {
            trimToValidSize();
        } finally {
            file.close();
        }
    }

    /** Closes the file without trimming it (used before deleting it). */
    public final void closeHandler() throws IOException {
        file.close();
    }

    private int countNonZeroPrefix(int capacity) {
        // Entries of a live index are never all-zero (see the subclasses), and the preallocated tail is zeros.
        int lo = 0;
        int hi = capacity;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (isZero(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private boolean isZero(int entry) {
        int at = entry * entrySize;
        for (int i = 0; i < entrySize; i++) {
            if (mmap.get(at + i) != 0) {
                return false;
            }
        }
        return true;
    }

    @FunctionalInterface
    protected interface KeyReader {
        long read(ByteBuffer buffer, int position);
    }

    @FunctionalInterface
    protected interface Writer {
        void write(ByteBuffer buffer, int position);
    }
}
