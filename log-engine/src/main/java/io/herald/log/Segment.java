package io.herald.log;

import io.herald.log.index.CorruptIndexException;
import io.herald.log.index.IndexEntry;
import io.herald.log.index.OffsetIndex;
import io.herald.log.index.TimeIndex;
import io.herald.log.index.TimestampOffset;
import io.herald.log.io.LogFile;
import io.herald.log.io.Storage;
import io.herald.log.record.RecordBatch;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition: a log file of record batches ({@code <baseOffset>.log}, the batches exactly as appended,
 * back to back, no other framing) with its {@link OffsetIndex} and {@link TimeIndex}. File names are the base offset in
 * 20 digits, so that listing a directory sorts segments by offset.
 *
 * <p>Design note: {@link #size} and {@link #nextOffset} are published with volatile writes after the bytes and the
 * index entries, so a reader that sees them sees everything they cover and can read without a lock. A failed write
 * (a full disk) never publishes: the file is cut back to the last published size.
 *
 * <p>Thread-safety: one writer at a time (the partition's appender, recovery or the cleaner, serialised by
 * {@link PartitionLog}); reads ({@link #read}, {@link #translateOffset}) run concurrently with it.
 */
public final class Segment implements Closeable {

    static final String LOG_SUFFIX = ".log";
    static final String DELETED_SUFFIX = ".deleted";
    static final String CLEANED_SUFFIX = ".cleaned";
    static final String SWAP_SUFFIX = ".swap";

    private static final Logger log = LoggerFactory.getLogger(Segment.class);

    private final long baseOffset;
    private final LogFile file;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private final int maxIndexBytes;
    private final long createdMs;
    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestamp;
    private int bytesSinceLastIndexEntry;
    private long firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
    private boolean indexesLost;

    private Segment(
            long baseOffset, LogFile file, OffsetIndex offsetIndex, TimeIndex timeIndex, LogConfig config, long nowMs)
            throws IOException {
        this.baseOffset = baseOffset;
        this.file = file;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.maxIndexBytes = config.segmentIndexBytes();
        this.createdMs = nowMs;
        this.size = Math.toIntExact(file.size());
        this.nextOffset = baseOffset;
        this.offsetOfMaxTimestamp = baseOffset;
    }

    /** The 20-digit file name stem of a base offset. */
    public static String fileStem(long offset) {
        return String.format("%020d", offset);
    }

    static Path logPath(Path dir, long baseOffset) {
        return dir.resolve(fileStem(baseOffset) + LOG_SUFFIX);
    }

    static Path offsetIndexPath(Path dir, long baseOffset) {
        return dir.resolve(fileStem(baseOffset) + OffsetIndex.suffix());
    }

    static Path timeIndexPath(Path dir, long baseOffset) {
        return dir.resolve(fileStem(baseOffset) + TimeIndex.suffix());
    }

    /**
     * Creates an empty segment; files left at its names (by an earlier truncation or crash) are replaced.
     * {@code suffix} is appended to every file name ({@code ""}, or {@value #CLEANED_SUFFIX} for compaction output).
     */
    static Segment create(Storage storage, Path dir, long baseOffset, LogConfig config, long nowMs, String suffix)
            throws IOException {
        Path logPath = withSuffix(logPath(dir, baseOffset), suffix);
        Path indexPath = withSuffix(offsetIndexPath(dir, baseOffset), suffix);
        Path timePath = withSuffix(timeIndexPath(dir, baseOffset), suffix);
        storage.delete(logPath);
        storage.delete(indexPath);
        storage.delete(timePath);
        LogFile file = storage.open(logPath, true);
        OffsetIndex offsets = OffsetIndex.open(storage, indexPath, baseOffset, config.segmentIndexBytes(), true);
        TimeIndex times = TimeIndex.open(storage, timePath, baseOffset, config.segmentIndexBytes(), true);
        return new Segment(baseOffset, file, offsets, times, config, nowMs);
    }

    /**
     * Opens an existing segment. Its state is not known until {@link #loadTail} or {@link #recover} runs. An index that
     * is missing or unreadable is replaced by an empty one and {@link #indexesLost()} tells the caller to recover.
     */
    static Segment open(Storage storage, Path dir, long baseOffset, LogConfig config, boolean active, long nowMs)
            throws IOException {
        LogFile file = storage.open(logPath(dir, baseOffset), false);
        OffsetIndex offsets = null;
        try {
            Path offsetPath = offsetIndexPath(dir, baseOffset);
            Path timePath = timeIndexPath(dir, baseOffset);
            boolean lost = false;
            for (Path index : List.of(offsetPath, timePath)) {
                if (!storage.exists(index)) {
                    log.warn("Index {} is missing; rebuilding it from the log", index);
                    lost = true;
                }
            }
            int maxBytes = config.segmentIndexBytes();
            try {
                offsets = OffsetIndex.open(storage, offsetPath, baseOffset, maxBytes, active);
            } catch (CorruptIndexException e) {
                lost = true;
                log.warn("{}; it will be rebuilt from the log", e.getMessage());
                storage.delete(offsetPath);
                offsets = OffsetIndex.open(storage, offsetPath, baseOffset, maxBytes, active);
            }
            TimeIndex times;
            try {
                times = TimeIndex.open(storage, timePath, baseOffset, maxBytes, active);
            } catch (CorruptIndexException e) {
                lost = true;
                log.warn("{}; it will be rebuilt from the log", e.getMessage());
                storage.delete(timePath);
                times = TimeIndex.open(storage, timePath, baseOffset, maxBytes, active);
            }
            Segment segment = new Segment(baseOffset, file, offsets, times, config, nowMs);
            segment.indexesLost = lost;
            return segment;
        } catch (IOException | RuntimeException e) {
            if (offsets != null) {
                offsets.closeHandler();
            }
            file.close();
            throw e;
        }
    }

    /** Whether an index was missing or unreadable when the segment was opened, so {@link #recover} must rebuild it. */
    boolean indexesLost() {
        return indexesLost;
    }

    private static Path withSuffix(Path path, String suffix) {
        return suffix.isEmpty() ? path : path.resolveSibling(path.getFileName() + suffix);
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Bytes of published batches. */
    public int size() {
        return size;
    }

    /** The offset after the last batch, or the base offset if the segment is empty. */
    public long nextOffset() {
        return nextOffset;
    }

    /** The largest timestamp of any batch, or -1 if none has one. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** Base offset of the first batch that carries {@link #maxTimestamp()}. */
    public long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }

    public Path path() {
        return file.path();
    }

    LogFile file() {
        return file;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    /** Time from which {@code segment.ms} counts: the first batch's timestamp, or when the segment was created. */
    long rollBaseTimestamp() {
        return firstBatchTimestamp >= 0 ? firstBatchTimestamp : createdMs;
    }

    /**
     * Appends batches whose offsets are assigned, at the end of the file. Publishes the new size and next offset only
     * once the bytes are written and indexed.
     */
    void append(ByteBuffer batches) throws IOException {
        int position = size;
        int length = batches.remaining();
        try {
            file.writeFully(batches.duplicate(), position);
        } catch (IOException e) {
            try {
                file.truncate(position);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        long next = nextOffset;
        for (int p = batches.position(), at = position; p < batches.limit(); ) {
            RecordBatch batch = RecordBatch.at(batches, p);
            int batchSize = batch.sizeInBytes();
            indexBatch(batch, at, batchSize);
            next = batch.nextOffset();
            p += batchSize;
            at += batchSize;
        }
        nextOffset = next;
        size = position + length;
    }

    private void indexBatch(RecordBatch batch, int position, int batchSize) {
        if (position == 0) {
            firstBatchTimestamp = batch.maxTimestamp();
        }
        if (batch.maxTimestamp() > maxTimestamp) {
            maxTimestamp = batch.maxTimestamp();
            offsetOfMaxTimestamp = batch.baseOffset();
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull()) {
            offsetIndex.append(batch.baseOffset(), position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
    }

    /**
     * Sets the segment's state from its indexes and the batches after the last index entry, for a segment that was
     * closed cleanly.
     *
     * @return {@code false} if the indexes or the batch framing are inconsistent, so the segment needs {@link
     *     #recover}
     */
    boolean loadTail() throws IOException {
        try {
            offsetIndex.sanityCheck(size);
        } catch (CorruptIndexException e) {
            log.warn("{}; rebuilding the indexes of {}", e.getMessage(), path());
            return false;
        }
        IndexEntry last = offsetIndex.lastEntry();
        TimestampOffset lastTime = timeIndex.lastEntry();
        long max = lastTime.timestamp();
        long offsetOfMax = lastTime.timestamp() >= 0 ? lastTime.offset() : baseOffset;
        long next = last.position() == 0 ? baseOffset : last.offset();
        BatchScanner scanner = BatchScanner.headers(file, last.position(), size);
        for (RecordBatch b = scanner.next(); b != null; b = scanner.next()) {
            if (b.magic() != RecordBatch.MAGIC || b.baseOffset() < next || b.lastOffsetDelta() < 0) {
                log.warn(
                        "Batch at {} position {} does not follow the index; recovering the segment",
                        path(),
                        scanner.batchPosition());
                return false;
            }
            if (b.maxTimestamp() > max) {
                max = b.maxTimestamp();
                offsetOfMax = b.baseOffset();
            }
            next = b.nextOffset();
        }
        if (scanner.stopReason() != null) {
            log.warn("{} position {}: {}; recovering the segment", path(), scanner.position(), scanner.stopReason());
            return false;
        }
        try {
            timeIndex.sanityCheck(next);
        } catch (CorruptIndexException e) {
            log.warn("{}; rebuilding the indexes of {}", e.getMessage(), path());
            return false;
        }
        maxTimestamp = max;
        offsetOfMaxTimestamp = offsetOfMax;
        nextOffset = next;
        bytesSinceLastIndexEntry = size - last.position();
        firstBatchTimestamp = size > 0 ? readHeader(0).maxTimestamp() : RecordBatch.NO_TIMESTAMP;
        return true;
    }

    /**
     * Validates every batch (framing, magic, CRC, offsets), rebuilds both indexes and cuts the file after the last
     * valid batch.
     *
     * @param startOffset the lowest base offset the first batch may have (the previous segment's next offset)
     * @return what was cut, or {@code null} if the whole file was valid
     */
    RecoveryResult recover(long startOffset) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        offsetIndex.resize(maxIndexBytes);
        timeIndex.resize(maxIndexBytes);
        maxTimestamp = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestamp = baseOffset;
        bytesSinceLastIndexEntry = 0;
        firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
        int fileSize = Math.toIntExact(file.size());
        long next = Math.max(baseOffset, startOffset);
        long expectedMin = next;
        BatchScanner scanner = BatchScanner.batches(file, 0, fileSize);
        String problem = null;
        int validBytes = 0;
        for (RecordBatch b = scanner.next(); b != null; b = scanner.next()) {
            problem = invalidity(b, expectedMin);
            if (problem != null) {
                break;
            }
            indexBatch(b, scanner.batchPosition(), b.sizeInBytes());
            next = b.nextOffset();
            expectedMin = next;
            validBytes = scanner.position();
        }
        if (problem == null) {
            problem = scanner.stopReason();
        }
        nextOffset = next;
        size = validBytes;
        indexesLost = false;
        if (validBytes < fileSize) {
            file.truncate(validBytes);
            return new RecoveryResult(validBytes, fileSize - validBytes, problem);
        }
        return null;
    }

    /** Why a batch found in a file is not valid, or {@code null}. */
    private static String invalidity(RecordBatch b, long expectedMinOffset) {
        if (b.magic() != RecordBatch.MAGIC) {
            return "magic " + b.magic() + " is not 2";
        }
        if (!b.isChecksumValid()) {
            return "CRC mismatch (stored " + b.checksum() + ", computed " + b.computeChecksum() + ")";
        }
        if (b.lastOffsetDelta() < 0 || b.recordCount() < 0 || b.lastOffsetDelta() < b.recordCount() - 1) {
            return "lastOffsetDelta " + b.lastOffsetDelta() + " with " + b.recordCount() + " records";
        }
        if (b.baseOffset() < expectedMinOffset) {
            return "base offset " + b.baseOffset() + " is below the expected " + expectedMinOffset;
        }
        if ((b.attributes() & 0x07) > 4) {
            return "unknown compression id " + (b.attributes() & 0x07);
        }
        return null;
    }

    /** What recovery cut from a segment file. */
    record RecoveryResult(int validBytes, int truncatedBytes, String reason) {}

    /**
     * The first batch whose last offset is at least {@code offset}, searching from the index entry below it and not
     * before {@code startingPosition}; {@code null} if no batch of the segment reaches that offset.
     */
    BatchLocation translateOffset(long offset, int startingPosition) throws IOException {
        int end = size;
        IndexEntry entry = offsetIndex.lookup(offset);
        int from = Math.max(entry.position(), startingPosition);
        BatchScanner scanner = BatchScanner.headers(file, from, end);
        for (RecordBatch b = scanner.next(); b != null; b = scanner.next()) {
            if (b.lastOffset() >= offset) {
                return new BatchLocation(b.baseOffset(), b.lastOffset(), scanner.batchPosition(), b.sizeInBytes());
            }
        }
        if (scanner.stopReason() != null) {
            throw new CorruptLogException(path(), scanner.position(), scanner.stopReason());
        }
        return null;
    }

    /**
     * Whole batches from the one containing {@code offset}: at most {@code maxBytes} (but the first batch even if it
     * is larger, when {@code minOneBatch}), and none that reaches {@code maxOffset}.
     *
     * @return the slice, an empty slice if nothing may be read, or {@code null} if the segment has nothing at or after
     *     {@code offset}
     */
    LogSlice read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException {
        BatchLocation first = translateOffset(offset, 0);
        if (first == null) {
            return null;
        }
        if (first.lastOffset() >= maxOffset) {
            return LogSlice.empty(offset);
        }
        int end = size;
        // Read after size: the writer publishes nextOffset first, so when maxOffset does not cut the segment, this is
        // the offset after the last batch below `end` (maxOffset, at most the log end offset the caller saw, bounds
        // it).
        long endOffset = nextOffset;
        if (maxOffset < endOffset) {
            BatchLocation limit = translateOffset(maxOffset, first.position());
            if (limit != null) {
                end = limit.position();
                endOffset = limit.baseOffset();
            } else {
                endOffset = maxOffset;
            }
        }
        long wanted = (long) first.position() + maxBytes;
        if (end > wanted) {
            Boundary boundary = lastBoundaryAtOrBefore((int) wanted, first.position(), end, endOffset);
            end = boundary.position();
            endOffset = boundary.offset();
            if (end == first.position()) {
                if (!minOneBatch) {
                    return LogSlice.empty(offset);
                }
                end = first.position() + first.size();
                endOffset = first.lastOffset() + 1;
            }
        }
        return new LogSlice(file, first.position(), end - first.position(), first.baseOffset(), endOffset);
    }

    /** A batch boundary: its file position and the offset of the batch that starts there. */
    private record Boundary(int position, long offset) {}

    /**
     * The largest batch boundary in [from, limit] that is at most {@code target}, with the base offset of the batch
     * there ({@code limitOffset} if the boundary is {@code limit}).
     */
    private Boundary lastBoundaryAtOrBefore(int target, int from, int limit, long limitOffset) throws IOException {
        int start = Math.max(from, offsetIndex.lookupByPosition(target).position());
        int boundary = start;
        long boundaryOffset = start == limit ? limitOffset : -1;
        BatchScanner scanner = BatchScanner.headers(file, start, limit);
        for (RecordBatch b = scanner.next(); b != null; b = scanner.next()) {
            if (boundaryOffset < 0) {
                boundaryOffset = b.baseOffset(); // the batch at `start`
            }
            int batchEnd = scanner.position();
            if (batchEnd > target) {
                break;
            }
            boundary = batchEnd;
            boundaryOffset = batchEnd == limit ? limitOffset : b.nextOffset();
        }
        return new Boundary(boundary, boundaryOffset);
    }

    /** Reads the 61-byte header of the batch at {@code position}. */
    RecordBatch readHeader(int position) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        file.readFully(buf, position);
        return RecordBatch.at(buf, 0);
    }

    /**
     * Removes every batch whose last offset is at least {@code offset} (so a batch straddling it goes as a whole).
     *
     * @return bytes removed
     */
    int truncateTo(long offset) throws IOException {
        BatchLocation cut = translateOffset(offset, 0);
        if (cut == null) {
            return 0;
        }
        int before = size;
        offsetIndex.truncateTo(cut.baseOffset());
        timeIndex.truncateTo(cut.baseOffset());
        file.truncate(cut.position());
        size = cut.position();
        if (!loadTail()) {
            recover(baseOffset);
        }
        return before - cut.position();
    }

    /** Makes the batches durable, but not the indexes (see {@link PartitionLog#flush(long)}). */
    void flushLog() throws IOException {
        file.force();
    }

    /** Makes the batches and indexes durable. */
    void flush() throws IOException {
        file.force();
        offsetIndex.flush();
        timeIndex.flush();
    }

    /**
     * Called when a newer segment takes over appends: records the final time index entry (the segment's largest
     * timestamp) and trims both indexes to their entries.
     */
    void onBecomeInactive() throws IOException {
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Makes a segment that had stopped being active ready for appends again (after a truncation). */
    void reactivate() throws IOException {
        offsetIndex.resize(maxIndexBytes);
        timeIndex.resize(maxIndexBytes);
    }

    /** Renames the three files from {@code oldSuffix} to {@code newSuffix} (either may be empty). */
    void changeSuffix(String oldSuffix, String newSuffix) throws IOException {
        timeIndex.renameTo(swapSuffix(timeIndex.path(), oldSuffix, newSuffix));
        offsetIndex.renameTo(swapSuffix(offsetIndex.path(), oldSuffix, newSuffix));
        file.renameTo(swapSuffix(file.path(), oldSuffix, newSuffix));
    }

    private static Path swapSuffix(Path path, String oldSuffix, String newSuffix) {
        String name = path.getFileName().toString();
        if (!name.endsWith(oldSuffix)) {
            throw new IllegalStateException(path + " does not end with '" + oldSuffix + "'");
        }
        return path.resolveSibling(name.substring(0, name.length() - oldSuffix.length()) + newSuffix);
    }

    /** Closes the files and deletes them. */
    void deleteFiles(Storage storage) throws IOException {
        Path logPath = file.path();
        Path indexPath = offsetIndex.path();
        Path timePath = timeIndex.path();
        closeQuietly();
        storage.delete(logPath);
        storage.delete(indexPath);
        storage.delete(timePath);
    }

    private void closeQuietly() {
        try {
            offsetIndex.closeHandler();
            timeIndex.closeHandler();
            file.close();
        } catch (IOException e) {
            log.warn("Closing {} failed: {}", path(), e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            onBecomeInactive();
        } finally {
            try {
                offsetIndex.close();
            } finally {
                try {
                    timeIndex.close();
                } finally {
                    file.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Segment(" + path() + ", base=" + baseOffset + ", next=" + nextOffset + ", size=" + size + ")";
    }
}
