package io.herald.security.tls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls {@link SslContextFactory#reloadIfChanged()} of some factories at a fixed interval on one daemon thread, so that
 * certificates replaced on disk (a renewal by cert-manager, certbot or an operator) take effect without a restart.
 *
 * <p>Design note: polling rather than a {@code WatchService}, because the files are often symbolic links swapped by
 * an orchestrator (Kubernetes secrets), whose changes a directory watch misses, and because one stat per file and
 * interval costs nothing.
 *
 * <p>Thread-safety: {@link #close()} may be called from any thread, more than once.
 */
public final class KeyMaterialReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeyMaterialReloader.class);

    /** A sensible interval for a broker: renewals are rare, and a minute's delay does not matter. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    private final ScheduledExecutorService executor;

    private KeyMaterialReloader(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Starts checking {@code factories} every {@code interval}, the first time one interval from now. */
    public static KeyMaterialReloader start(Duration interval, List<SslContextFactory> factories) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "herald-tls-reloader");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        List<SslContextFactory> watched = List.copyOf(factories);
        executor.scheduleWithFixedDelay(
                () -> {
                    for (SslContextFactory factory : watched) {
                        try {
                            factory.reloadIfChanged();
                        } catch (RuntimeException e) {
                            // Never let one bad check cancel the schedule for good.
                            log.warn("TLS key material check failed", e);
                        }
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
        return new KeyMaterialReloader(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
