package io.herald.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.herald.log.io.DiskStorage;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Durability under {@code kill -9}: a child JVM ({@link KillNineAppender}) appends to real files in a loop and reports
 * every acknowledged batch; the test kills it with SIGKILL at a random moment, reopens the directory and checks that
 * every acknowledged batch is there, intact, at its offset, and that the recovered log takes appends. Each run kills
 * the same data directory several times, so later rounds recover logs with many segments, rolled and checkpointed by
 * earlier rounds.
 *
 * <p>Both flush policies must keep every ack: {@code flush.messages=1} because the batch was fsynced, the default
 * because {@code kill -9} kills the process, not the page cache.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class KillNineDurabilityTest {

    private static final int ROUNDS = 6;
    private static final long CHILD_TIMEOUT_MS = 30_000;
    /** What {@code Process.exitValue()} reports for a process killed by signal 9 (128 + 9). */
    private static final int KILLED_BY_SIGKILL = 137;

    private static final String EOF = "\u0000EOF";

    @TempDir
    Path tmp;

    /** An acknowledged batch. */
    private record Ack(int partition, long baseOffset, long lastOffset, String hash) {}

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fsync", "pagecache"})
    void everyAcknowledgedBatchSurvivesKillNineAtRandomMoments(String mode) throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        boolean fsync = mode.equals("fsync");
        int maxAcks = fsync ? 300 : 1500;
        Path dir = tmp.resolve("data");
        Map<Integer, Map<Long, Ack>> acked = new HashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = round == 0 ? 1 + random.nextInt(10) : 1 + random.nextInt(maxAcks);
            long checkpointMs = 20 + random.nextInt(300);
            String context = "seed " + seed + ", mode " + mode + ", round " + round + ", kill after " + killAfter
                    + " acks, checkpoint every " + checkpointMs + " ms";
            List<Ack> acks =
                    runChildAndKill(dir, mode, random.nextLong(), "r" + round, checkpointMs, killAfter, context);
            for (Ack a : acks) {
                Ack previous = acked.computeIfAbsent(a.partition(), p -> new HashMap<>())
                        .putIfAbsent(a.baseOffset(), a);
                assertThat(previous)
                        .as("%s: offset %d of partition %d acknowledged twice", context, a.baseOffset(), a.partition())
                        .isNull();
            }
            verifyAndExtend(dir, fsync, acked, "parent" + round, random, context);
        }
    }

    /** Starts the child, kills it with SIGKILL once it has acknowledged {@code killAfter} batches, returns every ack. */
    private List<Ack> runChildAndKill(
            Path dir, String mode, long seed, String runId, long checkpointMs, int killAfter, String context)
            throws Exception {
        Path stderr = tmp.resolve(runId + ".stderr");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        KillNineAppender.class.getName(),
                        dir.toString(),
                        mode,
                        Long.toString(seed),
                        runId,
                        Long.toString(checkpointMs))
                .redirectError(stderr.toFile());
        Process child = builder.start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        lines.add("READ FAILED " + e);
                    } finally {
                        lines.add(EOF);
                    }
                },
                "child-stdout-" + runId);
        reader.setDaemon(true);
        reader.start();
        List<Ack> acks = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHILD_TIMEOUT_MS);
            boolean eof = false;
            while (acks.size() < killAfter) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail(
                            "%s: the child acknowledged only %d batches in %d ms; stderr:%n%s",
                            context, acks.size(), CHILD_TIMEOUT_MS, read(stderr));
                }
                if (line.equals(EOF)) {
                    eof = true;
                    break;
                }
                parse(line).ifPresent(acks::add);
            }
            if (eof) {
                fail(
                        "%s: the child exited on its own (%s) after %d acks; stderr:%n%s",
                        context,
                        child.waitFor(10, TimeUnit.SECONDS) ? child.exitValue() : "?",
                        acks.size(),
                        read(stderr));
            }
            child.destroyForcibly(); // SIGKILL on Linux; checked through the exit status below
            assertThat(child.waitFor(CHILD_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                    .as("%s: child did not die", context)
                    .isTrue();
            assertThat(child.exitValue())
                    .as("%s: exit status of the child (137 = killed by SIGKILL)", context)
                    .isEqualTo(KILLED_BY_SIGKILL);
            // Lines the child wrote before it died are acks too: drain the pipe to its end.
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(line)
                        .as("%s: the child's stdout did not end", context)
                        .isNotNull();
                if (line.equals(EOF)) {
                    break;
                }
                parse(line).ifPresent(acks::add);
            }
            return acks;
        } finally {
            child.destroyForcibly();
            child.waitFor(CHILD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            reader.join(CHILD_TIMEOUT_MS);
        }
    }

    private static Optional<Ack> parse(String line) {
        String[] f = line.split(" ");
        if (f.length != 6 || !f[0].equals(KillNineAppender.ACK) || !f[5].equals(".") || f[4].length() != 64) {
            return Optional.empty(); // a log line, or the last line cut short by the kill
        }
        return Optional.of(new Ack(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }

    /**
     * Reopens the directory after the kill and checks every partition against the acks; then appends to each, reads
     * the new batches back, adds them to {@code acked} and closes cleanly.
     */
    private void verifyAndExtend(
            Path dir, boolean fsync, Map<Integer, Map<Long, Ack>> acked, String runId, Random random, String context)
            throws IOException {
        try (LogManager manager = LogManager.open(
                KillNineAppender.managerConfig(dir, fsync, 60_000), DiskStorage.instance(), Clock.systemUTC())) {
            assertThat(manager.offlinePartitions()).as(context).isEmpty();
            Set<String> keys = new HashSet<>();
            for (int p = 0; p < KillNineAppender.PARTITIONS; p++) {
                PartitionLog log = manager.getOrCreateLog(new TopicPartition(KillNineAppender.TOPIC, p));
                Map<Long, Ack> expected = acked.getOrDefault(p, Map.of());
                Map<Long, Ack> found = scan(log, p, keys, context);
                long maxAcked = -1;
                for (Ack a : expected.values()) {
                    assertThat(found.get(a.baseOffset()))
                            .as("%s: acknowledged batch %s", context, a)
                            .isEqualTo(a);
                    maxAcked = Math.max(maxAcked, a.lastOffset());
                }
                assertThat(log.logEndOffset())
                        .as("%s: log end offset of partition %d", context, p)
                        .isGreaterThan(maxAcked);
                extend(log, p, runId, random, acked, context);
            }
        }
    }

    /**
     * Reads the whole partition through the read API: batches must be valid, contiguous from offset 0, and carry keys
     * seen nowhere else. Returns every batch as an ack.
     */
    private static Map<Long, Ack> scan(PartitionLog log, int partition, Set<String> keys, String context)
            throws IOException {
        assertThat(log.logStartOffset()).as(context).isZero();
        Map<Long, Ack> found = new HashMap<>();
        long next = 0;
        while (next < log.logEndOffset()) {
            LogSlice slice = log.read(next, 1 << 20, Long.MAX_VALUE, true);
            assertThat(slice.isEmpty())
                    .as(
                            "%s: partition %d reads nothing at %d, below its end %d",
                            context, partition, next, log.logEndOffset())
                    .isFalse();
            ByteBuffer buf = slice.toByteBuffer();
            for (int at = 0; at < buf.limit(); ) {
                RecordBatch b = RecordBatch.at(buf, at);
                String where = context + ": partition " + partition + " batch " + b;
                assertThat(b.baseOffset())
                        .as("%s: offsets must be contiguous", where)
                        .isEqualTo(next);
                assertThat(b.isChecksumValid()).as("%s: CRC", where).isTrue();
                List<Record> records = BatchRecords.decode(b);
                assertThat(records).as(where).hasSize(b.lastOffsetDelta() + 1);
                for (Record r : records) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    assertThat(keys.add(key))
                            .as("%s: record %s appears twice", where, key)
                            .isTrue();
                }
                found.put(b.baseOffset(), new Ack(partition, b.baseOffset(), b.lastOffset(), KillNineAppender.hash(b)));
                next = b.nextOffset();
                at += b.sizeInBytes();
            }
        }
        assertThat(next).as("%s: batches end at the log end offset", context).isEqualTo(log.logEndOffset());
        return found;
    }

    /** Appends a few batches to the recovered log, reads them back byte for byte, and records them as acks. */
    private static void extend(
            PartitionLog log,
            int partition,
            String runId,
            Random random,
            Map<Integer, Map<Long, Ack>> acked,
            String context)
            throws IOException {
        AtomicLong sequence = new AtomicLong();
        long end = log.logEndOffset();
        List<ByteBuffer> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ByteBuffer batches = KillNineAppender.randomAppend(random, runId + "-" + partition, sequence);
            long before = log.logEndOffset();
            AppendInfo info = log.appendAsLeader(batches, 7);
            assertThat(info.firstOffset())
                    .as("%s: append after recovery", context)
                    .isEqualTo(before);
            written.add(batches);
            for (String line : KillNineAppender.ackLines(partition, batches)) {
                Ack a = parse(line).orElseThrow();
                acked.computeIfAbsent(partition, p -> new HashMap<>()).put(a.baseOffset(), a);
            }
        }
        ByteBuffer expected = ByteBuffer.allocate(
                written.stream().mapToInt(ByteBuffer::remaining).sum());
        written.forEach(b -> expected.put(b.duplicate()));
        expected.flip();
        assertThat(RecordBatch.at(expected, 0).baseOffset()).as(context).isEqualTo(end);
        ByteBuffer readBack = ByteBuffer.allocate(expected.remaining());
        for (long offset = end; offset < log.logEndOffset(); ) {
            ByteBuffer slice = log.read(offset, 1 << 20, Long.MAX_VALUE, true).toByteBuffer();
            readBack.put(slice);
            RecordBatch last = null;
            for (int at = 0; at < slice.limit(); at += last.sizeInBytes()) {
                last = RecordBatch.at(slice, at);
            }
            offset = last.nextOffset();
        }
        assertThat(readBack.flip())
                .as("%s: batches appended after recovery read back", context)
                .isEqualTo(expected);
    }
}
