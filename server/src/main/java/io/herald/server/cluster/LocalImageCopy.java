package io.herald.server.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The broker's local copy of the cluster image, {@value #FILE_NAME} in the first data directory, replaced atomically
 * (write, fsync, rename, fsync the directory) after every image the broker applies, so a {@code kill -9} leaves the
 * old or the new copy. After a full-cluster restart the consistent store is empty and is restored from the newest
 * copy any broker offers. The format is {@link ClusterImage#encode}.
 *
 * <p>Thread-safety: not thread-safe; the conductor thread owns it.
 */
public final class LocalImageCopy {

    public static final String FILE_NAME = "cluster-metadata.properties";

    private final Path file;

    public LocalImageCopy(Path dir) {
        this.file = dir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    public Optional<ClusterImage> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(ClusterImage.decode(Files.readAllBytes(file)));
    }

    public void write(ClusterImage image) throws IOException {
        write(image.encode());
    }

    void write(byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory
        }
    }
}
