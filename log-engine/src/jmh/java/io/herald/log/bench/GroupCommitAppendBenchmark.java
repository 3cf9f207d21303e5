package io.herald.log.bench;

import io.herald.log.AppendInfo;
import io.herald.log.GroupCommit;
import io.herald.log.LogManager;
import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Durable append throughput: 8 threads append 16 KiB batches (16 x 1 KiB records) to one partition with {@code
 * flush.messages=1}, so every append returns only once its bytes are fsynced, and concurrent appends share fsyncs
 * through {@link GroupCommit}. The secondary result {@code bytes} is the throughput in bytes/s; after each iteration,
 * and for all measurement iterations together, a line starting {@value #STATS_PREFIX} gives the group commit's
 * requests, rounds (fsync rounds) and appends per round.
 *
 * <p>Thread-safety: the log and manager are shared by the 8 benchmark threads (the engine is thread-safe); each thread
 * has its own batch buffer, because an append rewrites the batch's base offset in place.
 *
 * @see AppendBenchmark for why each iteration gets a new partition
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(8)
public class GroupCommitAppendBenchmark {

    static final String STATS_PREFIX = "group-commit:";

    private Path dir;
    private LogManager manager;
    private GroupCommit groupCommit;
    private int iteration;
    private TopicPartition partition;
    private PartitionLog log;
    private boolean measuring;
    private long requestsAtStart;
    private long roundsAtStart;
    private long measuredRequests;
    private long measuredRounds;

    /** One appender's batch. */
    @State(Scope.Thread)
    public static class Producer {
        ByteBuffer batch;
        int batchBytes;

        @Setup(Level.Trial)
        public void buildBatch() {
            batch = BenchLogs.producerBatch(ThreadLocalRandom.current().nextLong(), false);
            batchBytes = batch.remaining();
        }
    }

    @Setup(Level.Trial)
    public void openLogManager() throws IOException {
        dir = BenchLogs.newDataDir();
        manager = BenchLogs.open(dir, Map.of("flush.messages", "1"));
        groupCommit = manager.environment().groupCommit();
    }

    @Setup(Level.Iteration)
    public void createPartition(IterationParams params) throws IOException {
        measuring = params.getType() == IterationType.MEASUREMENT;
        partition = new TopicPartition("durable", iteration++);
        log = manager.getOrCreateLog(partition);
        requestsAtStart = groupCommit.requests();
        roundsAtStart = groupCommit.rounds();
    }

    /** One producer batch appended and fsynced. */
    @Benchmark
    public AppendInfo appendDurably(Producer producer, Bytes counter) throws IOException {
        AppendInfo info = log.appendAsLeader(producer.batch.duplicate(), 0);
        counter.bytes += producer.batchBytes;
        return info;
    }

    @TearDown(Level.Iteration)
    public void deletePartition() throws IOException {
        long requests = groupCommit.requests() - requestsAtStart;
        long rounds = groupCommit.rounds() - roundsAtStart;
        System.out.println(stats(measuring ? "measurement iteration" : "warmup iteration", requests, rounds));
        if (measuring) {
            measuredRequests += requests;
            measuredRounds += rounds;
        }
        manager.deleteLog(partition);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        System.out.println(stats("all measurement iterations", measuredRequests, measuredRounds));
        try {
            manager.close();
        } finally {
            BenchLogs.deleteRecursively(dir);
        }
    }

    private static String stats(String what, long requests, long rounds) {
        return String.format(
                "%s %s requests=%d rounds=%d appends-per-fsync=%.2f",
                STATS_PREFIX, what, requests, rounds, rounds == 0 ? 0.0 : (double) requests / rounds);
    }
}
