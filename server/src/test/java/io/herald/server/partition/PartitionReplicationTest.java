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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's and the follower's side of replication on real logs, with the fetches done by hand: the high
 * watermark follows the in-sync replicas, {@code acks=all} waits for it, {@code min.insync.replicas} refuses, a
 * pending expansion holds the high watermark back, lagging followers become shrink candidates, and a returning
 * replica truncates a diverged tail to where the new leader's epoch history says, which its epoch cache file keeps.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartitionReplicationTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Uuid TOPIC_ID = Uuid.randomUuid();

    @TempDir
    Path data;

    private final List<LogManager> managers = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);

    private Partition replica(int id) throws Exception {
        LogManager logs = LogManager.open(
                LogManagerConfig.defaults(List.of(Files.createDirectories(data.resolve("b" + id)))),
                DiskStorage.instance(),
                clock);
        managers.add(logs);
        return Partition.open(TP, TOPIC_ID, logs.getOrCreateLog(TP), clock, 3_600_000, id);
    }

    @AfterEach
    void close() throws Exception {
        for (LogManager m : managers) {
            m.close();
        }
    }

    private static ByteBuffer batch(String... values) {
        RecordBatchBuilder b = RecordBatchBuilder.create(Compression.NONE);
        for (int i = 0; i < values.length; i++) {
            b.append(i, 1_000_000, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    /** The follower fetches from its log end: the leader learns its progress, the follower copies what there is. */
    private static void fetch(Partition leader, Partition follower) throws Exception {
        long offset = follower.logEndOffset();
        leader.recordFollowerFetch(follower.localId(), offset, 1_000_000);
        ByteBuffer bytes =
                leader.log().read(offset, 1 << 20, Long.MAX_VALUE, true).toByteBuffer();
        if (bytes.hasRemaining()) {
            follower.appendAsFollower(bytes);
        }
        follower.updateFollowerHighWatermark(leader.highWatermark());
    }

    @Test
    void theHighWatermarkFollowsTheSlowestInSyncReplicaAndAcksAllWaitsForIt() throws Exception {
        Partition leader = replica(1);
        Partition follower = replica(2);
        leader.makeLeader(1, 1, List.of(1, 2), List.of(1, 2), 2);
        follower.makeFollower(1, 1, 1, List.of(1, 2), List.of(1, 2));

        Partition.AppendResult appended = leader.appendAsLeader(batch("a", "b"), (short) -1);
        CompletableFuture<Errors> acked = leader.awaitReplication(appended.nextOffset());

        assertThat(leader.highWatermark()).isZero();
        assertThat(acked).isNotDone();
        fetch(leader, follower); // copies a, b; reports offset 0
        assertThat(acked).isNotDone();
        fetch(leader, follower); // reports offset 2
        assertThat(leader.highWatermark()).isEqualTo(2);
        assertThat(acked).isCompletedWithValue(Errors.NONE);
        fetch(leader, follower);
        assertThat(follower.highWatermark()).isEqualTo(2);
    }

    @Test
    void anIsrBelowMinInsyncReplicasRefusesAcksAllButNotAcksOne() throws Exception {
        Partition leader = replica(1);
        leader.makeLeader(1, 1, List.of(1, 2, 3), List.of(1), 2);

        assertThatThrownBy(() -> leader.appendAsLeader(batch("x"), (short) -1))
                .isInstanceOf(NotEnoughReplicasException.class);
        assertThat(leader.appendAsLeader(batch("y"), (short) 1).baseOffset()).isZero();
    }

    @Test
    void aFollowerRefusesProducersAndFailsWaitingAppendsWhenItStopsLeading() throws Exception {
        Partition p = replica(1);
        p.makeLeader(1, 1, List.of(1, 2), List.of(1, 2), 1);
        CompletableFuture<Errors> waiting =
                p.awaitReplication(p.appendAsLeader(batch("a"), (short) -1).nextOffset());

        p.makeFollower(2, 2, 2, List.of(1, 2), List.of(1, 2));

        assertThat(waiting).isCompletedWithValue(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThatThrownBy(() -> p.appendAsLeader(batch("b"), (short) 1))
                .isInstanceOf(NotLeaderOrFollowerException.class);
    }

    @Test
    void aPendingIsrExpansionHoldsTheHighWatermarkBackForTheNewMember() throws Exception {
        Partition leader = replica(1);
        Partition newcomer = replica(2);
        leader.makeLeader(1, 1, List.of(1, 2), List.of(1), 1);
        newcomer.makeFollower(1, 1, 1, List.of(1, 2), List.of(1));
        leader.appendAsLeader(batch("a"), (short) 1);
        fetch(leader, newcomer); // copies a
        assertThat(leader.recordFollowerFetch(2, 1, 1_000_000)).contains(List.of(1, 2));

        leader.appendAsLeader(batch("b"), (short) 1);

        assertThat(leader.highWatermark())
                .as("the cluster may count broker 2 in sync already: b is not committed until it has it")
                .isEqualTo(1);
        fetch(leader, newcomer);
        fetch(leader, newcomer);
        assertThat(leader.highWatermark()).isEqualTo(2);
    }

    @Test
    void aFollowerThatDoesNotCatchUpWithinTheLagTimeIsAShrinkCandidate() throws Exception {
        Partition leader = replica(1);
        leader.makeLeader(1, 1, List.of(1, 2, 3), List.of(1, 2, 3), 1);
        leader.appendAsLeader(batch("a"), (short) 1);
        leader.recordFollowerFetch(2, 1, 1_000_000);
        leader.recordFollowerFetch(3, 0, 1_000_000);

        assertThat(leader.shrinkCandidate(1_000_000 + 500, 1000)).isEmpty();
        leader.recordFollowerFetch(2, 1, 1_000_000 + 1000); // 2 keeps fetching at the log end, 3 stays behind
        assertThat(leader.shrinkCandidate(1_000_000 + 1500, 1000)).contains(List.of(1, 2));
    }

    @Test
    void aReturningReplicaTruncatesTheTailTheNewLeaderNeverHadAndKeepsItsEpochHistory() throws Exception {
        Partition a = replica(1);
        Partition b = replica(2);
        // Epoch 0: a leads and writes 5 records; b copies the first batch (3 records) only.
        a.makeLeader(0, 0, List.of(1, 2), List.of(1, 2), 1);
        b.makeFollower(1, 0, 0, List.of(1, 2), List.of(1, 2));
        a.appendAsLeader(batch("a0", "a1", "a2"), (short) 1);
        fetch(a, b);
        a.appendAsLeader(batch("a3", "a4"), (short) 1);
        // a dies; b leads in epoch 1 and writes its own records 3..5.
        b.makeLeader(1, 1, List.of(1, 2), List.of(2), 1);
        b.appendAsLeader(batch("b3", "b4", "b5"), (short) 1);

        // a returns as a follower: where does its newest epoch (0) end on the new leader?
        a.makeFollower(2, 1, 2, List.of(1, 2), List.of(2));
        assertThat(a.latestEpoch()).isZero();
        LeaderEpochCache.EpochEnd onLeader = b.endOffsetForEpoch(a.latestEpoch());
        assertThat(onLeader).isEqualTo(new LeaderEpochCache.EpochEnd(0, 3));
        a.truncateTo(Math.min(onLeader.endOffset(), a.endOffsetForEpoch(0).endOffset()), 3_600_000);
        assertThat(a.logEndOffset()).isEqualTo(3);
        fetch(b, a);

        assertThat(a.logEndOffset()).isEqualTo(6);
        assertThat(a.latestEpoch()).isEqualTo(1);
        assertThat(Files.readAllLines(a.log().dir().resolve(LeaderEpochCache.FILE_NAME)))
                .containsExactly("0", "2", "0 0", "1 3");
        assertThat(values(a)).containsExactly("a0", "a1", "a2", "b3", "b4", "b5");
    }

    private static List<String> values(Partition p) throws Exception {
        ByteBuffer bytes = p.log().read(0, 1 << 20, Long.MAX_VALUE, true).toByteBuffer();
        List<String> out = new ArrayList<>();
        for (int pos = bytes.position(); pos + io.herald.log.record.RecordBatch.HEADER_SIZE <= bytes.limit(); ) {
            io.herald.log.record.RecordBatch batch = io.herald.log.record.RecordBatch.at(bytes, pos);
            for (io.herald.log.record.Record r : io.herald.log.record.BatchRecords.decode(batch)) {
                out.add(new String(r.value(), StandardCharsets.UTF_8));
            }
            pos += batch.sizeInBytes();
        }
        return out;
    }
}
