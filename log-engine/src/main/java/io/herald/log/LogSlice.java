package io.herald.log;

import io.herald.log.io.LogFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A run of whole record batches inside one segment file, as a read returns it: the bytes stay in the file (and the page
 * cache) until {@link #transferTo} sends them to a socket with sendfile, or {@link #readInto} copies them for a
 * transport that must see them (TLS).
 *
 * <p>Thread-safety: immutable; transfers of the same slice may run concurrently.
 *
 * @param file the segment file, or {@code null} for an empty slice
 * @param position where the first batch starts in the file
 * @param length bytes, ending on a batch boundary
 * @param firstOffset base offset of the first batch (for an empty slice: the offset that was asked for)
 * @param nextOffset the offset after the last batch of the slice (for an empty slice: {@code firstOffset}), so that
 *     {@code nextOffset - firstOffset} offsets are in it (fewer records where compaction left gaps)
 */
public record LogSlice(LogFile file, long position, int length, long firstOffset, long nextOffset) {

    /** A slice with no batch. */
    public static LogSlice empty(long offset) {
        return new LogSlice(null, 0, 0, offset, offset);
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /**
     * Sends the slice's bytes from {@code alreadySent} on to {@code target} (zero-copy where the platform allows);
     * returns how many were sent by this call, which may be fewer than remain if the target's buffer is full.
     */
    public long transferTo(WritableByteChannel target, long alreadySent) throws IOException {
        if (alreadySent >= length) {
            return 0;
        }
        return file.transferTo(position + alreadySent, length - alreadySent, target);
    }

    /** Copies the slice into {@code dst}, which must have {@link #length()} bytes remaining. */
    public void readInto(ByteBuffer dst) throws IOException {
        if (length == 0) {
            return;
        }
        ByteBuffer window = dst.duplicate();
        window.limit(window.position() + length);
        file.readFully(window, position);
        dst.position(dst.position() + length);
    }

    /** The slice's bytes in a new heap buffer, position 0. */
    public ByteBuffer toByteBuffer() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        readInto(buf);
        return buf.flip();
    }
}
