package io.herald.server.group;

import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GroupTime} on the system clock: one timer thread over a delay queue (a binary heap ordered by deadline), so a
 * thousand groups with a thousand session timeouts cost one thread and {@code O(log n)} per schedule or cancel.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class SystemGroupTime implements GroupTime, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SystemGroupTime.class);

    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;

    public SystemGroupTime(Clock clock) {
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "herald-group-timer");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long milliseconds() {
        return clock.millis();
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        ScheduledFuture<?> future;
        try {
            future = timer.schedule(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            log.error("A group coordinator timer task failed", e);
                        }
                    },
                    Math.max(0, delayMs),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return () -> {}; // closing: nothing runs any more
        }
        return () -> future.cancel(false);
    }

    /** Stops the timer thread; pending tasks are dropped. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
