package io.herald.server.fetch;

import io.herald.log.TopicPartition;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-poll fetches that wait for data: each waits in a timer (not on a thread) for {@code fetch.max.wait.ms}, and is
 * retried whenever one of its partitions gets an append, on a small completion pool so producers do not pay for it.
 *
 * <p>A waiter is registered before its first retry, so an append that races the registration is never missed; every
 * waiter completes exactly once, by an attempt that succeeds or by its timeout.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DelayedFetches implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DelayedFetches.class);

    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService completions;
    private final Map<TopicPartition, Set<Waiter>> watchers = new ConcurrentHashMap<>();

    public DelayedFetches() {
        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "herald-fetch-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.completions = Executors.newFixedThreadPool(2, r -> daemon(r, "herald-fetch-completion"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private final class Waiter {
        private final Set<TopicPartition> keys;
        private final BooleanSupplier attempt;
        private final Runnable expire;
        private ScheduledFuture<?> timeout;
        private boolean done;

        Waiter(Set<TopicPartition> keys, BooleanSupplier attempt, Runnable expire) {
            this.keys = keys;
            this.attempt = attempt;
            this.expire = expire;
        }

        synchronized void tryComplete() {
            if (done) {
                return;
            }
            try {
                if (attempt.getAsBoolean()) {
                    finish();
                }
            } catch (RuntimeException e) {
                log.error("A delayed fetch failed; completing it now", e);
                onTimeout();
            }
        }

        synchronized void onTimeout() {
            if (done) {
                return;
            }
            finish();
            expire.run();
        }

        private void finish() {
            done = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            for (TopicPartition tp : keys) {
                watchers.computeIfPresent(tp, (k, set) -> {
                    set.remove(this);
                    return set.isEmpty() ? null : set;
                });
            }
        }
    }

    /**
     * Waits up to {@code timeoutMs} for {@code attempt} to succeed (it returns {@code true} once it has completed the
     * fetch), retrying it after appends to {@code keys}; at the timeout {@code expire} completes the fetch with what
     * there is.
     */
    public void await(Set<TopicPartition> keys, long timeoutMs, BooleanSupplier attempt, Runnable expire) {
        Waiter w = new Waiter(Set.copyOf(keys), attempt, expire);
        for (TopicPartition tp : w.keys) {
            watchers.computeIfAbsent(tp, k -> ConcurrentHashMap.newKeySet()).add(w);
        }
        synchronized (w) {
            w.timeout = timer.schedule(w::onTimeout, timeoutMs, TimeUnit.MILLISECONDS);
        }
        w.tryComplete();
    }

    /** Called after an append to {@code tp}: retries the fetches waiting on it. */
    public void onAppend(TopicPartition tp) {
        Set<Waiter> waiting = watchers.get(tp);
        if (waiting == null) {
            return;
        }
        for (Waiter w : waiting) {
            try {
                completions.execute(w::tryComplete);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // shutting down
            }
        }
    }

    /** Fetches waiting now (for tests and metrics). */
    public int waiting() {
        return (int) watchers.values().stream().flatMap(Set::stream).distinct().count();
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        completions.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        completions.awaitTermination(5, TimeUnit.SECONDS);
    }
}
