package io.herald.log;

/**
 * Runs the engine's background work: segment deletions after their delay, flushes of rolled segments, and the
 * periodic tasks of {@link LogManager}. An interface so tests can run that work when they choose.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
public interface Scheduler {

    /** Runs {@code task} once, after {@code delayMs}. */
    void schedule(String name, Runnable task, long delayMs);

    /** Runs {@code task} every {@code periodMs}, the first time after one period. */
    void schedulePeriodically(String name, Runnable task, long periodMs);
}
