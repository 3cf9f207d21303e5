package io.herald.log;

import io.herald.log.io.LogFile;
import io.herald.log.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Walks the batches of a segment file from a position, reading the file in large blocks. In header mode it reads only
 * the fixed headers and steps over the records (offset look-ups); in full mode each batch it returns is whole in
 * memory (recovery, compaction, timestamp look-ups).
 *
 * <p>The scan stops at the end position or at the first place where no well-framed batch starts: a length too small
 * for a header, or one that runs past the end. {@link #stopReason()} then says why, and {@link #position()} is where.
 *
 * <p>Thread-safety: not thread-safe; each reader makes its own scanner.
 */
final class BatchScanner {

    /** Header scans span about one index interval, so a small block usually holds every header they need. */
    private static final int HEADER_BLOCK_SIZE = 4 * 1024;

    private static final int BATCH_BLOCK_SIZE = 64 * 1024;

    private final LogFile file;
    private final int end;
    private final boolean full;
    private ByteBuffer block;
    private long blockStart;
    private int position;
    private int batchPosition = -1;
    private String stopReason;

    private BatchScanner(LogFile file, int start, int end, boolean full) {
        this.file = file;
        this.position = start;
        this.end = end;
        this.full = full;
        this.block = ByteBuffer.allocate(full ? BATCH_BLOCK_SIZE : HEADER_BLOCK_SIZE);
        this.block.limit(0);
        this.blockStart = start;
    }

    /** A scanner that returns batch headers only (the records are not read). */
    static BatchScanner headers(LogFile file, int start, int end) {
        return new BatchScanner(file, start, end, false);
    }

    /** A scanner that returns whole batches. */
    static BatchScanner batches(LogFile file, int start, int end) {
        return new BatchScanner(file, start, end, true);
    }

    /**
     * The next batch, or {@code null} at the end or where the framing breaks. In header mode only the first
     * {@link RecordBatch#HEADER_SIZE} bytes of the view are valid. The view is valid until the next call.
     */
    RecordBatch next() throws IOException {
        if (stopReason != null || position >= end) {
            return null;
        }
        int remaining = end - position;
        if (remaining < RecordBatch.HEADER_SIZE) {
            return stop(remaining + " bytes at the end are too few for a batch header");
        }
        ensure(RecordBatch.HEADER_SIZE);
        RecordBatch header = RecordBatch.at(block, (int) (position - blockStart));
        long size = (long) header.batchLength() + RecordBatch.LOG_OVERHEAD;
        if (size < RecordBatch.HEADER_SIZE) {
            return stop("batch length " + header.batchLength() + " is too small for a batch header");
        }
        if (size > remaining) {
            return stop("batch declares " + size + " bytes but only " + remaining + " remain");
        }
        if (full) {
            ensure((int) size);
            header = RecordBatch.at(block, (int) (position - blockStart));
        }
        batchPosition = position;
        position += (int) size;
        return header;
    }

    /** Where the batch last returned by {@link #next()} starts. */
    int batchPosition() {
        return batchPosition;
    }

    /** Where the scan is: after the last batch returned, or where it stopped. */
    int position() {
        return position;
    }

    /** Why the scan stopped before the end, or {@code null}. */
    String stopReason() {
        return stopReason;
    }

    private RecordBatch stop(String reason) {
        stopReason = reason;
        return null;
    }

    /** Makes {@code bytes} bytes from {@link #position} available in {@link #block}. */
    private void ensure(int bytes) throws IOException {
        long offsetInBlock = position - blockStart;
        if (offsetInBlock >= 0 && offsetInBlock + bytes <= block.limit()) {
            return;
        }
        if (block.capacity() < bytes) {
            block = ByteBuffer.allocate(bytes);
        }
        block.clear();
        int toRead = Math.min(block.capacity(), end - position);
        block.limit(toRead);
        file.readFully(block, position);
        block.flip();
        blockStart = position;
    }
}
