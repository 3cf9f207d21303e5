package io.herald.dist;

import io.herald.log.AppendInfo;
import io.herald.log.LogManager;
import io.herald.log.LogManagerConfig;
import io.herald.log.LogSlice;
import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import io.herald.log.io.DiskStorage;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Compression;
import io.herald.log.record.Header;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * A demonstration of the log engine, the part of Herald that exists so far (there is no broker yet): it opens a
 * {@link LogManager} on a data directory, appends one record batch per compression codec to partition {@code demo-0}
 * (Kafka v2 batches, as a producer would send them), reads the whole partition back through {@link PartitionLog#read},
 * decodes each batch and prints offset, timestamp, key and value of every record, then closes the log cleanly.
 *
 * <p>The data stays in the directory: a second run reopens the partition, appends after what the first run wrote and
 * prints both runs' records.
 *
 * <p>Usage: {@code java -jar dist/target/herald-engine-demo.jar [data-dir]}, data directory {@code ./data} by default.
 *
 * <p>Thread-safety: a program; {@link #run} is called from one thread.
 */
public final class EngineDemo {

    /** The partition the demo writes. */
    public static final TopicPartition PARTITION = new TopicPartition("demo", 0);

    static final String DEFAULT_DATA_DIR = "data";
    static final int RECORDS_PER_BATCH = 2;

    private static final int READ_BYTES = 64 * 1024;

    private EngineDemo() {}

    public static void main(String[] args) throws IOException {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            System.err.println(
                    "Usage: java -jar herald-engine-demo.jar [data-dir]   (default: ./" + DEFAULT_DATA_DIR + ")");
            System.exit(2);
        }
        run(Path.of(args.length == 1 ? args[0] : DEFAULT_DATA_DIR), System.out);
    }

    /**
     * Runs the demo on {@code dataDir}, printing to {@code out}.
     *
     * @return the log end offset after the appends
     * @throws io.herald.log.io.DirectoryLockedException if another process has the directory open
     */
    public static long run(Path dataDir, PrintStream out) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Clock clock = Clock.systemUTC();
        long logEndOffset;
        try (LogManager manager =
                LogManager.open(LogManagerConfig.defaults(List.of(dir)), DiskStorage.instance(), clock)) {
            PartitionLog log = manager.getOrCreateLog(PARTITION);
            out.printf(
                    "Herald log engine demo: partition %s in %s (log start offset %d, log end offset %d)%n",
                    PARTITION, dir, log.logStartOffset(), log.logEndOffset());

            for (Compression compression : Compression.values()) {
                AppendInfo info = log.appendAsLeader(batch(compression, clock.millis()), -1);
                out.printf(
                        "Appended a %s batch of %d records at offsets %d..%d (segment %d, position %d, %d bytes)%n",
                        compression,
                        RECORDS_PER_BATCH,
                        info.firstOffset(),
                        info.lastOffset(),
                        info.segmentBaseOffset(),
                        info.position(),
                        info.sizeInBytes());
            }

            out.printf("Records of %s from offset %d:%n", PARTITION, log.logStartOffset());
            printAll(log, out);
            logEndOffset = log.logEndOffset();
        }
        out.printf("Closed the log cleanly; log end offset %d. Run again to append after it.%n", logEndOffset);
        return logEndOffset;
    }

    /** A batch as a producer sends it: offsets from 0 (the log assigns the real ones), create-time timestamps. */
    private static ByteBuffer batch(Compression compression, long now) {
        RecordBatchBuilder builder = RecordBatchBuilder.create(compression);
        String codec = compression.name().toLowerCase(Locale.ROOT);
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            builder.append(
                    i,
                    now,
                    bytes(codec + "-" + i),
                    bytes("hello from a " + codec + " batch, record " + i),
                    List.of(new Header("codec", bytes(codec))));
        }
        return builder.build();
    }

    /** Reads from the log start to the log end offset in slices, as a fetch would, and prints every record. */
    private static void printAll(PartitionLog log, PrintStream out) throws IOException {
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        while (offset < end) {
            LogSlice slice = log.read(offset, READ_BYTES, end, true);
            if (slice.isEmpty()) {
                throw new IOException("The log returned no batch at offset " + offset + " below its end " + end);
            }
            ByteBuffer bytes = slice.toByteBuffer();
            for (int position = 0; position < bytes.limit(); ) {
                RecordBatch batch = RecordBatch.at(bytes, position);
                for (Record record : BatchRecords.decode(batch)) {
                    if (record.offset() >= offset) {
                        out.printf(
                                "  offset %d  timestamp %d  key %s  value %s%n",
                                record.offset(), record.timestamp(), text(record.key()), text(record.value()));
                    }
                }
                position += batch.sizeInBytes();
                offset = batch.nextOffset();
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
    }
}
