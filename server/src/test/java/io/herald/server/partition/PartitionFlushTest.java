package io.herald.server.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.log.LogConfig;
import io.herald.log.LogManager;
import io.herald.log.LogManagerConfig;
import io.herald.log.TopicPartition;
import io.herald.log.io.DiskStorage;
import io.herald.log.io.LogFile;
import io.herald.log.io.Storage;
import io.herald.log.record.Compression;
import io.herald.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable append ({@code flush.messages=1}) that does not wait for its fsync: it returns while the fsync is still
 * held, and its {@code durable} future completes only once the fsync has returned, or fails with the fsync's error.
 * The disk is real; its segment fsyncs are held or failed by a wrapper.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartitionFlushTest {

    private static final TopicPartition TP = new TopicPartition("durable", 0);

    @TempDir
    Path data;

    /** Segment fsyncs wait until this opens. */
    private final CountDownLatch fsyncGate = new CountDownLatch(1);
    /** When set, segment fsyncs fail with it (after the gate). */
    private volatile IOException fsyncFailure;

    private LogManager logs;
    private Partition partition;

    @BeforeEach
    void open() throws Exception {
        logs = LogManager.open(LogManagerConfig.defaults(List.of(data)), gatedDisk(), Clock.systemUTC());
        logs.setTopicDefaults(LogConfig.defaults().with(Map.of("flush.messages", "1")));
        partition = Partition.open(TP, Uuid.randomUuid(), logs.getOrCreateLog(TP), Clock.systemUTC(), 3_600_000);
    }

    @AfterEach
    void close() throws Exception {
        fsyncFailure = null;
        fsyncGate.countDown();
        logs.close();
    }

    @Test
    void theAppendReturnsBeforeItsFsyncAndIsDurableOnlyAfterIt() throws Exception {
        Partition.AppendResult appended = partition.appendAsLeaderWithoutFlushWait(batch(0), (short) -1);
        Partition.AppendResult retried = partition.appendAsLeaderWithoutFlushWait(batch(0), (short) -1);

        assertThat(appended.duplicate()).isFalse();
        assertThat(retried.duplicate()).isTrue();
        assertThat(appended.durable()).as("durable while its fsync is held").isNotDone();
        assertThat(retried.durable())
                .as("a retry of a batch still being synced is not answered before it")
                .isNotDone();

        fsyncGate.countDown();

        appended.durable().get(30, TimeUnit.SECONDS);
        retried.durable().get(30, TimeUnit.SECONDS);
        assertThat(logs.getOrCreateLog(TP).recoveryPoint()).isEqualTo(1);
    }

    @Test
    void aFailedFsyncFailsTheDurableFutureAndTheWaitingAppend() throws Exception {
        fsyncFailure = new IOException("the disk is gone");
        fsyncGate.countDown();

        Partition.AppendResult appended = partition.appendAsLeaderWithoutFlushWait(batch(0), (short) 1);

        assertThatThrownBy(() -> appended.durable().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseReference(fsyncFailure);
        assertThatThrownBy(() -> partition.appendAsLeader(batch(1))).isSameAs(fsyncFailure);
    }

    private static ByteBuffer batch(int sequence) {
        return RecordBatchBuilder.create(Compression.NONE)
                .producer(7, (short) 0, sequence)
                .append(0, System.currentTimeMillis(), null, ("r" + sequence).getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /** The real disk, but {@code force()} of a segment ({@code .log}) waits for the gate, then maybe fails. */
    private Storage gatedDisk() {
        Storage disk = DiskStorage.instance();
        return proxy(Storage.class, (proxy, method, args) -> {
            Object result = call(disk, method, args);
            if (result instanceof LogFile file && file.path().toString().endsWith(".log")) {
                return proxy(LogFile.class, (p, m, a) -> {
                    if (m.getName().equals("force")) {
                        fsyncGate.await();
                        IOException failure = fsyncFailure;
                        if (failure != null) {
                            throw failure;
                        }
                    }
                    return call(file, m, a);
                });
            }
            return result;
        });
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
