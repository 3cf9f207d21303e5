package io.herald.log;

import static io.herald.log.TestBatches.batch;
import static io.herald.log.TestBatches.sized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.log.io.DiskStorage;
import io.herald.log.io.MemoryStorage;
import io.herald.log.io.Storage;
import io.herald.log.record.RecordBatch;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What opening a partition does with files a crash, a full disk or an outside hand left behind. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogRecoveryTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final TopicPartition TP = new TopicPartition("events", 3);
    private static final LogConfig SMALL_SEGMENTS =
            LogConfig.defaults().with(Map.of("segment.bytes", "4096", "index.interval.bytes", "500"));

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private GroupCommit groupCommit;
    private final List<PartitionLog> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        groupCommit = GroupCommit.start("test-group-commit");
        logs.start();
        ((Logger) LoggerFactory.getLogger("io.herald.log")).addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger("io.herald.log")).detachAppender(logs);
        for (PartitionLog l : opened) {
            if (!l.isClosed()) {
                l.close();
            }
        }
        groupCommit.close();
    }

    private Path dir() {
        return tmp.resolve(TP.dirName());
    }

    private PartitionLog open(Storage storage, LogConfig config, boolean clean, long recoveryPoint) throws IOException {
        LogEnvironment env = new LogEnvironment(storage, clock, scheduler, groupCommit);
        PartitionLog log = PartitionLog.open(env, dir(), TP, config, recoveryPoint, 0, clean);
        opened.add(log);
        return log;
    }

    private PartitionLog open(boolean clean, long recoveryPoint) throws IOException {
        return open(DiskStorage.instance(), SMALL_SEGMENTS, clean, recoveryPoint);
    }

    /** Writes 20 batches of one 900-byte record (offsets 0..19, several segments) and closes the log. */
    private List<AppendInfo> writeAndClose() throws IOException {
        PartitionLog log = open(true, 0);
        List<AppendInfo> appends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            appends.add(log.appendAsLeader(sized(900, NOW + i), 0));
        }
        log.close();
        return appends;
    }

    private Path segmentFile(long base, String suffix) {
        return dir().resolve(Segment.fileStem(base) + suffix);
    }

    private long lastSegmentBase() throws IOException {
        try (var files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".log"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20)))
                    .max()
                    .orElseThrow();
        }
    }

    private boolean warned(String... fragments) {
        return logs.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> {
                    for (String f : fragments) {
                        if (!m.contains(f)) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private static void assertReadable(PartitionLog log, long from, long to) throws IOException {
        long offset = from;
        while (offset < to) {
            ByteBuffer buf = log.read(offset, 1 << 20, Long.MAX_VALUE, true).toByteBuffer();
            assertThat(buf.remaining()).as("data at offset %d", offset).isPositive();
            for (int p = 0; p < buf.limit(); ) {
                RecordBatch b = RecordBatch.at(buf, p);
                assertThat(b.isChecksumValid()).isTrue();
                offset = b.nextOffset();
                p += b.sizeInBytes();
            }
        }
        assertThat(offset).isEqualTo(to);
    }

    @Test
    void aTornTailIsCutAtTheLastWholeBatchAndTheCutIsLogged() throws IOException {
        int batchSize = writeAndClose().get(0).sizeInBytes();
        long base = lastSegmentBase();
        Path active = segmentFile(base, ".log");
        long size = Files.size(active);
        try (RandomAccessFile f = new RandomAccessFile(active.toFile(), "rw")) {
            f.setLength(size - 100); // the last batch loses its end
        }

        PartitionLog log = open(false, base);

        assertThat(log.logEndOffset()).isEqualTo(19);
        assertReadable(log, 0, 19);
        assertThat(warned("Recovery of " + active, "cut", "at position " + (size - batchSize)))
                .isTrue();
        assertThat(log.appendAsLeader(batch(1, NOW), 0).firstOffset()).isEqualTo(19);
    }

    @Test
    void garbageInTheMiddleOfAnUnflushedSegmentIsCutThereAndLaterSegmentsGo() throws IOException {
        int batchSize = writeAndClose().get(0).sizeInBytes();
        Path first = segmentFile(0, ".log");
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            f.seek(1000);
            f.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        }

        PartitionLog log = open(false, 0);

        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(warned("Recovery of " + first, "at position " + batchSize)).isTrue();
        assertThat(warned("Deleting segment")).isTrue();
        assertReadable(log, 0, 1);
    }

    @Test
    void damageInASegmentThatWasFlushedIsRefusedWithTheFileAndPosition() throws IOException {
        writeAndClose();
        Path first = segmentFile(0, ".log");
        long size = Files.size(first);
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            f.setLength(size - 10);
        }

        assertThatThrownBy(() -> open(true, 20))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("position")
                .hasMessageContaining("refuses");
    }

    @Test
    void aMissingIndexIsRebuilt() throws IOException {
        writeAndClose();
        Files.delete(segmentFile(0, ".index"));
        Files.delete(segmentFile(0, ".timeindex"));

        PartitionLog log = open(true, 20);

        assertThat(warned(segmentFile(0, ".index").toString(), "missing")).isTrue();
        assertThat(log.segments().get(0).offsetIndex().entries()).isPositive();
        assertThat(Files.exists(segmentFile(0, ".index"))).isTrue();
        assertReadable(log, 0, 20);
        assertThat(log.offsetForTimestamp(NOW + 2).orElseThrow().offset()).isEqualTo(2);
    }

    @Test
    void aTruncatedIndexIsRebuilt() throws IOException {
        writeAndClose();
        Path index = segmentFile(0, ".index");
        try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
            f.setLength(f.length() - 3);
        }

        PartitionLog log = open(true, 20);

        assertThat(warned(index.toString(), "not a multiple")).isTrue();
        assertThat(log.segments().get(0).offsetIndex().entries()).isPositive();
        assertReadable(log, 0, 20);
    }

    @Test
    void anIndexFullOfGarbageIsRebuilt() throws IOException {
        writeAndClose();
        Path index = segmentFile(0, ".index");
        byte[] garbage = new byte[(int) Files.size(index)];
        java.util.Arrays.fill(garbage, (byte) 0x7f);
        Files.write(index, garbage);

        PartitionLog log = open(true, 20);

        assertThat(warned("rebuilding the indexes")).isTrue();
        assertReadable(log, 0, 20);
    }

    @Test
    void aSegmentFileWithTheWrongNameIsRefused() throws IOException {
        writeAndClose();
        Path stranger = dir().resolve("copy-of-segment.log");
        Files.copy(segmentFile(0, ".log"), stranger);

        assertThatThrownBy(() -> open(true, 20))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining(stranger.toString())
                .hasMessageContaining("20 digits");
    }

    @Test
    void leftoversOfInterruptedDeletionsAndCompactionsAndOrphanIndexesAreRemoved() throws IOException {
        writeAndClose();
        Files.write(segmentFile(500, ".log.deleted"), new byte[10]);
        Files.write(segmentFile(500, ".log.cleaned"), new byte[10]);
        Files.write(segmentFile(600, ".index"), new byte[8]);

        PartitionLog log = open(true, 20);

        assertThat(Files.exists(segmentFile(500, ".log.deleted"))).isFalse();
        assertThat(Files.exists(segmentFile(500, ".log.cleaned"))).isFalse();
        assertThat(Files.exists(segmentFile(600, ".index"))).isFalse();
        assertReadable(log, 0, 20);
    }

    @Test
    void aZeroFilledTailLeftByACrashIsCut() throws IOException {
        writeAndClose();
        long base = lastSegmentBase();
        Path active = segmentFile(base, ".log");
        long size = Files.size(active);
        try (RandomAccessFile f = new RandomAccessFile(active.toFile(), "rw")) {
            f.setLength(size + 4096);
        }

        PartitionLog log = open(false, base);

        assertThat(log.logEndOffset()).isEqualTo(20);
        assertThat(Files.size(active)).isEqualTo(size);
    }

    @Test
    void aFullDiskFailsTheAppendClearlyAndLeavesTheLogReadableAndUsable() throws IOException {
        MemoryStorage storage = new MemoryStorage();
        PartitionLog log = open(storage, LogConfig.defaults(), true, 0);
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(sized(1000, NOW), 0);
        }
        long sizeBefore = log.size();
        storage.setCapacity(storage.used() + 500);

        assertThatThrownBy(() -> log.appendAsLeader(sized(1000, NOW), 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("No space left on device");

        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.size()).isEqualTo(sizeBefore);
        assertReadable(log, 0, 5);
        storage.setCapacity(Long.MAX_VALUE);
        assertThat(log.appendAsLeader(sized(1000, NOW), 0).firstOffset()).isEqualTo(5);
        assertReadable(log, 0, 6);
    }

    @Test
    void afterAPowerLossEveryDurablyAcknowledgedAppendIsThere() throws IOException {
        MemoryStorage storage = new MemoryStorage();
        LogConfig durable = SMALL_SEGMENTS.with(Map.of("flush.messages", "1"));
        PartitionLog log = open(storage, durable, true, 0);
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(sized(300, NOW + i), 0);
        }
        long recoveryPoint = log.recoveryPoint();
        storage.crash();
        opened.clear();

        PartitionLog reopened = open(storage, durable, false, recoveryPoint);

        assertThat(reopened.logEndOffset()).isEqualTo(30);
        assertReadable(reopened, 0, 30);
    }

    @Test
    void afterAPowerLossUnflushedAppendsMayGoButTheFlushedOnesStayAndTheLogIsUsable() throws IOException {
        MemoryStorage storage = new MemoryStorage();
        PartitionLog log = open(storage, SMALL_SEGMENTS, true, 0);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(sized(300, NOW + i), 0);
        }
        log.flush();
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(sized(300, NOW + i), 0);
        }
        storage.crash();
        opened.clear();

        PartitionLog reopened = open(storage, SMALL_SEGMENTS, false, 10);

        // Which unflushed bytes survive a power loss is up to the disk: a later segment's may outlive an earlier
        // one's, leaving a gap. What was flushed must all be there; whatever else is there must be intact.
        assertReadable(reopened, 0, 10);
        assertThat(reopened.logEndOffset()).isBetween(10L, 20L);
        for (long offset = 10; offset < reopened.logEndOffset(); ) {
            ByteBuffer buf =
                    reopened.read(offset, 1 << 20, Long.MAX_VALUE, true).toByteBuffer();
            if (!buf.hasRemaining()) {
                break;
            }
            RecordBatch b = RecordBatch.at(buf, 0);
            assertThat(b.isChecksumValid()).isTrue();
            offset = b.nextOffset();
        }
        long end = reopened.logEndOffset();
        assertThat(reopened.appendAsLeader(batch(1, NOW), 0).firstOffset()).isEqualTo(end);
    }
}
