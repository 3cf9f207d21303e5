package io.herald.log;

import io.herald.log.io.DiskStorage;
import io.herald.log.record.Compression;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordBatchBuilder;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link KillNineDurabilityTest}: opens a {@link LogManager} on a real directory and appends in a
 * loop from several threads until it is killed, printing one {@value #ACK} line per acknowledged batch to stdout (and
 * flushing it) only after {@link PartitionLog#appendAsLeader} returned.
 *
 * <p>Line format: {@code ACK <partition> <baseOffset> <lastOffset> <sha256-of-stored-batch-bytes> .}; the trailing
 * {@code .} lets the reader discard a line the kill cut short.
 *
 * <p>Arguments: data directory, {@code fsync|pagecache}, seed, run id, checkpoint interval in ms.
 */
public final class KillNineAppender {

    static final String ACK = "ACK";
    static final String OPENED = "OPENED";
    static final String TOPIC = "durable";
    static final int PARTITIONS = 3;
    static final int THREADS = 3;
    /** Appends stay below this, so that they always fit a segment of {@link #SEGMENT_BYTES}. */
    private static final int MAX_APPEND_BYTES = 12_000;

    static final String SEGMENT_BYTES = "16384";

    private KillNineAppender() {}

    /** The topic configuration the child and the verifying parent share. */
    static LogConfig topicConfig(boolean fsync) {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "segment.bytes", SEGMENT_BYTES,
                "index.interval.bytes", "512",
                "segment.index.bytes", "1024"));
        if (fsync) {
            overrides.put("flush.messages", "1");
        }
        return LogConfig.defaults().with(overrides);
    }

    static LogManagerConfig managerConfig(Path dir, boolean fsync, long checkpointMs) {
        return LogManagerConfig.defaults(List.of(dir))
                .withTopicDefaults(topicConfig(fsync))
                .withCleaner(false, 15_000)
                .withIntervals(300_000, 1_000, checkpointMs);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean fsync = args[1].equals("fsync");
        long seed = Long.parseLong(args[2]);
        String runId = args[3];
        long checkpointMs = Long.parseLong(args[4]);
        PrintStream out = System.out;
        LogManager manager =
                LogManager.open(managerConfig(dir, fsync, checkpointMs), DiskStorage.instance(), Clock.systemUTC());
        List<PartitionLog> logs = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            logs.add(manager.getOrCreateLog(new TopicPartition(TOPIC, p)));
        }
        synchronized (out) {
            out.println(OPENED);
            out.flush();
        }
        AtomicLong sequence = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(seed * 31 + t);
            Thread thread = new Thread(
                    () -> {
                        try {
                            while (true) {
                                int p = random.nextInt(PARTITIONS);
                                ByteBuffer batches = randomAppend(random, runId, sequence);
                                logs.get(p).appendAsLeader(batches, random.nextInt(5));
                                List<String> lines = ackLines(p, batches);
                                synchronized (out) {
                                    lines.forEach(out::println);
                                    out.flush();
                                }
                            }
                        } catch (Throwable e) {
                            e.printStackTrace();
                            Runtime.getRuntime().halt(3); // an append failed: the parent sees an early exit
                        }
                    },
                    "appender-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** One to three batches (one most of the time), mixed sizes and codecs, keys unique to {@code runId}. */
    static ByteBuffer randomAppend(Random random, String runId, AtomicLong sequence) {
        int wanted = random.nextInt(5) == 0 ? 2 + random.nextInt(2) : 1;
        List<ByteBuffer> batches = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < wanted; i++) {
            ByteBuffer batch = randomBatch(random, runId + "-" + sequence.incrementAndGet());
            if (total + batch.remaining() > MAX_APPEND_BYTES && !batches.isEmpty()) {
                break;
            }
            batches.add(batch);
            total += batch.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        batches.forEach(all::put);
        return all.flip();
    }

    private static ByteBuffer randomBatch(Random random, String id) {
        Compression[] codecs = Compression.values();
        Compression compression =
                random.nextBoolean() ? Compression.NONE : codecs[1 + random.nextInt(codecs.length - 1)];
        RecordBatchBuilder builder = RecordBatchBuilder.create(compression);
        int records = 1 + random.nextInt(random.nextInt(4) == 0 ? 40 : 6);
        int maxValue = records > 6 ? 100 : 1200;
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[random.nextInt(maxValue)];
            if (random.nextBoolean()) {
                random.nextBytes(value); // incompressible
            } else {
                for (int j = 0; j < value.length; j++) {
                    value[j] = (byte) ('a' + j % 7);
                }
            }
            byte[] key = (id + "-" + i).getBytes(StandardCharsets.UTF_8);
            builder.append(i, now - random.nextInt(1000), key, value);
        }
        return builder.build();
    }

    /** One ack line per batch of an append, read from the buffer the log rewrote in place (offsets, epoch). */
    static List<String> ackLines(int partition, ByteBuffer batches) {
        List<String> lines = new ArrayList<>();
        for (int p = batches.position(); p < batches.limit(); ) {
            RecordBatch b = RecordBatch.at(batches, p);
            lines.add(ACK + " " + partition + " " + b.baseOffset() + " " + b.lastOffset() + " " + hash(b) + " .");
            p += b.sizeInBytes();
        }
        return lines;
    }

    /** SHA-256 of the batch's bytes, which are the bytes the log stores. */
    static String hash(RecordBatch batch) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(batch.slice());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
