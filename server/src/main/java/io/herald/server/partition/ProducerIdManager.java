package io.herald.server.partition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Hands out producer ids for InitProducerId, unique for the life of the data directory: ids are reserved in blocks
 * whose end is persisted (written, fsynced, renamed) before any id of the block is used, so a crash never leads to an
 * id being handed out twice.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ProducerIdManager {

    static final String FILE_NAME = "producer-id-block";
    private static final long BLOCK_SIZE = 1000;

    private final Path file;
    private long next;
    private long blockEnd;

    private ProducerIdManager(Path file, long next) {
        this.file = file;
        this.next = next;
        this.blockEnd = next;
    }

    public static ProducerIdManager open(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        long next = 0;
        if (Files.exists(file)) {
            next = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
        }
        return new ProducerIdManager(file, next);
    }

    public synchronized long nextId() throws IOException {
        if (next >= blockEnd) {
            long end = next + BLOCK_SIZE;
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(Long.toString(end).getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            blockEnd = end;
        }
        return next++;
    }
}
