package io.herald.server.group;

/**
 * The coordinator's clock and timer: session timeouts, rebalance timeouts, delayed joins and offset expiration all wait
 * here, in one timer structure, rather than on a thread each. Tests inject a manual implementation and move time
 * themselves.
 *
 * <p>Thread-safety: implementations are thread-safe; tasks run on the implementation's timer thread (or, for a manual
 * implementation, on the thread that advances time).
 */
public interface GroupTime {

    /** The current time in milliseconds since the epoch. */
    long milliseconds();

    /** Runs {@code task} once, {@code delayMs} from now, unless cancelled first. */
    Cancellable schedule(long delayMs, Runnable task);

    /** A scheduled task. */
    interface Cancellable {

        /** Cancels the task if it has not started; a running task finishes. */
        void cancel();
    }
}
