package io.herald.server.share;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;

/**
 * The changes of share groups' configs this broker makes (IncrementalAlterConfigs on a {@code GROUP}, DeleteGroups):
 * each reads the group's configs as the cluster has them, applies the change and writes the result to the state topic;
 * its future completes once the write is replicated. Fresh reads for DescribeConfigs run here too.
 *
 * <p>Design note: a change waits on other brokers twice, for its read of a state partition another broker leads and
 * for the replication of its write, which needs the followers' fetches that request-handler threads serve. Handler
 * threads that waited for it would, with as many changes at once as there are threads (all of a group's changes go to
 * its coordinator), leave none to serve those fetches, and the broker answered nothing until the waits timed out. So
 * nothing here holds the thread that asks: the read runs on this class's thread (a read of a remote state partition
 * blocks in kafka-clients), and the write, its replication and its retries are futures ({@link
 * ShareGroupConfigTable#write}). The changes of one group are chained, each starting once the one before it is done
 * and from what that one wrote, so that two changes made at once cannot lose one another's settings; changes of
 * different groups do not wait for one another's writes.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ShareGroupConfigChanges implements AutoCloseable {

    private final Function<String, Map<String, String>> read;
    private final BiFunction<String, Map<String, String>, CompletableFuture<Void>> write;
    /** The newest change of each group with one under way. */
    private final Map<String, CompletableFuture<Void>> newest = new ConcurrentHashMap<>();

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "herald-share-configs");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param read the configs of a group as the cluster has them now; may block (it runs on this class's thread)
     * @param write writes a group's configs; the future completes once they are replicated (it must not block)
     */
    ShareGroupConfigChanges(
            Function<String, Map<String, String>> read,
            BiFunction<String, Map<String, String>, CompletableFuture<Void>> write) {
        this.read = read;
        this.write = write;
    }

    /**
     * Applies {@code change} to the configs of {@code group} and writes the result unless {@code validateOnly}, after
     * every change of the group asked for before this one. {@code change} gets the current configs and returns the
     * new ones, or throws to refuse (an invalid value).
     *
     * @return completes once the new configs are replicated (at once when only validated), or fails with what {@code
     *     change} threw or the write failed with
     */
    CompletableFuture<Void> change(String group, UnaryOperator<Map<String, String>> change, boolean validateOnly) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> before = newest.put(group, done);
        CompletableFuture<Void> start = before == null ? CompletableFuture.completedFuture(null) : before;
        start.handle((v, e) -> null) // a failed change does not stop the next
                .thenCompose(v -> onThread(() -> change.apply(read.apply(group))))
                .thenCompose(changed ->
                        validateOnly ? CompletableFuture.<Void>completedFuture(null) : write.apply(group, changed))
                .whenComplete((v, e) -> {
                    newest.remove(group, done);
                    if (e == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(failure(e));
                    }
                });
        return done;
    }

    /** The configs of {@code group} as the cluster has them now, read on this class's thread. */
    CompletableFuture<Map<String, String>> read(String group) {
        return onThread(() -> read.apply(group));
    }

    private <T> CompletableFuture<T> onThread(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(shuttingDown());
        }
    }

    private static Throwable failure(Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RejectedExecutionException ? shuttingDown() : cause;
    }

    private static CoordinatorNotAvailableException shuttingDown() {
        return new CoordinatorNotAvailableException("The broker is shutting down");
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
