package io.herald.log.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The file system as the engine uses it: files of the log, directories of partitions, atomic renames. {@link
 * DiskStorage} is the real one; tests have an in-memory fake.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
public interface Storage {

    /** Opens {@code path} read-write, creating it if {@code create} and it does not exist. */
    LogFile open(Path path, boolean create) throws IOException;

    boolean exists(Path path);

    boolean isDirectory(Path path);

    /** The entries of {@code dir}, sorted by name. */
    List<Path> list(Path dir) throws IOException;

    void createDirectories(Path dir) throws IOException;

    /** Atomically renames {@code source} to {@code target}, replacing it. */
    void move(Path source, Path target) throws IOException;

    /** Deletes a file or an empty directory; does nothing if it does not exist. */
    void delete(Path path) throws IOException;

    /** Deletes a directory and everything under it; does nothing if it does not exist. */
    void deleteRecursively(Path dir) throws IOException;

    /** Makes the directory's entries (creations, renames, deletions) durable. */
    void syncDirectory(Path dir) throws IOException;

    /** Takes an exclusive lock on {@code lockFile} against other processes; closing releases it. */
    Closeable lock(Path lockFile) throws IOException;

    /** Usable bytes left on the file system that holds {@code path}. */
    long usableSpace(Path path) throws IOException;

    /**
     * Replaces {@code path} with {@code content} so that a crash leaves either the old or the new content: writes a
     * temporary file, forces it, renames it over {@code path} and syncs the directory.
     */
    default void writeAtomically(Path path, byte[] content) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        delete(tmp);
        try (LogFile file = open(tmp, true)) {
            file.writeFully(ByteBuffer.wrap(content), 0);
            file.force();
        }
        move(tmp, path);
        syncDirectory(path.getParent());
    }

    /** The whole content of a small file. */
    default byte[] readAll(Path path) throws IOException {
        try (LogFile file = open(path, false)) {
            long size = file.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(path + " is too large to read at once: " + size + " bytes");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            file.readFully(buf, 0);
            return buf.array();
        }
    }
}
