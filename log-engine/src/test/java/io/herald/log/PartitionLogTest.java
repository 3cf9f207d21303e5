package io.herald.log;

import static io.herald.log.TestBatches.batch;
import static io.herald.log.TestBatches.sized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.log.io.DiskStorage;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Compression;
import io.herald.log.record.CorruptRecordException;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartitionLogTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);
    private final ManualScheduler scheduler = new ManualScheduler();
    private GroupCommit groupCommit;
    private LogEnvironment env;
    private final List<PartitionLog> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        groupCommit = GroupCommit.start("test-group-commit");
        env = new LogEnvironment(DiskStorage.instance(), clock, scheduler, groupCommit);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (PartitionLog l : opened) {
            l.close();
        }
        groupCommit.close();
    }

    private PartitionLog open(LogConfig config) throws IOException {
        return open(config, true, 0);
    }

    private PartitionLog open(LogConfig config, boolean clean, long recoveryPoint) throws IOException {
        PartitionLog log = PartitionLog.open(env, tmp.resolve(TP.dirName()), TP, config, recoveryPoint, 0, clean);
        opened.add(log);
        return log;
    }

    private static LogConfig config(Map<String, String> overrides) {
        return LogConfig.defaults().with(overrides);
    }

    private static List<Record> records(LogSlice slice) throws IOException {
        ByteBuffer buf = slice.toByteBuffer();
        List<Record> out = new ArrayList<>();
        for (int p = 0; p < buf.limit(); ) {
            RecordBatch b = RecordBatch.at(buf, p);
            out.addAll(BatchRecords.decode(b));
            p += b.sizeInBytes();
        }
        return out;
    }

    @Test
    void appendAssignsConsecutiveOffsetsAndReadReturnsTheBatches() throws IOException {
        PartitionLog log = open(LogConfig.defaults());

        AppendInfo first = log.appendAsLeader(batch(3, NOW), 5);
        AppendInfo second = log.appendAsLeader(batch(2, NOW), 5);

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(4);
        assertThat(second.position()).isEqualTo(first.sizeInBytes());
        assertThat(log.logEndOffset()).isEqualTo(5);

        LogSlice slice = log.read(0, 1 << 20, Long.MAX_VALUE, false);
        List<Record> records = records(slice);
        assertThat(records).extracting(Record::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(RecordBatch.at(slice.toByteBuffer(), 0).partitionLeaderEpoch())
                .isEqualTo(5);
    }

    @Test
    void readStartsAtTheBatchContainingTheOffsetAndStopsAtTheHighWatermark() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(10, NOW), 0);
        }

        LogSlice slice = log.read(25, 1 << 20, 50, false);

        assertThat(slice.firstOffset()).isEqualTo(20);
        assertThat(records(slice)).extracting(Record::offset).first().isEqualTo(20L);
        assertThat(records(slice)).extracting(Record::offset).last().isEqualTo(49L);
        assertThat(log.read(50, 1 << 20, 50, false).isEmpty()).isTrue();
    }

    @Test
    void readEndsOnABatchBoundaryWithinMaxBytesButReturnsOneLargeBatchWhenAsked() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        int size = log.appendAsLeader(sized(1000, NOW), 0).sizeInBytes();
        for (int i = 0; i < 9; i++) {
            log.appendAsLeader(sized(1000, NOW), 0);
        }

        LogSlice three = log.read(0, size * 3 + size / 2, Long.MAX_VALUE, false);
        assertThat(three.length()).isEqualTo(size * 3);

        assertThat(log.read(0, size / 2, Long.MAX_VALUE, false).isEmpty()).isTrue();
        assertThat(log.read(0, size / 2, Long.MAX_VALUE, true).length()).isEqualTo(size);
    }

    @Test
    void readOutsideTheLogIsOutOfRange() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(5, NOW), 0);

        assertThatThrownBy(() -> log.read(6, 100, Long.MAX_VALUE, false))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("log end offset 5");
        assertThat(log.read(5, 100, Long.MAX_VALUE, false).isEmpty()).isTrue();
        log.deleteRecordsBefore(3);
        assertThatThrownBy(() -> log.read(2, 100, Long.MAX_VALUE, false))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("log start offset 3");
    }

    @Test
    void segmentsRollBySizeAndReadsCrossThem() throws IOException {
        PartitionLog log = open(config(Map.of("segment.bytes", "4096")));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(sized(900, NOW), 0);
        }

        assertThat(log.segmentCount()).isGreaterThan(4);
        long offset = 0;
        while (offset < log.logEndOffset()) {
            LogSlice slice = log.read(offset, 1 << 20, Long.MAX_VALUE, false);
            assertThat(slice.firstOffset()).isEqualTo(offset);
            offset = records(slice).get(records(slice).size() - 1).offset() + 1;
        }
        assertThat(offset).isEqualTo(20);
    }

    @Test
    void segmentsRollByAge() throws IOException {
        PartitionLog log = open(config(Map.of("segment.ms", "1000")));
        log.appendAsLeader(batch(1, NOW), 0);
        clock.advance(500);
        log.appendAsLeader(batch(1, NOW), 0);
        assertThat(log.segmentCount()).isEqualTo(1);

        clock.advance(600);
        log.appendAsLeader(batch(1, NOW), 0);

        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(log.segments().get(1).baseOffset()).isEqualTo(2);
    }

    @Test
    void logAppendTimeTopicsStampTheBrokerTimeAndKeepTheCrcValid() throws IOException {
        PartitionLog log = open(config(Map.of("message.timestamp.type", "LogAppendTime")));

        AppendInfo info = log.appendAsLeader(batch(2, 42), 0);

        assertThat(info.logAppendTimeMs()).isEqualTo(NOW);
        RecordBatch stored =
                RecordBatch.at(log.read(0, 1000, Long.MAX_VALUE, false).toByteBuffer(), 0);
        assertThat(stored.isLogAppendTime()).isTrue();
        assertThat(stored.maxTimestamp()).isEqualTo(NOW);
        assertThat(stored.isChecksumValid()).isTrue();
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfterIt() throws IOException {
        PartitionLog log = open(config(Map.of("segment.bytes", "2048", "index.interval.bytes", "100")));
        for (int i = 0; i < 50; i++) {
            log.appendAsLeader(batch(2, NOW + i * 10L, Compression.GZIP, "v"), 0);
        }

        assertThat(log.offsetForTimestamp(NOW + 95).orElseThrow().offset()).isEqualTo(20);
        assertThat(log.offsetForTimestamp(NOW + 100).orElseThrow().offset()).isEqualTo(20);
        assertThat(log.offsetForTimestamp(NOW - 5).orElseThrow().offset()).isZero();
        assertThat(log.offsetForTimestamp(NOW + 491)).isEmpty();
        assertThat(log.maxTimestampRecord().orElseThrow().offset()).isEqualTo(98);
    }

    @Test
    void truncateToRemovesTheTailAcrossSegments() throws IOException {
        PartitionLog log = open(config(Map.of("segment.bytes", "4096")));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(sized(900, NOW), 0);
        }

        assertThat(log.truncateTo(7)).isTrue();

        assertThat(log.logEndOffset()).isEqualTo(7);
        AppendInfo next = log.appendAsLeader(batch(1, NOW), 0);
        assertThat(next.firstOffset()).isEqualTo(7);
        assertThat(records(log.read(6, 1 << 20, Long.MAX_VALUE, false)))
                .extracting(Record::offset)
                .containsExactly(6L, 7L);
    }

    @Test
    void deleteRecordsBeforeMovesTheStartAndDropsWholeSegments() throws IOException {
        PartitionLog log = open(config(Map.of("segment.bytes", "4096")));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(sized(900, NOW), 0);
        }
        int before = log.segmentCount();

        assertThat(log.deleteRecordsBefore(9)).isEqualTo(9);

        assertThat(log.logStartOffset()).isEqualTo(9);
        assertThat(log.segmentCount()).isLessThan(before);
        assertThat(log.segments().get(0).baseOffset()).isLessThanOrEqualTo(9);
        assertThatThrownBy(() -> log.deleteRecordsBefore(21)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void retentionDeletesSegmentsOlderThanRetentionMs() throws IOException {
        PartitionLog log = open(config(Map.of("segment.bytes", "4096", "retention.ms", "60000")));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(sized(900, NOW - 120_000), 0);
        }
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(sized(900, NOW), 0);
        }

        int deleted = log.deleteOldSegments(Long.MAX_VALUE);

        assertThat(deleted).isPositive();
        assertThat(log.logStartOffset()).isLessThanOrEqualTo(10).isGreaterThan(0);
        assertThat(log.read(log.logStartOffset(), 100, Long.MAX_VALUE, true).isEmpty())
                .isFalse();
        Path dir = tmp.resolve(TP.dirName());
        assertThat(dir.toFile().list((d, n) -> n.endsWith(".deleted"))).isNotEmpty();
        scheduler.runAll();
        assertThat(dir.toFile().list((d, n) -> n.endsWith(".deleted"))).isEmpty();
    }

    @Test
    void retentionRollsAndDeletesAnExpiredActiveSegment() throws IOException {
        PartitionLog log = open(config(Map.of("retention.ms", "60000")));
        log.appendAsLeader(batch(5, NOW - 120_000), 0);

        assertThat(log.deleteOldSegments(Long.MAX_VALUE)).isEqualTo(1);

        assertThat(log.logStartOffset()).isEqualTo(5);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.appendAsLeader(batch(1, NOW), 0).firstOffset()).isEqualTo(5);
    }

    @Test
    void retentionBySizeDeletesOldSegmentsWhileTheRestStaysAboveTheLimit() throws IOException {
        PartitionLog log = open(config(Map.of("segment.bytes", "4096", "retention.bytes", "10000")));
        for (int i = 0; i < 40; i++) {
            log.appendAsLeader(sized(900, NOW), 0);
        }

        log.deleteOldSegments(Long.MAX_VALUE);

        // As in Kafka: a segment goes only if the log is still at least retention.bytes without it.
        assertThat(log.size()).isGreaterThanOrEqualTo(10000).isLessThan(10000 + 4096);
    }

    @Test
    void retentionNeverDeletesDataAtOrAboveTheGivenLimit() throws IOException {
        PartitionLog log = open(config(Map.of("segment.bytes", "4096", "retention.ms", "1")));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(sized(900, NOW - 10_000), 0);
        }

        log.deleteOldSegments(4);

        assertThat(log.logStartOffset()).isLessThanOrEqualTo(4);
    }

    @Test
    void aReopenedLogContinuesWhereItEnded() throws IOException {
        PartitionLog log = open(config(Map.of("segment.bytes", "4096")));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(sized(900, NOW + i), 0);
        }
        log.close();
        opened.remove(log);

        PartitionLog reopened = open(config(Map.of("segment.bytes", "4096")), true, 20);

        assertThat(reopened.logEndOffset()).isEqualTo(20);
        assertThat(reopened.appendAsLeader(batch(1, NOW), 0).firstOffset()).isEqualTo(20);
        assertThat(reopened.offsetForTimestamp(NOW + 10).orElseThrow().offset()).isEqualTo(10);
        assertThat(records(reopened.read(13, 1 << 20, Long.MAX_VALUE, false))
                        .get(0)
                        .offset())
                .isEqualTo(13);
    }

    @Test
    void aCorruptBatchIsRejectedAndNothingIsWritten() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer bad = batch(3, NOW);
        bad.put(RecordBatch.HEADER_SIZE + 2, (byte) 0x55);

        assertThatThrownBy(() -> log.appendAsLeader(bad, 0))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("CRC");
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.size()).isZero();
    }

    @Test
    void slicesTransferToASocketWithoutCopying() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        for (int i = 0; i < 100; i++) {
            log.appendAsLeader(sized(1000, NOW), 0);
        }
        LogSlice slice = log.read(0, 1 << 20, Long.MAX_VALUE, false);

        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            AtomicReference<ByteBuffer> received = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try (SocketChannel in = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(slice.length());
                    while (buf.hasRemaining() && in.read(buf) >= 0) {}
                    received.set(buf.flip());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            reader.start();
            try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                long sent = 0;
                while (sent < slice.length()) {
                    sent += slice.transferTo(out, sent);
                }
            }
            reader.join(10_000);
            assertThat(received.get()).isEqualTo(slice.toByteBuffer());
        }
    }

    @Test
    void readsRunConcurrentlyWithAppendsAndSeeOnlyWholeBatches() throws Exception {
        PartitionLog log = open(config(Map.of("segment.bytes", "65536")));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    long end = log.logEndOffset();
                    long from = end == 0 ? 0 : (long) (Math.random() * end);
                    LogSlice slice = log.read(from, 8192, Long.MAX_VALUE, true);
                    ByteBuffer buf = slice.toByteBuffer();
                    for (int p = 0; p < buf.limit(); ) {
                        RecordBatch b = RecordBatch.at(buf, p);
                        assertThat(b.isChecksumValid()).isTrue();
                        p += b.sizeInBytes();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (int i = 0; i < 2000; i++) {
            log.appendAsLeader(batch(1 + i % 5, NOW), 0);
        }
        done.set(true);
        reader.join(10_000);
        assertThat(failure.get()).isNull();
    }

    @Test
    void aFollowerAppendKeepsTheLeadersOffsets() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer fromLeader = batch(3, NOW);
        RecordBatch.at(fromLeader, 0).setBaseOffset(10);

        AppendInfo info = log.appendAsFollower(fromLeader);

        assertThat(info.firstOffset()).isEqualTo(10);
        assertThat(log.logEndOffset()).isEqualTo(13);
        ByteBuffer stale = batch(1, NOW);
        RecordBatch.at(stale, 0).setBaseOffset(12);
        assertThatThrownBy(() -> log.appendAsFollower(stale)).isInstanceOf(UnexpectedAppendOffsetException.class);
    }

    @Test
    void deletingThePartitionRemovesItsDirectory() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(3, NOW), 0);
        Path dir = log.dir();

        log.delete();
        opened.remove(log);

        assertThat(Files.exists(dir)).isFalse();
        try (var files = Files.list(tmp)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void flushMessagesFlushesOnceThatManyMessagesAreUnflushed() throws IOException {
        PartitionLog log = open(config(Map.of("flush.messages", "10")));

        log.appendAsLeader(batch(6, NOW), 0);
        assertThat(log.recoveryPoint()).isZero();
        log.appendAsLeader(batch(6, NOW), 0);

        assertThat(log.recoveryPoint()).isEqualTo(12);
    }

    @Test
    void flushMessagesOfOneMakesEveryAppendDurableBeforeItReturns() throws IOException {
        PartitionLog log = open(config(Map.of("flush.messages", "1")));

        for (int i = 0; i < 5; i++) {
            AppendInfo info = log.appendAsLeader(batch(2, NOW), 0);
            assertThat(log.recoveryPoint()).isEqualTo(info.lastOffset() + 1);
        }
        assertThat(groupCommit.requests()).isEqualTo(5);
    }

    @Test
    void flushMsFlushesDataOlderThanTheInterval() throws IOException {
        PartitionLog log = open(config(Map.of("flush.ms", "1000")));
        log.appendAsLeader(batch(3, NOW), 0);

        log.flushIfDue(clock.millis() + 500);
        assertThat(log.recoveryPoint()).isZero();
        log.flushIfDue(clock.millis() + 1000);

        assertThat(log.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void aRolledSegmentIsFlushedInTheBackground() throws IOException {
        PartitionLog log = open(config(Map.of("segment.bytes", "4096")));
        for (int i = 0; i < 6; i++) {
            log.appendAsLeader(sized(900, NOW), 0);
        }
        assertThat(log.recoveryPoint()).isZero();

        scheduler.runAll();

        assertThat(log.recoveryPoint()).isEqualTo(log.segments().get(1).baseOffset());
    }
}
