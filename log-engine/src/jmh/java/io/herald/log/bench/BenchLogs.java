package io.herald.log.bench;

import io.herald.log.LogConfig;
import io.herald.log.LogManager;
import io.herald.log.LogManagerConfig;
import io.herald.log.io.DiskStorage;
import io.herald.log.record.Compression;
import io.herald.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the benchmarks share: a data directory on a real file system, a log manager on it, and a producer's batch.
 *
 * <p>The data directory is a fresh directory under the system property {@value #DIR_PROPERTY} (default {@code
 * target/jmh-data} under the working directory). It must be on the disk being measured, not on a tmpfs: {@code
 * bench/run.sh} points it at {@code log-engine/target/jmh-data}, on the same file system as its {@code dd} runs.
 *
 * <p>Thread-safety: stateless static helpers.
 */
final class BenchLogs {

    static final String DIR_PROPERTY = "herald.bench.dir";

    /** Records per batch and bytes per record value: 16 x 1 KiB, the producer's default {@code batch.size=16384}. */
    static final int RECORDS_PER_BATCH = 16;

    static final int RECORD_BYTES = 1024;

    private BenchLogs() {}

    /** A new, empty directory for one trial's data; warns if it is on a tmpfs. */
    static Path newDataDir() throws IOException {
        Path base = Path.of(System.getProperty(DIR_PROPERTY, "target/jmh-data")).toAbsolutePath();
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "herald-");
        String type = Files.getFileStore(dir).type();
        if (type.equals("tmpfs") || type.equals("ramfs")) {
            System.err.println("WARNING: " + dir + " is on " + type + ", not a disk; set -D" + DIR_PROPERTY);
        }
        return dir;
    }

    /** A log manager on {@code dir} whose topics default to Kafka's settings with {@code overrides}. */
    static LogManager open(Path dir, Map<String, String> overrides) throws IOException {
        LogManagerConfig config = LogManagerConfig.defaults(List.of(dir))
                .withTopicDefaults(LogConfig.defaults().with(overrides))
                .withCleaner(false, 15_000);
        return LogManager.open(config, DiskStorage.instance(), Clock.systemUTC());
    }

    /**
     * One uncompressed v2 batch of {@value #RECORDS_PER_BATCH} records with {@value #RECORD_BYTES}-byte random values
     * and no key, as a producer sends it (offsets 0..15, current timestamps), in a heap or a direct buffer.
     */
    static ByteBuffer producerBatch(long seed, boolean direct) {
        SplittableRandom random = new SplittableRandom(seed);
        long now = System.currentTimeMillis();
        RecordBatchBuilder builder = RecordBatchBuilder.create(Compression.NONE);
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            byte[] value = new byte[RECORD_BYTES];
            random.nextBytes(value);
            builder.append(i, now, null, value);
        }
        ByteBuffer heap = builder.build();
        if (!direct) {
            return heap;
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(heap.remaining());
        buffer.put(heap).flip();
        return buffer;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
