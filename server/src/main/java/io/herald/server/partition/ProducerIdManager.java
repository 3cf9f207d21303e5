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
    private final long base;
    private long next;
    private long blockEnd;

    private ProducerIdManager(Path file, long base, long next) {
        this.file = file;
        this.base = base;
        this.next = next;
        this.blockEnd = next;
    }

    public static ProducerIdManager open(Path dir) throws IOException {
        return open(dir, 0);
    }

    /**
     * Opens the manager of a broker in a cluster: its ids are {@code base} plus its own counter, so brokers with
     * different bases (the node id shifted left by 40 bits) never hand out the same id, and no id needs the consistent
     * store.
     */
    public static ProducerIdManager open(Path dir, long base) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        long next = 0;
        if (Files.exists(file)) {
            next = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
        }
        return new ProducerIdManager(file, base, next);
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
        return base + next++;
    }
}
