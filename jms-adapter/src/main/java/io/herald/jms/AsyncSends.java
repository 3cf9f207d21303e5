package io.herald.jms;

import jakarta.jms.CompletionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous sends of one session (JMS 3.1 section 7.3): runs their CompletionListener callbacks, knows whether
 * the current thread is inside one of them (a callback must not close its own producer or session, nor commit or roll
 * it back: 7.3.4), and lets close, commit and rollback wait until every callback has returned.
 *
 * <p>Design note: a non-transacted send's callback runs on the kafka-clients producer's I/O thread when the broker
 * answered (in send order per destination). A transacted send is only kept until commit, so it completes at once; its
 * callback still must not run on the sending thread (7.3.8), so it goes to one daemon thread shared by all sessions,
 * which keeps a session's callbacks one at a time and in order. So does a failed send whose failure needs a broker
 * answer to be told (see {@link #completeFailed}).
 *
 * <p>Thread-safety: thread-safe.
 */
final class AsyncSends {

    private static final Logger log = LoggerFactory.getLogger(AsyncSends.class);

    private static final ExecutorService LATER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "herald-jms-completion");
        t.setDaemon(true);
        return t;
    });

    /** The sends whose callback runs on this thread now. */
    private static final ThreadLocal<AsyncSends> CALLING = new ThreadLocal<>();

    private final Object lock = new Object();
    /** Sends started whose callback has not returned; guarded by {@code lock}. */
    private int incomplete;

    /** Counts a send whose callback is still to come; each is ended by one {@link #complete}. */
    void started() {
        synchronized (lock) {
            incomplete++;
        }
    }

    /** Runs the callback of a started send on this thread: onCompletion, or onException if {@code failure}. */
    void complete(CompletionListener listener, Message message, Exception failure) {
        CALLING.set(this);
        try {
            if (failure == null) {
                listener.onCompletion(message);
            } else {
                listener.onException(message, failure);
            }
        } catch (RuntimeException e) {
            log.warn("A CompletionListener threw", e);
        } finally {
            CALLING.remove();
            synchronized (lock) {
                incomplete--;
                lock.notifyAll();
            }
        }
    }

    /**
     * Runs the callback of a started send that failed: on this thread if {@code failure} is known already, else on the
     * shared completion thread once it is (telling a deleted destination apart takes a broker answer, which the
     * producer's I/O thread, where a send's callback runs, must not wait for). Such a late callback may follow those
     * of later sends.
     */
    void completeFailed(CompletionListener listener, Message message, CompletionStage<? extends Exception> failure) {
        CompletableFuture<? extends Exception> known = failure.toCompletableFuture();
        if (known.isDone() && !known.isCompletedExceptionally()) {
            complete(listener, message, known.join());
            return;
        }
        failure.whenCompleteAsync(
                (e, error) -> complete(listener, message, e != null ? e : JmsErrors.of("Sending failed", error)),
                LATER);
    }

    /** Completes a send kept until commit: its callback runs on the shared completion thread. */
    void completeLater(CompletionListener listener, Message message) {
        started();
        LATER.execute(() -> complete(listener, message, null));
    }

    /** Refuses {@code operation} from a callback of these sends (7.3.4). */
    void checkNotInCallback(String operation) throws IllegalStateException {
        if (CALLING.get() == this) {
            throw new IllegalStateException(
                    "A CompletionListener must not " + operation + " of its own session (JMS 7.3.4)");
        }
    }

    /** Waits until every started send's callback has returned, at most {@code timeoutMs}. */
    void awaitAll(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (lock) {
            while (incomplete > 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    log.warn("{} asynchronous sends still incomplete after {} ms", incomplete, timeoutMs);
                    return;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
