package io.herald.log.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * One open file of the log: a segment's records or an index. The seam between the engine and the disk, so that tests
 * can run the engine on {@code MemoryStorage} (a fake that can lose unflushed writes or run out of space) and the
 * broker on {@link DiskStorage}.
 *
 * <p>Thread-safety: implementations allow concurrent positional reads and {@link #transferTo} with one writer.
 */
public interface LogFile extends Closeable {

    /** The file's current path (it changes when the file is renamed through {@link #renameTo}). */
    Path path();

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns the count, or -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes some of {@code src} at {@code position}; returns the count. */
    int write(ByteBuffer src, long position) throws IOException;

    long size() throws IOException;

    /** Cuts the file to {@code size} bytes; does nothing if it is not longer. */
    void truncate(long size) throws IOException;

    /** Makes every write so far durable (fdatasync: the content, not the metadata). */
    void force() throws IOException;

    /**
     * Sends up to {@code count} bytes from {@code position} to {@code target} without copying them through the heap
     * where the platform allows (sendfile); returns the bytes sent, which may be fewer.
     */
    long transferTo(long position, long count, WritableByteChannel target) throws IOException;

    /**
     * Sets the file's length to {@code size} and maps it read-write. Writes through the buffer reach the file; they
     * are durable after {@link #force}.
     */
    ByteBuffer map(int size) throws IOException;

    /** Renames the file, which stays open; the target is replaced if it exists. */
    void renameTo(Path target) throws IOException;

    /** Reads exactly {@code dst.remaining()} bytes at {@code position}. */
    default void readFully(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = read(dst, at);
            if (n < 0) {
                throw new EOFException("End of " + path() + " at position " + at + " with " + dst.remaining()
                        + " bytes still to read");
            }
            at += n;
        }
    }

    /** Writes all of {@code src} at {@code position}. */
    default void writeFully(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += write(src, at);
        }
    }
}
