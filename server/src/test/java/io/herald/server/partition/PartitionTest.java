package io.herald.server.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.log.LogManager;
import io.herald.log.LogManagerConfig;
import io.herald.log.TopicPartition;
import io.herald.log.io.DiskStorage;
import io.herald.log.record.Compression;
import io.herald.log.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.DuplicateSequenceException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The idempotent-producer rules of a partition, and their state surviving a restart. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartitionTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path data;

    private LogManager logs;
    private Partition partition;

    @BeforeEach
    void open() throws Exception {
        logs = LogManager.open(LogManagerConfig.defaults(List.of(data)), DiskStorage.instance(), Clock.systemUTC());
        partition = Partition.open(TP, Uuid.randomUuid(), logs.getOrCreateLog(TP), Clock.systemUTC(), 3_600_000);
    }

    @AfterEach
    void close() throws Exception {
        logs.close();
    }

    private void reopen() throws Exception {
        logs.close();
        open();
    }

    private static ByteBuffer batch(long pid, int epoch, int seq, int records) {
        RecordBatchBuilder b = RecordBatchBuilder.create(Compression.NONE).producer(pid, (short) epoch, seq);
        for (int i = 0; i < records; i++) {
            b.append(i, System.currentTimeMillis(), null, ("r" + (seq + i)).getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    @Test
    void aRetriedBatchIsAnsweredWithItsFirstOffsetsAndNotWrittenTwice() throws Exception {
        partition.appendAsLeader(batch(7, 0, 0, 3));
        Partition.AppendResult second = partition.appendAsLeader(batch(7, 0, 3, 2));

        Partition.AppendResult retry = partition.appendAsLeader(batch(7, 0, 3, 2));

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.baseOffset()).isEqualTo(second.baseOffset()).isEqualTo(3);
        assertThat(partition.logEndOffset()).isEqualTo(5);
    }

    @Test
    void aGapInTheSequenceIsRefused() throws Exception {
        partition.appendAsLeader(batch(7, 0, 0, 3));

        assertThatThrownBy(() -> partition.appendAsLeader(batch(7, 0, 5, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessageContaining("3 was expected");
        assertThat(partition.logEndOffset()).isEqualTo(3);
    }

    @Test
    void anOlderEpochIsFencedAndANewEpochMustStartAtZero() throws Exception {
        partition.appendAsLeader(batch(7, 1, 0, 1));

        assertThatThrownBy(() -> partition.appendAsLeader(batch(7, 0, 1, 1)))
                .isInstanceOf(InvalidProducerEpochException.class);
        assertThatThrownBy(() -> partition.appendAsLeader(batch(7, 2, 4, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(partition.appendAsLeader(batch(7, 2, 0, 1)).duplicate()).isFalse();
    }

    @Test
    void anUnknownProducerMustStartItsSequenceAtZero() {
        assertThatThrownBy(() -> partition.appendAsLeader(batch(9, 0, 17, 1)))
                .isInstanceOf(UnknownProducerIdException.class);
    }

    @Test
    void aRetryCannotComeTogetherWithNewBatches() throws Exception {
        partition.appendAsLeader(batch(7, 0, 0, 2));
        ByteBuffer retry = batch(7, 0, 0, 2);
        ByteBuffer fresh = batch(8, 0, 0, 1);
        ByteBuffer both = ByteBuffer.allocate(retry.remaining() + fresh.remaining())
                .put(retry)
                .put(fresh)
                .flip();

        assertThatThrownBy(() -> partition.appendAsLeader(both)).isInstanceOf(DuplicateSequenceException.class);
        assertThat(partition.logEndOffset()).isEqualTo(2);
    }

    @Test
    void producerStateIsRebuiltFromTheLogAfterARestart() throws Exception {
        partition.appendAsLeader(batch(7, 0, 0, 3));
        partition.appendAsLeader(batch(7, 0, 3, 3));

        reopen();

        Partition.AppendResult retry = partition.appendAsLeader(batch(7, 0, 3, 3));
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.baseOffset()).isEqualTo(3);
        assertThat(partition.appendAsLeader(batch(7, 0, 6, 1)).baseOffset()).isEqualTo(6);
        assertThatThrownBy(() -> partition.appendAsLeader(batch(7, 0, 9, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }
}
