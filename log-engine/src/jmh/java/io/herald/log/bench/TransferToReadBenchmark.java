package io.herald.log.bench;

import io.herald.log.LogManager;
import io.herald.log.LogSlice;
import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Read throughput as a fetch serves it on a plaintext listener: {@link PartitionLog#read} finds the slice of at most
 * {@link #fetchBytes} starting at the next offset, and {@link LogSlice#transferTo} sends it to a loopback TCP socket
 * with {@code FileChannel.transferTo} (sendfile), while a thread on the other end drains the socket into a buffer it
 * discards. The log ({@link #logMiB} MiB of 16 KiB batches) is written and flushed before the measurement, so every
 * read is served from the page cache; the reads go round it again and again. The secondary result {@code bytes} is
 * the throughput in bytes/s.
 *
 * <p>Thread-safety: one benchmark thread sends; the drain thread only reads its own socket.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class TransferToReadBenchmark {

    /** Bytes asked for per read: the consumer's default {@code max.partition.fetch.bytes}, 1 MiB. */
    @Param("1048576")
    public int fetchBytes;

    /** Size of the log that the reads go round. */
    @Param("1024")
    public int logMiB;

    private Path dir;
    private LogManager manager;
    private PartitionLog log;
    private long offsetsPerBatch;
    private int batchBytes;
    private long endOffset;
    private long nextOffset;

    private ServerSocketChannel server;
    private SocketChannel sender;
    private SocketChannel receiver;
    private Thread drain;
    private final AtomicLong received = new AtomicLong();
    private long sent;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchLogs.newDataDir();
        manager = BenchLogs.open(dir, Map.of());
        log = manager.getOrCreateLog(new TopicPartition("read", 0));
        ByteBuffer batch = BenchLogs.producerBatch(7, false);
        batchBytes = batch.remaining();
        offsetsPerBatch = BenchLogs.RECORDS_PER_BATCH;
        long batches = (long) logMiB * 1024 * 1024 / batchBytes;
        for (long i = 0; i < batches; i++) {
            log.appendAsLeader(batch.duplicate(), 0);
        }
        log.flush(); // nothing dirty left to be written back during the measurement; the pages stay cached
        endOffset = log.logEndOffset();

        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sender = SocketChannel.open(server.getLocalAddress());
        receiver = server.accept();
        drain = new Thread(this::drain, "drain");
        drain.setDaemon(true);
        drain.start();
    }

    private void drain() {
        ByteBuffer discard = ByteBuffer.allocateDirect(1024 * 1024);
        try {
            for (int n = receiver.read(discard); n >= 0; n = receiver.read(discard)) {
                received.addAndGet(n);
                discard.clear();
            }
        } catch (IOException e) {
            System.err.println("drain: " + e);
        }
    }

    /** One fetch's worth: a read of up to {@link #fetchBytes} and its transfer into the socket. */
    @Benchmark
    public long readAndTransfer(Bytes counter) throws IOException {
        LogSlice slice = log.read(nextOffset, fetchBytes, endOffset, true);
        int length = slice.length();
        long done = 0;
        while (done < length) {
            done += slice.transferTo(sender, done);
        }
        if (length % batchBytes != 0) {
            throw new IllegalStateException("Slice of " + length + " bytes is not whole batches of " + batchBytes);
        }
        long next = slice.firstOffset() + (length / batchBytes) * offsetsPerBatch;
        nextOffset = next >= endOffset ? 0 : next;
        counter.bytes += length;
        sent += length;
        return next;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        try {
            sender.close();
            drain.join(10_000);
            if (received.get() != sent) {
                throw new IllegalStateException("Sent " + sent + " bytes but " + received.get() + " arrived");
            }
            receiver.close();
            server.close();
            manager.close();
        } finally {
            BenchLogs.deleteRecursively(dir);
        }
    }
}
