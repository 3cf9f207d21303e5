package io.herald.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.log.io.LogFile;
import io.herald.log.io.MemoryStorage;
import io.herald.log.io.Storage;
import io.herald.log.record.Compression;
import io.herald.log.record.RecordBatch;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link GroupCommit} under concurrency, on {@link MemoryStorage} so that a crash keeps only what was fsynced: appends
 * to topics with {@code flush.messages=1} from many threads all survive a crash once acknowledged, and share fsyncs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final int THREADS = 8;
    private static final int APPENDS_PER_THREAD = 60;
    private static final long WAIT_MS = 20_000;
    private static final String FLUSHER = "test-group-commit";
    private static final List<TopicPartition> PARTITIONS =
            List.of(new TopicPartition("durable", 0), new TopicPartition("durable", 1));

    private final MemoryStorage memory = new MemoryStorage();
    private final MutableClock clock = new MutableClock(NOW);
    private final LogConfig config = LogConfig.defaults()
            .with(Map.of("flush.messages", "1", "segment.bytes", "8192", "index.interval.bytes", "256"));

    /** An acknowledged append: where the log put it and the bytes it stored. */
    private record Acked(TopicPartition tp, long firstOffset, long lastOffset, ByteBuffer bytes) {}

    @Test
    void concurrentDurableAppendsShareFsyncsAndAllSurviveACrash() throws Exception {
        GroupCommit groupCommit = GroupCommit.start(FLUSHER);
        // The flusher's first fsync waits until every appender has asked for one, so appends pile up behind it and
        // the next round must serve several: sharing is forced, not left to timing.
        GatedStorage storage = new GatedStorage(memory, () -> groupCommit.requests() >= THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Acked> acked = new ArrayList<>();
        Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
        try {
            LogEnvironment env = new LogEnvironment(storage, clock, new ManualScheduler(), groupCommit);
            for (TopicPartition tp : PARTITIONS) {
                logs.put(tp, PartitionLog.open(env, dir(tp), tp, config, 0, 0, true));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Acked>>> appenders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                TopicPartition tp = PARTITIONS.get(t % PARTITIONS.size());
                int thread = t;
                appenders.add(pool.submit(() -> {
                    start.await();
                    List<Acked> mine = new ArrayList<>();
                    for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                        ByteBuffer batch = TestBatches.batch(
                                1 + i % 4, NOW, i % 3 == 0 ? Compression.LZ4 : Compression.NONE, "t" + thread + "-");
                        AppendInfo info = logs.get(tp).appendAsLeader(batch, 1);
                        assertDurableNow(storage, tp, info, batch);
                        mine.add(new Acked(tp, info.firstOffset(), info.lastOffset(), batch));
                    }
                    return mine;
                }));
            }
            storage.arm();
            start.countDown();
            for (Future<List<Acked>> f : appenders) {
                acked.addAll(f.get(WAIT_MS, TimeUnit.MILLISECONDS));
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            groupCommit.close();
        }

        long requests = groupCommit.requests();
        long rounds = groupCommit.rounds();
        // An append finds nothing to ask for when a flush for a later append already covered it.
        assertThat(requests).isBetween((long) THREADS, (long) THREADS * APPENDS_PER_THREAD);
        assertThat(rounds).as("fsync rounds for %d requests", requests).isLessThan(requests);
        // The gated first round served at most one batch of waiters; the THREADS - 1 behind it shared the next.
        assertThat(rounds).isLessThanOrEqualTo(requests - (THREADS - 2));

        memory.crash();

        GroupCommit afterCrash = GroupCommit.start("test-group-commit-after-crash");
        try {
            LogEnvironment env = new LogEnvironment(memory, clock, new ManualScheduler(), afterCrash);
            for (TopicPartition tp : PARTITIONS) {
                // Recovery point 0: every batch is validated, as after a crash that lost the checkpoint too.
                PartitionLog log = PartitionLog.open(env, dir(tp), tp, config, 0, 0, false);
                List<Acked> mine = acked.stream().filter(a -> a.tp().equals(tp)).toList();
                long maxAcked = mine.stream().mapToLong(Acked::lastOffset).max().orElseThrow();
                assertThat(log.logEndOffset())
                        .as("log end offset of %s after the crash", tp)
                        .isGreaterThan(maxAcked);
                for (Acked a : mine) {
                    ByteBuffer stored =
                            log.read(a.firstOffset(), 1, Long.MAX_VALUE, true).toByteBuffer();
                    RecordBatch b = RecordBatch.at(stored, 0);
                    assertThat(b.baseOffset()).as("acknowledged append %s", a).isEqualTo(a.firstOffset());
                    assertThat(b.lastOffset()).as("acknowledged append %s", a).isEqualTo(a.lastOffset());
                    assertThat(stored)
                            .as("bytes of acknowledged append %s", a)
                            .isEqualTo(a.bytes().rewind());
                }
                log.close();
            }
        } finally {
            afterCrash.close();
        }
    }

    /**
     * The moment an append returns, its bytes must be in what the storage has fsynced: checked here, at each ack, as
     * well as by the crash at the end (which only sees the last flush).
     */
    private static void assertDurableNow(GatedStorage storage, TopicPartition tp, AppendInfo info, ByteBuffer batch) {
        Path file = dir(tp).resolve(Segment.fileStem(info.segmentBaseOffset()) + ".log");
        byte[] durable = storage.forcedContent(file);
        assertThat(durable)
                .as("fsynced content of %s when offset %d was acknowledged", file, info.firstOffset())
                .isNotNull();
        assertThat(durable.length)
                .as("fsynced length of %s when offset %d was acknowledged", file, info.firstOffset())
                .isGreaterThanOrEqualTo(info.position() + info.sizeInBytes());
        assertThat(ByteBuffer.wrap(durable, info.position(), info.sizeInBytes()))
                .as("fsynced bytes of offset %d in %s", info.firstOffset(), file)
                .isEqualTo(batch.duplicate().rewind());
    }

    private static Path dir(TopicPartition tp) {
        return Path.of("/data", tp.dirName());
    }

    /**
     * A {@link Storage} whose files hold the group-commit flusher's first {@code force()} after {@link #arm()} until a
     * condition holds, and which remembers what each {@code force()} covered at least: the file's content as it
     * starts.
     */
    private static final class GatedStorage implements Storage {
        private final MemoryStorage delegate;
        private final BooleanSupplier release;
        private final AtomicBoolean armed = new AtomicBoolean();
        private final Map<Path, byte[]> forced = new ConcurrentHashMap<>();

        GatedStorage(MemoryStorage delegate, BooleanSupplier release) {
            this.delegate = delegate;
            this.release = release;
        }

        /** The file's content when its last {@code force()} began (all of it durable once that returned). */
        byte[] forcedContent(Path path) {
            return forced.get(path);
        }

        void arm() {
            armed.set(true);
        }

        private void maybeWait() throws IOException {
            if (!Thread.currentThread().getName().equals(FLUSHER) || !armed.compareAndSet(true, false)) {
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            while (!release.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("The appenders never all asked for a flush");
                }
                Thread.onSpinWait();
            }
        }

        @Override
        public LogFile open(Path path, boolean create) throws IOException {
            LogFile file = delegate.open(path, create);
            return new LogFile() {
                @Override
                public Path path() {
                    return file.path();
                }

                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    return file.read(dst, position);
                }

                @Override
                public int write(ByteBuffer src, long position) throws IOException {
                    return file.write(src, position);
                }

                @Override
                public long size() throws IOException {
                    return file.size();
                }

                @Override
                public void truncate(long size) throws IOException {
                    file.truncate(size);
                }

                @Override
                public void force() throws IOException {
                    maybeWait();
                    byte[] content = delegate.content(file.path());
                    file.force();
                    forced.put(file.path(), content);
                }

                @Override
                public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
                    return file.transferTo(position, count, target);
                }

                @Override
                public ByteBuffer map(int size) throws IOException {
                    return file.map(size);
                }

                @Override
                public void renameTo(Path target) throws IOException {
                    file.renameTo(target);
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
        }

        @Override
        public boolean exists(Path path) {
            return delegate.exists(path);
        }

        @Override
        public boolean isDirectory(Path path) {
            return delegate.isDirectory(path);
        }

        @Override
        public List<Path> list(Path dir) throws IOException {
            return delegate.list(dir);
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            delegate.createDirectories(dir);
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            delegate.move(source, target);
        }

        @Override
        public void delete(Path path) throws IOException {
            delegate.delete(path);
        }

        @Override
        public void deleteRecursively(Path dir) throws IOException {
            delegate.deleteRecursively(dir);
        }

        @Override
        public void syncDirectory(Path dir) {
            delegate.syncDirectory(dir);
        }

        @Override
        public Closeable lock(Path lockFile) throws IOException {
            return delegate.lock(lockFile);
        }

        @Override
        public long usableSpace(Path path) {
            return delegate.usableSpace(path);
        }
    }
}
