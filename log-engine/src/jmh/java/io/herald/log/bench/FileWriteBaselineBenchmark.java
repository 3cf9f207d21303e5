package io.herald.log.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

/**
 * The experimental control for {@link AppendBenchmark}: the same producer batch written with a bare positional {@code
 * FileChannel.write} at the end of a file, no validation, no offsets, no index, so the difference between the two is
 * what the engine adds. Same iteration shape (1 s, a new file per iteration, deleted after it). The secondary result
 * {@code bytes} is the throughput in bytes/s.
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
public class FileWriteBaselineBenchmark {

    private Path dir;
    private ByteBuffer batch;
    private int iteration;
    private Path file;
    private FileChannel channel;
    private long position;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchLogs.newDataDir();
        batch = BenchLogs.producerBatch(42, false);
    }

    @Setup(Level.Iteration)
    public void createFile() throws IOException {
        file = dir.resolve("baseline-" + iteration++ + ".log");
        channel = FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        position = 0;
    }

    /** One batch written at the end of the file. */
    @Benchmark
    public long write(Bytes counter) throws IOException {
        ByteBuffer src = batch.duplicate();
        while (src.hasRemaining()) {
            position += channel.write(src, position);
        }
        counter.bytes += batch.remaining();
        return position;
    }

    @TearDown(Level.Iteration)
    public void deleteFile() throws IOException {
        channel.close();
        Files.delete(file);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchLogs.deleteRecursively(dir);
    }
}
