package io.herald.log;

import static io.herald.log.TestBatches.bytes;
import static io.herald.log.TestBatches.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.log.io.DiskStorage;
import io.herald.log.io.MemoryStorage;
import io.herald.log.io.Storage;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Compression;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompactionTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final long DAY = 24 * 3600 * 1000L;
    private static final TopicPartition TP = new TopicPartition("kv", 0);
    private static final Map<String, String> COMPACT = Map.of(
            "cleanup.policy", "compact",
            "segment.bytes", "1024",
            "index.interval.bytes", "128",
            "segment.index.bytes", "4096");

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(NOW);
    private LogManager manager;
    private LogCleaner cleaner;

    @AfterEach
    void tearDown() throws IOException {
        if (manager != null) {
            manager.close();
        }
    }

    private PartitionLog open(Storage storage, Path dir, Map<String, String> topicConfig) throws IOException {
        LogManagerConfig config = LogManagerConfig.defaults(List.of(dir)).withCleaner(false, 100);
        manager = LogManager.open(config, storage, clock);
        manager.setTopicConfig(TP.topic(), topicConfig);
        cleaner = LogCleaner.create(manager, config);
        return manager.getOrCreateLog(TP);
    }

    private static ByteBuffer put(Compression compression, long timestamp, String... keysAndValues) {
        RecordBatchBuilder b = RecordBatchBuilder.create(compression);
        for (int i = 0; i < keysAndValues.length / 2; i++) {
            b.append(i, timestamp, bytes(keysAndValues[2 * i]), bytes(keysAndValues[2 * i + 1]));
        }
        return b.build();
    }

    /** All records from the log start, in order, as key -> (offset, value). */
    private static List<Record> readAll(PartitionLog log) throws IOException {
        List<Record> out = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            ByteBuffer buf = log.read(offset, 1 << 20, Long.MAX_VALUE, true).toByteBuffer();
            if (!buf.hasRemaining()) {
                break;
            }
            for (int p = 0; p < buf.limit(); ) {
                RecordBatch b = RecordBatch.at(buf, p);
                assertThat(b.isChecksumValid()).isTrue();
                out.addAll(BatchRecords.decode(b));
                offset = b.nextOffset();
                p += b.sizeInBytes();
            }
        }
        return out;
    }

    /** Writes 300 updates of 20 keys, mixed compression, and returns each key's newest (offset, value). */
    private static Map<String, Record> writeUpdates(PartitionLog log, long seed) throws IOException {
        return writeUpdates(log, seed, 100);
    }

    private static Map<String, Record> writeUpdates(PartitionLog log, long seed, int batches) throws IOException {
        Random random = new Random(seed);
        Map<String, Record> newest = new HashMap<>();
        Compression[] codecs = Compression.values();
        for (int i = 0; i < batches; i++) {
            List<String> kv = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                kv.add("key-" + random.nextInt(20));
                kv.add("value-" + i + "-" + r);
            }
            AppendInfo info = log.appendAsLeader(put(codecs[i % codecs.length], NOW, kv.toArray(String[]::new)), 0);
            for (int r = 0; r < 3; r++) {
                String key = kv.get(2 * r);
                newest.put(key, Record.of(info.firstOffset() + r, NOW, bytes(key), bytes(kv.get(2 * r + 1))));
            }
        }
        log.roll();
        return newest;
    }

    @Test
    void compactionKeepsTheNewestRecordOfEachKeyAtItsOffset() throws IOException {
        PartitionLog log = open(DiskStorage.instance(), data, COMPACT);
        Map<String, Record> newest = writeUpdates(log, 1);
        int segmentsBefore = log.segmentCount();
        long sizeBefore = log.size();

        assertThat(cleaner.cleanNow(TP)).isTrue();

        List<Record> after = readAll(log);
        assertThat(after).containsExactlyInAnyOrderElementsOf(newest.values());
        assertThat(after).extracting(Record::offset).isSorted().doesNotHaveDuplicates();
        assertThat(log.size()).isLessThan(sizeBefore);
        // Groups are formed from the segments' sizes before cleaning, so shrunk segments merge on the next pass.
        cleaner.cleanNow(TP);
        assertThat(log.segmentCount()).isLessThan(segmentsBefore);
        assertThat(readAll(log)).containsExactlyInAnyOrderElementsOf(newest.values());
        assertThat(log.logEndOffset()).isEqualTo(300);
        assertThat(log.appendAsLeader(put(Compression.NONE, NOW, "key-0", "last"), 0)
                        .firstOffset())
                .isEqualTo(300);
    }

    @Test
    void compactedSegmentsSurviveARestart() throws IOException {
        PartitionLog log = open(DiskStorage.instance(), data, COMPACT);
        Map<String, Record> newest = writeUpdates(log, 2);
        cleaner.cleanNow(TP);
        manager.close();

        PartitionLog reopened = open(DiskStorage.instance(), data, COMPACT);

        assertThat(readAll(reopened)).containsExactlyInAnyOrderElementsOf(newest.values());
        assertThat(cleaner.firstDirtyOffset(TP)).isPositive();
    }

    @Test
    void aTombstoneStaysForDeleteRetentionAfterTheFirstCleaningThenGoes() throws IOException {
        PartitionLog log = open(DiskStorage.instance(), data, COMPACT);
        log.appendAsLeader(put(Compression.NONE, NOW, "a", "1", "b", "2"), 0);
        log.appendAsLeader(put(Compression.NONE, NOW, "a", null), 0);
        log.roll();

        cleaner.cleanNow(TP);
        List<Record> first = readAll(log);
        assertThat(first).extracting(r -> string(r.key())).containsExactly("b", "a");
        assertThat(first.get(1).isTombstone()).isTrue();
        RecordBatch tombstoneBatch =
                RecordBatch.at(log.read(2, 1000, Long.MAX_VALUE, true).toByteBuffer(), 0);
        assertThat(tombstoneBatch.deleteHorizonMs()).isEqualTo(NOW + DAY);

        clock.advance(DAY - 1);
        cleaner.cleanNow(TP);
        assertThat(readAll(log)).extracting(Record::isTombstone).containsExactly(false, true);

        clock.advance(2);
        cleaner.cleanNow(TP);
        assertThat(readAll(log)).extracting(r -> string(r.key())).containsExactly("b");
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void aProducersLastBatchStaysAsAnEmptyBatchSoItsSequenceSurvives() throws IOException {
        PartitionLog log = open(DiskStorage.instance(), data, COMPACT);
        log.appendAsLeader(producerBatch(7, 0, "k", "a"), 0);
        log.appendAsLeader(producerBatch(7, 1, "k", "b"), 0);
        log.appendAsLeader(put(Compression.NONE, NOW, "k", "c", "other", "x"), 0);
        log.roll();

        cleaner.cleanNow(TP);

        List<RecordBatch> batches = new ArrayList<>();
        ByteBuffer buf = log.read(0, 1 << 20, Long.MAX_VALUE, true).toByteBuffer();
        for (int p = 0; p < buf.limit(); p += RecordBatch.at(buf, p).sizeInBytes()) {
            batches.add(RecordBatch.at(buf, p));
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).producerId()).isEqualTo(7);
        assertThat(batches.get(0).baseSequence()).isEqualTo(1);
        assertThat(batches.get(0).recordCount()).isZero();
        assertThat(batches.get(0).baseOffset()).isEqualTo(1);
        assertThat(readAll(log)).extracting(r -> string(r.value())).containsExactly("c", "x");
    }

    private static ByteBuffer producerBatch(long producerId, int sequence, String key, String value) {
        return RecordBatchBuilder.create(Compression.NONE)
                .producer(producerId, (short) 0, sequence)
                .append(0, NOW, bytes(key), bytes(value))
                .build();
    }

    @Test
    void recordsYoungerThanTheMinimumCompactionLagAreNotCleaned() throws IOException {
        Map<String, String> lagged = new HashMap<>(COMPACT);
        lagged.put("min.compaction.lag.ms", "60000");
        PartitionLog log = open(DiskStorage.instance(), data, lagged);
        log.appendAsLeader(put(Compression.NONE, NOW - 120_000, "a", "old"), 0);
        log.roll();
        log.appendAsLeader(put(Compression.NONE, NOW, "a", "new"), 0);
        log.roll();

        cleaner.cleanNow(TP);

        assertThat(readAll(log)).extracting(r -> string(r.value())).containsExactly("old", "new");
    }

    @Test
    void compactAndDeleteTopicsAreAlsoTrimmedByRetention() throws IOException {
        Map<String, String> both = new HashMap<>(COMPACT);
        both.put("cleanup.policy", "compact,delete");
        both.put("retention.ms", "60000");
        PartitionLog log = open(DiskStorage.instance(), data, both);
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(put(Compression.NONE, NOW - 120_000, "k" + i, "v"), 0);
        }
        log.roll();
        log.appendAsLeader(put(Compression.NONE, NOW, "fresh", "v"), 0);

        manager.runRetention();

        assertThat(readAll(log)).extracting(r -> string(r.key())).containsExactly("fresh");
    }

    @Test
    void theBackgroundCleanerCompactsADirtyLogOnItsOwn() throws Exception {
        LogManagerConfig config = LogManagerConfig.defaults(List.of(data)).withCleaner(true, 50);
        manager = LogManager.open(config, DiskStorage.instance(), clock);
        Map<String, String> eager = new HashMap<>(COMPACT);
        eager.put("min.cleanable.dirty.ratio", "0.01");
        manager.setTopicConfig(TP.topic(), eager);
        PartitionLog log = manager.getOrCreateLog(TP);
        Map<String, Record> newest = writeUpdates(log, 3);
        LogCleaner background = manager.cleaner().orElseThrow();

        await().atMost(Duration.ofSeconds(30)).until(() -> background.firstDirtyOffset(TP) == 300);

        assertThat(readAll(log)).containsExactlyInAnyOrderElementsOf(newest.values());
    }

    /**
     * Cuts a compaction at each of its I/O steps as a crash would (the storage dies there and loses what was not
     * flushed), restarts, and checks that the log still holds the newest value of every key at its offset, each once.
     */
    @Test
    void aCrashAtAnyStepOfACompactionLosesNothing() throws IOException {
        Path dir = Path.of("/data");
        int steps = 0;
        for (int cut = 1; cut < 300; cut++) {

            MemoryStorage storage = new MemoryStorage();
            PartitionLog log = open(storage, dir, COMPACT);
            Map<String, Record> newest = writeUpdates(log, 4, 30);
            long end = log.logEndOffset();
            log.flush();
            List<Record> before = readAll(log);

            storage.failOn(cut);
            boolean completed;
            try {
                completed = cleaner.cleanNow(TP);
            } catch (IOException e) {
                completed = false;
            }
            completed &= storage.mutations() < cut;
            try {
                manager.close();
            } catch (IOException e) {
                // the storage is dead: nothing more reaches it
            }
            manager = null;
            storage.crash();
            storage.failOn(0);
            storage.delete(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE));

            PartitionLog recovered = open(storage, dir, COMPACT);
            List<Record> after = readAll(recovered);
            assertThat(after).as("after a crash at step %d", cut).containsAll(newest.values());
            assertThat(after).extracting(Record::offset).isSorted().doesNotHaveDuplicates();
            assertThat(before).containsAll(after);
            assertThat(recovered.logEndOffset()).isEqualTo(end);
            manager.close();
            manager = null;
            if (completed) {
                steps = cut;
                break;
            }
        }
        assertThat(steps).as("the compaction completes once no step is cut").isPositive();
    }

    @Test
    void compactionKeepsLogAppendTimeBatchesValid() throws IOException {
        Map<String, String> lat = new LinkedHashMap<>(COMPACT);
        lat.put("message.timestamp.type", "LogAppendTime");
        PartitionLog log = open(DiskStorage.instance(), data, lat);
        log.appendAsLeader(put(Compression.GZIP, 1, "a", "1", "b", "1"), 0);
        log.appendAsLeader(put(Compression.GZIP, 1, "a", "2"), 0);
        log.roll();

        cleaner.cleanNow(TP);

        List<Record> records = readAll(log);
        assertThat(records).extracting(r -> string(r.value())).containsExactly("1", "2");
        assertThat(records).extracting(Record::timestamp).containsOnly(NOW);
    }

    @Test
    void aTruncationMakesTheCleanerStartOverSoReappendedOffsetsAreCleanedToo() throws IOException {
        PartitionLog log = open(DiskStorage.instance(), data, COMPACT);
        writeUpdates(log, 5, 30);
        cleaner.cleanNow(TP);
        long firstDirty = cleaner.firstDirtyOffset(TP);

        log.truncateTo(firstDirty - 10);
        log.appendAsLeader(put(Compression.NONE, NOW, "key-1", "a", "key-1", "b"), 0);
        log.roll();
        cleaner.cleanNow(TP);

        List<Record> after = readAll(log);
        assertThat(after)
                .filteredOn(r -> string(r.key()).equals("key-1"))
                .extracting(r -> string(r.value()))
                .containsExactly("b");
        assertThat(after).extracting(r -> string(r.key())).doesNotHaveDuplicates();
    }
}
