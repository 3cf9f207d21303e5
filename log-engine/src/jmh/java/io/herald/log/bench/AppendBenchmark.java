package io.herald.log.bench;

import io.herald.log.AppendInfo;
import io.herald.log.LogManager;
import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append throughput without fsync ({@code flush.messages} left at "never", Kafka's default): one thread appends 16 KiB
 * batches of 16 x 1 KiB records to one partition through {@link PartitionLog#appendAsLeader}, which validates each
 * batch (CRC-32C included), assigns offsets in place, writes it into the page cache and indexes it. The secondary
 * result {@code bytes} is the throughput in bytes/s.
 *
 * <p>Design note: each iteration appends to a new partition and deletes it afterwards. Deleting drops the dirty pages
 * instead of writing them back, so every iteration starts from the same state (no dirty data, no pending writeback)
 * and the disk does not fill up; and iterations are 1 s, so that one writes about as much as the {@code dd} page-cache
 * write it is compared with (1 GiB) and stays below the kernel's dirty-page throttling. Longer iterations ({@code -r
 * 10s}) measure the sustained rate instead, which the disk's write-back bounds. The batch is a heap buffer, as a
 * server reading requests into heap buffers (Kafka's does) hands it over; {@code direct} shows what the extra copy
 * from heap to a native buffer costs inside {@code FileChannel.write}.
 *
 * <p>Thread-safety: one benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class AppendBenchmark {

    @Param({"heap", "direct"})
    public String buffer;

    private Path dir;
    private LogManager manager;
    private ByteBuffer batch;
    private int batchBytes;
    private int iteration;
    private TopicPartition partition;
    private PartitionLog log;

    @Setup(Level.Trial)
    public void openLogManager() throws IOException {
        dir = BenchLogs.newDataDir();
        manager = BenchLogs.open(dir, Map.of());
        batch = BenchLogs.producerBatch(42, buffer.equals("direct"));
        batchBytes = batch.remaining();
    }

    @Setup(Level.Iteration)
    public void createPartition() throws IOException {
        partition = new TopicPartition("append", iteration++);
        log = manager.getOrCreateLog(partition);
    }

    /**
     * One producer batch appended. The buffer is reused: the append only rewrites the base offset and leader epoch,
     * which the CRC does not cover, so it stays a valid producer batch.
     */
    @Benchmark
    public AppendInfo append(Bytes counter) throws IOException {
        AppendInfo info = log.appendAsLeader(batch.duplicate(), 0);
        counter.bytes += batchBytes;
        return info;
    }

    @TearDown(Level.Iteration)
    public void deletePartition() throws IOException {
        manager.deleteLog(partition);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        try {
            manager.close();
        } finally {
            BenchLogs.deleteRecursively(dir);
        }
    }
}
