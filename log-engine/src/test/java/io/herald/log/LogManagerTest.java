package io.herald.log;

import static io.herald.log.TestBatches.batch;
import static io.herald.log.TestBatches.sized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.log.io.DirectoryLockedException;
import io.herald.log.io.DiskStorage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogManagerTest {

    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path data;

    @TempDir
    Path data2;

    private final MutableClock clock = new MutableClock(NOW);
    private LogManager manager;

    @AfterEach
    void tearDown() throws IOException {
        if (manager != null) {
            manager.close();
        }
    }

    private LogManagerConfig config(List<Path> dirs) {
        return LogManagerConfig.defaults(dirs)
                .withTopicDefaults(LogConfig.defaults().with(Map.of("segment.bytes", "4096")))
                .withCleaner(false, 100);
    }

    private LogManager open() throws IOException {
        manager = LogManager.open(config(List.of(data)), DiskStorage.instance(), clock);
        return manager;
    }

    private void reopen() throws IOException {
        manager.close();
        manager = null;
        open();
    }

    @Test
    void aSecondEngineCannotOpenTheSameDirectory() throws IOException {
        open();

        assertThatThrownBy(() -> LogManager.open(config(List.of(data)), DiskStorage.instance(), clock))
                .isInstanceOf(DirectoryLockedException.class)
                .hasMessageContaining(data.toString())
                .hasMessageContaining("in use");
    }

    @Test
    void partitionsSurviveACleanRestartWithTheirCheckpoints() throws IOException {
        open();
        for (int p = 0; p < 8; p++) {
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("orders", p));
            for (int i = 0; i <= p; i++) {
                log.appendAsLeader(sized(900, NOW), 0);
            }
        }
        manager.getOrCreateLog(new TopicPartition("orders", 7)).deleteRecordsBefore(3);

        reopen();

        assertThat(manager.logs()).hasSize(8);
        for (int p = 0; p < 8; p++) {
            PartitionLog log = manager.log(new TopicPartition("orders", p)).orElseThrow();
            assertThat(log.logEndOffset()).isEqualTo(p + 1);
            assertThat(log.recoveryPoint()).isEqualTo(p + 1);
        }
        assertThat(manager.log(new TopicPartition("orders", 7)).orElseThrow().logStartOffset())
                .isEqualTo(3);
    }

    @Test
    void theCleanShutdownMarkerExistsOnlyWhileStopped() throws IOException {
        open();
        manager.getOrCreateLog(new TopicPartition("t", 0)).appendAsLeader(batch(1, NOW), 0);
        Path marker = data.resolve(LogManager.CLEAN_SHUTDOWN_FILE);
        assertThat(Files.exists(marker)).isFalse();

        manager.close();
        assertThat(Files.exists(marker)).isTrue();
        manager = null;

        open();
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void anUncleanStopRecoversFromTheCheckpointedRecoveryPoint() throws IOException {
        open();
        PartitionLog log = manager.getOrCreateLog(new TopicPartition("t", 0));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(sized(900, NOW), 0);
        }
        manager.close();
        manager = null;
        Files.delete(data.resolve(LogManager.CLEAN_SHUTDOWN_FILE));
        Path active = Files.list(data.resolve("t-0"))
                .filter(p -> p.toString().endsWith(".log"))
                .max(Path::compareTo)
                .orElseThrow();
        try (RandomAccessFile f = new RandomAccessFile(active.toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }

        open();

        assertThat(manager.log(new TopicPartition("t", 0)).orElseThrow().logEndOffset())
                .isEqualTo(9);
    }

    @Test
    void aPartitionThatCannotBeOpenedGoesOfflineAndTheOthersServe() throws IOException {
        open();
        manager.getOrCreateLog(new TopicPartition("good", 0)).appendAsLeader(batch(3, NOW), 0);
        PartitionLog bad = manager.getOrCreateLog(new TopicPartition("bad", 0));
        for (int i = 0; i < 10; i++) {
            bad.appendAsLeader(sized(900, NOW), 0);
        }
        manager.close();
        manager = null;
        Path firstSegment = data.resolve("bad-0").resolve(Segment.fileStem(0) + ".log");
        try (RandomAccessFile f = new RandomAccessFile(firstSegment.toFile(), "rw")) {
            f.setLength(f.length() - 5);
        }

        open();

        assertThat(manager.offlinePartitions()).containsKey(new TopicPartition("bad", 0));
        assertThat(manager.offlinePartitions().get(new TopicPartition("bad", 0)))
                .contains(firstSegment.toString());
        assertThat(manager.log(new TopicPartition("good", 0)).orElseThrow().logEndOffset())
                .isEqualTo(3);
        assertThatThrownBy(() -> manager.getOrCreateLog(new TopicPartition("bad", 0)))
                .hasMessageContaining("offline");
    }

    @Test
    void aStrangeDirectoryInTheDataDirectoryIsRefusedByName() throws IOException {
        Files.createDirectories(data.resolve("not_a_partition"));

        assertThatThrownBy(this::open).isInstanceOf(CorruptLogException.class).hasMessageContaining("not_a_partition");
        manager = null;
        // the failed start released its lock: once the stranger is gone the directory opens
        Files.delete(data.resolve("not_a_partition"));
        open();
    }

    @Test
    void topicConfigurationOverridesTheDefaultsAndBadValuesAreRejectedByName() throws IOException {
        open();
        PartitionLog log = manager.getOrCreateLog(new TopicPartition("t", 0));

        manager.setTopicConfig("t", Map.of("retention.ms", "1000", "min.insync.replicas", "2"));

        assertThat(log.config().retentionMs()).isEqualTo(1000);
        assertThat(log.config().segmentBytes()).isEqualTo(4096);
        assertThat(manager.topicConfig("other").retentionMs()).isEqualTo(7 * 24 * 3600 * 1000L);
        assertThatThrownBy(() -> manager.setTopicConfig("t", Map.of("segment.bytes", "ten")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment.bytes");
        assertThat(log.config().retentionMs()).isEqualTo(1000);
    }

    @Test
    void newTopicDefaultsApplyAtOnceToLogsWithoutAnOverrideAndToLogsCreatedLater() throws IOException {
        open();
        PartitionLog plain = manager.getOrCreateLog(new TopicPartition("plain", 0));
        PartitionLog overridden = manager.getOrCreateLog(new TopicPartition("overridden", 0));
        manager.setTopicConfig("overridden", Map.of("retention.ms", "1000"));

        manager.setTopicDefaults(manager.topicDefaults().with(Map.of("retention.ms", "5000", "flush.ms", "10")));

        assertThat(plain.config().retentionMs()).isEqualTo(5000);
        assertThat(plain.config().segmentBytes()).isEqualTo(4096);
        assertThat(overridden.config().retentionMs()).isEqualTo(1000);
        assertThat(overridden.config().flushMs()).isEqualTo(10);
        assertThat(manager.getOrCreateLog(new TopicPartition("later", 0))
                        .config()
                        .retentionMs())
                .isEqualTo(5000);
    }

    @Test
    void retentionRunsOverEveryLog() throws IOException {
        open();
        manager.setTopicConfig("old", Map.of("retention.ms", "60000"));
        PartitionLog log = manager.getOrCreateLog(new TopicPartition("old", 0));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(sized(900, NOW - 120_000), 0);
        }

        assertThat(manager.runRetention()).isPositive();
        assertThat(log.logStartOffset()).isEqualTo(10);
    }

    @Test
    void newPartitionsSpreadOverTheDataDirectories() throws IOException {
        manager = LogManager.open(config(List.of(data, data2)), DiskStorage.instance(), clock);
        for (int p = 0; p < 4; p++) {
            manager.getOrCreateLog(new TopicPartition("t", p));
        }

        try (var a = Files.list(data);
                var b = Files.list(data2)) {
            assertThat(a.filter(Files::isDirectory).count()).isEqualTo(2);
            assertThat(b.filter(Files::isDirectory).count()).isEqualTo(2);
        }
    }

    @Test
    void deletingALogRemovesItsDirectoryAndItStaysGoneAfterRestart() throws IOException {
        open();
        manager.getOrCreateLog(new TopicPartition("t", 0)).appendAsLeader(batch(3, NOW), 0);

        manager.deleteLog(new TopicPartition("t", 0));
        reopen();

        assertThat(manager.log(new TopicPartition("t", 0))).isEmpty();
        assertThat(Files.exists(data.resolve("t-0"))).isFalse();
    }

    @Test
    void aMalformedCheckpointIsIgnoredAndRecoveryScansEverything() throws IOException {
        open();
        PartitionLog log = manager.getOrCreateLog(new TopicPartition("t", 0));
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(sized(900, NOW), 0);
        }
        manager.close();
        manager = null;
        Files.delete(data.resolve(LogManager.CLEAN_SHUTDOWN_FILE));
        Files.writeString(data.resolve(LogManager.RECOVERY_POINT_CHECKPOINT), "garbage\n", StandardCharsets.UTF_8);

        open();

        assertThat(manager.log(new TopicPartition("t", 0)).orElseThrow().logEndOffset())
                .isEqualTo(5);
    }
}
