package io.herald.log;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link Scheduler}: a small pool of daemon threads. A task that throws is logged and, if periodic, keeps its
 * schedule (a bare executor would silently cancel it).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ThreadScheduler implements Scheduler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ThreadScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    public ThreadScheduler(String namePrefix, int threads) {
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, namePrefix + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void schedule(String name, Runnable task, long delayMs) {
        if (!executor.isShutdown()) {
            executor.schedule(guarded(name, task), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void schedulePeriodically(String name, Runnable task, long periodMs) {
        executor.scheduleWithFixedDelay(guarded(name, task), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private static Runnable guarded(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("Background task {} failed", name, e);
            }
        };
    }

    /** Stops the threads, waiting for running tasks; tasks not yet started are dropped. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}
