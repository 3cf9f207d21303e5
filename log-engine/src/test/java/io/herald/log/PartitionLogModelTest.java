package io.herald.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.log.LogModel.Batch;
import io.herald.log.io.MemoryStorage;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Compression;
import io.herald.log.record.Header;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordBatchBuilder;
import io.herald.log.record.RecordTooLargeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Randomized model-based test of {@link PartitionLog}: seeded random sequences of appends, reads, rolls, truncations,
 * DeleteRecords, retention passes, timestamp look-ups, flushes, clean reopens and crashes ({@link
 * MemoryStorage#crash()}: every file back to its last fsync), each checked against {@link LogModel}. Small segments and
 * index intervals make many segments and index entries.
 *
 * <p>After a crash the model accepts any outcome a power loss allows: every batch that ended below the last flush is
 * there, byte for byte; beyond it the log may hold any run of batches it once held at those offsets (the tail cut by
 * a truncation may come back, since that cut is not flushed), contiguous within each segment; and the log start
 * offset may fall back to the last checkpoint. The model then adopts what survived.
 *
 * <p>A failure names the seed, the configuration and the last operations with the state after each. Rerun one seed
 * with {@code ./mvnw -pl log-engine test -Dtest=PartitionLogModelTest -Dsurefire.argLine=-Dherald.model.seed=<seed>}
 * (or add it to {@link #FIXED_SEEDS}); search longer with {@code -Dherald.model.randomSeeds=1000}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PartitionLogModelTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final long MINUTE = 60_000;
    private static final TopicPartition TP = new TopicPartition("model", 0);
    private static final Path DIR = Path.of("/data", TP.dirName());
    private static final int OPERATIONS = 600;
    private static final long[] FIXED_SEEDS = {1, 2, 3, 20_261_101};
    /** Random seeds per run besides the fixed ones. */
    private static final int RANDOM_SEEDS = Integer.getInteger("herald.model.randomSeeds", 8);

    private final MemoryStorage storage = new MemoryStorage();
    private final MutableClock clock = new MutableClock(NOW);
    private final List<String> history = new ArrayList<>();
    private final LogModel model = new LogModel();
    private Random random;
    private LogConfig config;
    private GroupCommit groupCommit;
    private ManualScheduler scheduler;
    private PartitionLog log;
    private long checkpointedRecoveryPoint;
    private long checkpointedStartOffset;

    static LongStream seeds() {
        if (System.getProperty("herald.model.seed") != null) {
            return LongStream.of(Long.getLong("herald.model.seed"));
        }
        Random r = new Random();
        return LongStream.concat(
                LongStream.of(FIXED_SEEDS), LongStream.generate(r::nextLong).limit(RANDOM_SEEDS));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomOperationsAgreeWithTheModel(long seed) throws Exception {
        random = new Random(seed);
        config = randomConfig();
        groupCommit = GroupCommit.start("model-group-commit");
        try {
            open(0, 0, true);
            for (int i = 0; i < OPERATIONS; i++) {
                step();
                history.set(history.size() - 1, history.get(history.size() - 1) + "  => " + state());
                assertThat(log.logStartOffset())
                        .as("log start offset, which must not pass the log end offset")
                        .isLessThanOrEqualTo(log.logEndOffset());
                assertThat(log.logStartOffset()).as("log start offset").isEqualTo(model.start);
                assertThat(log.logEndOffset()).as("log end offset").isEqualTo(model.end);
                if (i % 50 == 49) {
                    checkEverything();
                }
            }
            reopenCleanly();
        } catch (Throwable t) {
            int from = Math.max(0, history.size() - 40);
            throw new AssertionError(
                    "Seed " + seed + " failed at operation " + history.size() + " with " + config.toMap()
                            + "\nlast operations:\n  " + String.join("\n  ", history.subList(from, history.size())),
                    t);
        } finally {
            groupCommit.close();
        }
    }

    /**
     * The shortest form of a failure the random runs found. {@link PartitionLog#truncateTo} cuts the active segment
     * without an fsync, and the recovery point it lowers lets the next flush start at a newer segment, so the cut is
     * never made durable: after a power loss the cut batch is back in the old segment, which then overlaps the new one,
     * and recovery refuses the partition.
     */
    @Test
    void aTailCutByTruncationStaysCutAfterACrashOnceANewSegmentFollowsIt() throws Exception {
        config = LogConfig.defaults().with(Map.of("flush.messages", "1"));
        groupCommit = GroupCommit.start("model-group-commit");
        try {
            open(0, 0, true);
            log.appendAsLeader(TestBatches.batch(1, NOW, Compression.NONE, "old"), 0); // offset 0, fsynced
            log.appendAsLeader(TestBatches.batch(1, NOW, Compression.NONE, "old"), 0); // offset 1, fsynced
            log.truncateTo(1); // a follower drops its diverged offset 1
            log.roll();
            ByteBuffer replacement = TestBatches.batch(1, NOW, Compression.NONE, "new");
            log.appendAsLeader(replacement.duplicate(), 1); // offset 1 again, fsynced, in the new segment
            long recoveryPoint = log.recoveryPoint();

            storage.crash();
            open(recoveryPoint, 0, false);

            assertThat(log.logEndOffset()).isEqualTo(2);
            ByteBuffer atOne = log.read(1, 1 << 20, Long.MAX_VALUE, true).toByteBuffer();
            assertThat(BatchRecords.decode(RecordBatch.at(atOne, 0)))
                    .extracting(r -> TestBatches.string(r.value()))
                    .containsExactly("new0");
        } finally {
            groupCommit.close();
        }
    }

    /**
     * The shortest form of the other failure the random runs found. A crash that loses the unflushed tail of a segment
     * leaves the next, empty, segment in place, so the log has a gap: it ends at that segment's base offset while its
     * last batch ends below. A later {@link PartitionLog#truncateTo} into the gap sets the log end offset to the end of
     * that last batch, which can be below the log start offset: appends then get offsets nobody can read.
     */
    @Test
    void aCrashThatLosesASegmentsTailLeavesNoGapAndTheLogStaysUsable() throws Exception {
        config = LogConfig.defaults();
        groupCommit = GroupCommit.start("model-group-commit");
        try {
            open(0, 0, true);
            log.appendAsLeader(TestBatches.batch(1, NOW), 0); // offset 0
            log.flush();
            log.appendAsLeader(TestBatches.batch(5, NOW), 0); // offsets 1-5, never flushed
            log.roll(); // an empty segment at 6; its background flush does not run before the crash
            long recoveryPoint = log.recoveryPoint();

            storage.crash();
            open(recoveryPoint, 0, false);

            // Offsets 1-5 are gone with the crash; the segment at 6 must not leave them as a hole.
            assertThat(log.logEndOffset()).isEqualTo(1);
            assertThat(log.segmentCount()).isEqualTo(1);
            log.appendAsLeader(TestBatches.batch(3, NOW), 0);
            log.deleteRecordsBefore(2);
            log.truncateTo(log.logEndOffset() - 1); // a follower drops its last batch

            assertThat(log.logEndOffset())
                    .as("log end offset after truncateTo; log start offset is %d", log.logStartOffset())
                    .isGreaterThanOrEqualTo(log.logStartOffset());
            AppendInfo next = log.appendAsLeader(TestBatches.batch(1, NOW), 0);
            assertThat(log.read(next.firstOffset(), 1 << 20, Long.MAX_VALUE, true)
                            .firstOffset())
                    .isEqualTo(next.firstOffset());
        } finally {
            groupCommit.close();
        }
    }

    private LogConfig randomConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("segment.bytes", pick("1024", "1536", "2048", "4096"));
        c.put("index.interval.bytes", pick("0", "100", "300", "1000"));
        c.put("segment.index.bytes", pick("64", "128", "1024"));
        c.put("flush.messages", pick("1", String.valueOf(Long.MAX_VALUE)));
        c.put("message.timestamp.type", random.nextInt(4) == 0 ? "LogAppendTime" : "CreateTime");
        c.put("retention.ms", pick("-1", String.valueOf(30 * MINUTE), String.valueOf(120 * MINUTE)));
        c.put("retention.bytes", pick("-1", "6000", "20000"));
        c.put("segment.ms", pick(String.valueOf(LogConfig.SEGMENT_MS.defaultValue()), String.valueOf(60 * MINUTE)));
        return LogConfig.defaults().with(c);
    }

    private String pick(String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private void step() throws IOException {
        int r = random.nextInt(100);
        if (r < 36) {
            append();
        } else if (r < 54) {
            read();
        } else if (r < 58) {
            history.add("roll");
            log.roll();
        } else if (r < 63) {
            truncate();
        } else if (r < 67) {
            deleteRecords();
        } else if (r < 72) {
            retention();
        } else if (r < 77) {
            offsetForTimestamp();
        } else if (r < 83) {
            flush();
        } else if (r < 86) {
            history.add("run background tasks");
            scheduler.runAll();
        } else if (r < 90) {
            checkpoint();
        } else if (r < 94) {
            reopenCleanly();
        } else {
            crashAndReopen();
        }
    }

    // ---- operations ------------------------------------------------------------------------------------------------

    private void append() throws IOException {
        int count = random.nextInt(5) == 0 ? 2 + random.nextInt(2) : 1;
        List<ByteBuffer> produced = new ArrayList<>();
        List<long[]> timestamps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long[] ts = new long[1 + random.nextInt(random.nextInt(5) == 0 ? 30 : 4)];
            produced.add(randomBatch(ts));
            timestamps.add(ts);
        }
        ByteBuffer toLog = concat(produced);
        int size = toLog.remaining();
        int epoch = random.nextInt(4);
        history.add("append " + count + " batches, " + size + " bytes, epoch " + epoch + " at end " + model.end);
        if (size > config.segmentBytes()) {
            assertThatThrownBy(() -> log.appendAsLeader(toLog, epoch)).isInstanceOf(RecordTooLargeException.class);
            return;
        }
        long now = clock.millis();
        boolean logAppendTime = config.timestampType() == TimestampType.LOG_APPEND_TIME;
        ByteBuffer expected = concat(produced); // the model's own copy, given offsets here and not by the log
        List<Batch> batches = new ArrayList<>();
        long next = model.end;
        for (int i = 0, at = 0; i < count; i++) {
            RecordBatch b = RecordBatch.at(expected, at);
            b.setBaseOffset(next);
            b.setPartitionLeaderEpoch(epoch);
            long[] ts = timestamps.get(i);
            if (logAppendTime) {
                b.setLogAppendTime(now);
                Arrays.fill(ts, now);
            }
            batches.add(Batch.of(expected.duplicate().position(at), ts));
            next = b.nextOffset();
            at += b.sizeInBytes();
        }

        AppendInfo info = log.appendAsLeader(toLog, epoch);

        assertThat(info.firstOffset()).isEqualTo(model.end);
        assertThat(info.lastOffset()).isEqualTo(next - 1);
        assertThat(info.sizeInBytes()).isEqualTo(size);
        assertThat(info.logAppendTimeMs()).isEqualTo(logAppendTime ? now : -1);
        model.append(batches);
        if (config.flushMessages() == 1) {
            model.durableEnd = model.end;
        }
    }

    private ByteBuffer randomBatch(long[] timestamps) {
        Compression[] codecs = Compression.values();
        Compression codec = random.nextBoolean() ? Compression.NONE : codecs[random.nextInt(codecs.length)];
        RecordBatchBuilder builder = RecordBatchBuilder.create(codec);
        int maxValue = random.nextInt(25) == 0 ? 4000 : timestamps.length > 4 ? 40 : 250;
        long base = clock.millis() - random.nextInt((int) (150 * MINUTE)) + random.nextInt((int) (30 * MINUTE));
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = Math.max(0, base + random.nextInt((int) (2 * MINUTE)) - MINUTE);
            byte[] key = random.nextInt(8) == 0 ? null : ("k" + random.nextInt(50)).getBytes(StandardCharsets.UTF_8);
            byte[] value = random.nextInt(10) == 0 ? null : new byte[random.nextInt(maxValue)];
            if (value != null) {
                random.nextBytes(value);
            }
            List<Header> headers = random.nextInt(6) == 0 ? List.of(new Header("h", new byte[] {(byte) i})) : List.of();
            builder.append(i, timestamps[i], key, value, headers);
        }
        return builder.build();
    }

    private static ByteBuffer concat(List<ByteBuffer> buffers) {
        ByteBuffer all = ByteBuffer.allocate(
                buffers.stream().mapToInt(ByteBuffer::remaining).sum());
        buffers.forEach(b -> all.put(b.duplicate()));
        return all.flip();
    }

    /**
     * A read at a random offset with random limits: the slice must start at the batch holding the offset, hold the
     * following batches byte for byte, stop before {@code maxOffset}, within {@code maxBytes} (unless one larger batch
     * is asked for), and stop early only at the end of a segment.
     */
    private void read() throws IOException {
        long span = model.end - model.start;
        int kind = random.nextInt(10);
        long offset = kind == 0
                ? model.start - 1 - random.nextInt(3)
                : kind == 1 ? model.end + 1 + random.nextInt(3) : model.start + random.nextLong(span + 1);
        int maxBytes = random.nextInt(4) == 0 ? 1 << 20 : 1 + random.nextInt(5000);
        long maxOffset = random.nextBoolean() ? Long.MAX_VALUE : model.start + random.nextLong(span + 3);
        boolean minOneBatch = random.nextBoolean();
        history.add("read(" + offset + ", " + maxBytes + ", " + maxOffset + ", " + minOneBatch + ")");
        if (offset < model.start || offset > model.end) {
            assertThatThrownBy(() -> log.read(offset, maxBytes, maxOffset, minOneBatch))
                    .isInstanceOf(OffsetOutOfRangeException.class);
            return;
        }
        LogSlice slice = log.read(offset, maxBytes, maxOffset, minOneBatch);
        long limit = Math.min(maxOffset, model.end);
        List<Batch> candidates = new ArrayList<>();
        if (offset < limit) {
            for (Batch b : model.from(offset)) {
                if (b.last() >= limit) {
                    break;
                }
                candidates.add(b);
            }
        }
        ByteBuffer got = slice.toByteBuffer();
        int k = 0;
        int bytes = 0;
        while (bytes < got.limit()) {
            assertThat(k).as("slice holds more batches than may be read").isLessThan(candidates.size());
            Batch b = candidates.get(k);
            byte[] actual = new byte[Math.min(b.size(), got.limit() - bytes)];
            got.get(bytes, actual);
            assertThat(actual).as("batch %d of the slice", k).isEqualTo(b.bytes());
            bytes += b.size();
            k++;
        }
        if (k == 0) {
            assertThat(slice.firstOffset()).isEqualTo(offset);
            assertThat(slice.nextOffset()).as("next offset of an empty slice").isEqualTo(offset);
            boolean firstTooLarge = !candidates.isEmpty() && candidates.get(0).size() > maxBytes;
            assertThat(candidates.isEmpty() || (firstTooLarge && !minOneBatch))
                    .as("empty slice, but %s could be read", candidates.isEmpty() ? "-" : candidates.get(0))
                    .isTrue();
            return;
        }
        assertThat(slice.firstOffset()).isEqualTo(candidates.get(0).base());
        assertThat(slice.nextOffset())
                .as("next offset: after the last batch of the slice")
                .isEqualTo(candidates.get(k - 1).last() + 1);
        assertThat(bytes <= maxBytes || (k == 1 && minOneBatch))
                .as("slice of %d bytes for maxBytes %d", bytes, maxBytes)
                .isTrue();
        if (k < candidates.size() && bytes + candidates.get(k).size() <= maxBytes) {
            long nextBase = candidates.get(k).base();
            assertThat(log.segments().stream().anyMatch(s -> s.baseOffset() == nextBase))
                    .as("slice stops before %s, which fits and is in the same segment", candidates.get(k))
                    .isTrue();
        }
    }

    private void truncate() throws IOException {
        List<Long> bases = segmentBases();
        List<Batch> visible =
                new ArrayList<>(model.batches.tailMap(model.start, true).values());
        long target;
        if (visible.isEmpty() || random.nextInt(6) == 0) {
            target = model.end + random.nextInt(3);
        } else {
            // Targets at or above the log start offset, in or at the start of a batch that is wholly visible.
            Batch b = visible.get(random.nextInt(visible.size()));
            target = random.nextBoolean() ? b.base() : b.base() + random.nextLong(b.last() - b.base() + 1);
        }
        history.add("truncateTo(" + target + ")");
        boolean changed = log.truncateTo(target);
        assertThat(changed).isEqualTo(target < model.end);
        if (changed) {
            model.truncateTo(target, bases);
        }
    }

    private void deleteRecords() throws IOException {
        if (random.nextInt(8) == 0) {
            long beyond = model.end + 1 + random.nextInt(3);
            history.add("deleteRecordsBefore(" + beyond + ") beyond the end");
            assertThatThrownBy(() -> log.deleteRecordsBefore(beyond)).isInstanceOf(OffsetOutOfRangeException.class);
            return;
        }
        long offset = model.start + random.nextLong(model.end - model.start + 1);
        history.add("deleteRecordsBefore(" + offset + ")");
        List<Long> bases = segmentBases();
        boolean raises = offset > model.start;

        long result = log.deleteRecordsBefore(offset);

        model.start = Math.max(model.start, offset);
        assertThat(result).isEqualTo(model.start);
        if (raises) {
            long expectedFirst = bases.stream()
                    .filter(b -> b <= model.start)
                    .max(Long::compare)
                    .orElseThrow();
            assertThat(log.segments().get(0).baseOffset())
                    .as("first segment after DeleteRecords (segments were %s)", bases)
                    .isEqualTo(expectedFirst);
        }
        model.dropBelow(log.segments().get(0).baseOffset());
    }

    /**
     * A retention pass after the clock moved: the model works out, from its own batches and the engine's segment
     * boundaries, which segments are expired or over the size limit, and so the new log start offset.
     */
    private void retention() throws IOException {
        clock.advance(random.nextInt(8) == 0 ? 180 * MINUTE : random.nextInt((int) (20 * MINUTE)));
        long maxOffset =
                random.nextBoolean() ? Long.MAX_VALUE : model.start + random.nextLong(model.end - model.start + 2);
        List<Long> bases = segmentBases();
        history.add("retention at +" + (clock.millis() - NOW) / MINUTE + " min, maxOffset " + maxOffset + ", segments "
                + bases);
        long now = clock.millis();
        int n = bases.size();
        long excess = config.retentionBytes() < 0 ? Long.MIN_VALUE : model.totalBytes() - config.retentionBytes();
        int doomed = 0;
        for (int i = 0; i < n; i++) {
            long from = bases.get(i);
            long to = i + 1 < n ? bases.get(i + 1) : Long.MAX_VALUE;
            long size = model.bytesIn(from, to);
            long maxTimestamp = model.maxTimestampIn(from, to);
            boolean expired =
                    config.retentionMs() >= 0 && maxTimestamp >= 0 && now - maxTimestamp > config.retentionMs();
            boolean oversize = excess != Long.MIN_VALUE && excess - size >= 0;
            if (!(expired || oversize) || model.nextOffsetIn(from, to) > maxOffset || size == 0) {
                break;
            }
            doomed++;
            if (oversize) {
                excess -= size;
            }
        }
        List<Long> remaining = new ArrayList<>(bases.subList(doomed, n));
        long start = model.start;
        if (doomed > 0) {
            if (remaining.isEmpty()) {
                remaining.add(model.end); // the expired active segment is rolled first
            }
            start = Math.max(start, remaining.get(0));
        }
        int removed = doomed;
        for (int j = 0; j + 1 < remaining.size() && remaining.get(j + 1) <= start; j++) {
            removed++;
        }

        int deleted = log.deleteOldSegments(maxOffset);

        assertThat(log.logStartOffset()).as("log start offset after retention").isEqualTo(start);
        assertThat(deleted).as("segments deleted by retention").isEqualTo(removed);
        model.start = start;
        model.dropBelow(log.segments().get(0).baseOffset());
    }

    private void offsetForTimestamp() throws IOException {
        long ts;
        List<Batch> all = new ArrayList<>(model.batches.values());
        if (!all.isEmpty() && random.nextInt(4) != 0) {
            Batch b = all.get(random.nextInt(all.size()));
            ts = b.recordTimestamps()[random.nextInt(b.recordTimestamps().length)] + random.nextInt(3) - 1;
        } else {
            ts = clock.millis() - random.nextInt((int) (200 * MINUTE)) + random.nextInt((int) (60 * MINUTE));
        }
        history.add("offsetForTimestamp(" + ts + ")");
        assertThat(log.offsetForTimestamp(ts)).isEqualTo(model.offsetForTimestamp(ts));
    }

    private void flush() throws IOException {
        if (random.nextBoolean()) {
            history.add("flush()");
            log.flush();
            model.durableEnd = model.end;
        } else {
            long upTo = model.start + random.nextLong(model.end - model.start + 3);
            history.add("flush(" + upTo + ")");
            log.flush(upTo);
            model.durableEnd = Math.max(model.durableEnd, Math.min(upTo, model.end));
        }
    }

    /** What a LogManager does periodically: records the recovery point and the log start offset. */
    private void checkpoint() {
        checkpointedRecoveryPoint = log.recoveryPoint();
        checkpointedStartOffset = log.logStartOffset();
        history.add(
                "checkpoint (recovery point " + checkpointedRecoveryPoint + ", start " + checkpointedStartOffset + ")");
    }

    private void reopenCleanly() throws IOException {
        history.add("close and reopen");
        log.close();
        open(log.recoveryPoint(), log.logStartOffset(), true);
        model.durableEnd = model.end;
        checkEverything();
    }

    private void crashAndReopen() throws IOException {
        history.add("crash and reopen (checkpoint: recovery point " + checkpointedRecoveryPoint + ", start "
                + checkpointedStartOffset + "; model durable to " + model.durableEnd + ")");
        storage.crash();
        long start = checkpointedStartOffset;
        open(checkpointedRecoveryPoint, start, false);
        TreeMap<Long, byte[]> survived = physicalBatches();
        long startAfter = log.logStartOffset();
        long endAfter = log.logEndOffset();
        assertThat(startAfter).as("log start offset after the crash").isBetween(start, model.start);
        for (Map.Entry<Long, byte[]> e : survived.entrySet()) {
            RecordBatch b = RecordBatch.at(ByteBuffer.wrap(e.getValue()), 0);
            assertThat(model.isKnownVersion(e.getKey(), e.getValue()))
                    .as("batch %s after the crash is one the log held", b)
                    .isTrue();
            Batch current = model.batches.get(e.getKey());
            if (current != null && current.next() <= model.durableEnd) {
                assertThat(current.sameBytes(e.getValue()))
                        .as("flushed batch %s after the crash", current)
                        .isTrue();
            }
        }
        for (Batch b : model.batches.values()) {
            if (b.next() <= model.durableEnd && b.last() >= startAfter) {
                assertThat(survived)
                        .as("flushed batch %s survives the crash", b)
                        .containsKey(b.base());
            }
        }
        TreeMap<Long, Batch> adopted = new TreeMap<>();
        for (Map.Entry<Long, byte[]> e : survived.entrySet()) {
            Batch current = model.batches.get(e.getKey());
            Batch b = current != null && current.sameBytes(e.getValue())
                    ? current
                    : model.ghosts.get(e.getKey()).stream()
                            .filter(g -> g.sameBytes(e.getValue()))
                            .findFirst()
                            .orElseThrow();
            adopted.put(e.getKey(), b);
        }
        model.batches.clear();
        model.batches.putAll(adopted);
        model.start = startAfter;
        model.end = endAfter;
        model.durableEnd = endAfter;
        checkpoint(); // a LogManager checkpoints right after loading
        checkEverything();
    }

    // ---- checks
    // ------------------------------------------------------------------------------------------------------

    private void open(long recoveryPoint, long startOffset, boolean clean) throws IOException {
        scheduler = new ManualScheduler(); // tasks of an abandoned log must not run against the new one
        LogEnvironment env = new LogEnvironment(storage, clock, scheduler, groupCommit);
        log = PartitionLog.open(env, DIR, TP, config, recoveryPoint, startOffset, clean);
    }

    /** The log's offsets and segments, for the history. */
    private String state() {
        return "[" + log.logStartOffset() + ", " + log.logEndOffset() + "), recovery point " + log.recoveryPoint()
                + ", segments " + segmentBases();
    }

    private List<Long> segmentBases() {
        return log.segments().stream().map(Segment::baseOffset).toList();
    }

    /**
     * Every batch in the segment files, by base offset, checking the structure on the way: batches contiguous across
     * segments, each segment starting at its first batch, the last one ending at the log end offset.
     */
    private TreeMap<Long, byte[]> physicalBatches() throws IOException {
        TreeMap<Long, byte[]> out = new TreeMap<>();
        List<Segment> segments = log.segments();
        long next = segments.get(0).baseOffset();
        for (Segment s : segments) {
            // A crash can leave a gap (never an overlap): a segment that lost its unflushed tail is followed by the
            // next, empty, segment at its old base offset (Kafka's recovery, too, drops later segments only after
            // it cut bytes).
            assertThat(s.baseOffset())
                    .as("segment %s follows the previous one", s)
                    .isGreaterThanOrEqualTo(next);
            next = s.baseOffset();
            BatchScanner scanner = BatchScanner.batches(s.file(), 0, s.size());
            for (RecordBatch b = scanner.next(); b != null; b = scanner.next()) {
                assertThat(b.baseOffset()).as("batch in %s", s).isEqualTo(next);
                assertThat(b.isChecksumValid()).as("CRC of %s in %s", b, s).isTrue();
                byte[] bytes = new byte[b.sizeInBytes()];
                b.slice().get(bytes);
                out.put(b.baseOffset(), bytes);
                next = b.nextOffset();
            }
            assertThat(scanner.stopReason()).as("framing of %s", s).isNull();
            assertThat(s.nextOffset()).as("next offset of %s", s).isEqualTo(next);
        }
        assertThat(next).as("batches end at the log end offset").isEqualTo(log.logEndOffset());
        return out;
    }

    /** The log holds exactly the model's batches, and every visible one can be found through the indexes. */
    private void checkEverything() throws IOException {
        TreeMap<Long, byte[]> physical = physicalBatches();
        assertThat(physical.keySet()).as("batches in the segment files").isEqualTo(model.batches.keySet());
        for (Batch b : model.batches.values()) {
            assertThat(physical.get(b.base())).as("bytes of %s", b).isEqualTo(b.bytes());
        }
        assertThat(log.logStartOffset()).as("log start offset").isEqualTo(model.start);
        assertThat(log.logEndOffset()).as("log end offset").isEqualTo(model.end);
        for (Batch b : model.batches
                .tailMap(model.containing(model.start).map(Batch::base).orElse(model.start), true)
                .values()) {
            long offset = Math.max(model.start, b.base() + random.nextLong(b.last() - b.base() + 1));
            LogSlice slice = log.read(offset, 1, Long.MAX_VALUE, true);
            assertThat(slice.firstOffset()).as("read at %d finds %s", offset, b).isEqualTo(b.base());
            assertThat(slice.length()).as("read at %d finds %s", offset, b).isEqualTo(b.size());
        }
    }
}
