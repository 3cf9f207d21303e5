package io.herald.jms;

import jakarta.jms.JMSException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches whether a connection can reach any broker, and reports an outage once: after {@link
 * BrokerLossSettings#timeoutMs} without an answer it hands a {@link JMSException} (its cause: the last failure) to
 * the connection's {@code ExceptionListener}; when a broker answers again it logs that and arms itself for the next
 * outage.
 *
 * <p>Design note: kafka-clients reconnects by itself and hides lost connections from its callers (they only see
 * requests time out), so the monitor probes with a DescribeCluster request of its own on a daemon thread rather than
 * inferring an outage from application traffic, which an idle connection does not have. One probe retries for
 * {@link BrokerLossSettings#probeTimeoutMs} (a short per-call timeout would make the admin client drop each new
 * connection before the broker answers) while the monitor checks the silence every {@link
 * BrokerLossSettings#probeIntervalMs}. The connection stays usable
 * throughout: producers and consumers resume once the brokers are back.
 *
 * <p>Thread-safety: thread-safe; {@link #close} may be called from any thread and waits for the probe thread.
 */
final class BrokerLossMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerLossMonitor.class);

    private final Admin admin;
    private final BrokerLossSettings settings;
    private final String brokers;
    private final Consumer<JMSException> report;
    private final LongSupplier clock;
    private final Thread thread;
    private final Object sleeper = new Object();
    private volatile boolean closed;
    private volatile boolean reachable = true;

    private BrokerLossMonitor(
            Admin admin,
            BrokerLossSettings settings,
            String brokers,
            Consumer<JMSException> report,
            LongSupplier clock,
            String name) {
        this.admin = admin;
        this.settings = settings;
        this.brokers = brokers;
        this.report = report;
        this.clock = clock;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts watching through {@code admin}; {@code report} runs on the monitor's thread, once per outage. */
    static BrokerLossMonitor start(
            Admin admin,
            BrokerLossSettings settings,
            String brokers,
            Consumer<JMSException> report,
            LongSupplier clock,
            String name) {
        BrokerLossMonitor m = new BrokerLossMonitor(admin, settings, brokers, report, clock, name);
        m.thread.start();
        return m;
    }

    private void run() {
        long lastAnswer = clock.getAsLong();
        boolean reported = false;
        KafkaFuture<?> probe = null;
        while (!closed) {
            if (probe == null) {
                probe = admin.describeCluster(new DescribeClusterOptions().timeoutMs(settings.probeTimeoutMs()))
                        .nodes();
            }
            Throwable failure;
            try {
                // Waiting in slices: an outage is reported on time even while one probe is still retrying.
                probe.get(settings.probeIntervalMs(), TimeUnit.MILLISECONDS);
                probe = null;
                if (reported) {
                    LOG.info("The brokers at {} answer again", brokers);
                }
                lastAnswer = clock.getAsLong();
                reported = false;
                reachable = true;
                pause();
                continue;
            } catch (TimeoutException e) {
                failure = new TimeoutException("No broker at " + brokers + " answers a DescribeCluster request");
            } catch (ExecutionException e) {
                failure = e.getCause();
                probe = null;
            } catch (InterruptedException e) {
                continue; // close() interrupts: the loop ends on the closed flag
            }
            long silent = clock.getAsLong() - lastAnswer;
            if (!reported && silent >= settings.timeoutMs() && !closed) {
                reported = true;
                reachable = false;
                LOG.warn("No broker at {} answered for {} ms", brokers, silent);
                deliver(JmsErrors.of(
                        "Lost the connection to Herald at " + brokers + ": no broker answered for " + silent + " ms",
                        failure));
            }
            if (probe == null) {
                pause();
            }
        }
    }

    /** False from a reported outage until a broker answers again. */
    boolean reachable() {
        return reachable;
    }

    private void deliver(JMSException e) {
        try {
            report.accept(e);
        } catch (RuntimeException listenerFailure) {
            LOG.warn("The ExceptionListener threw", listenerFailure);
        }
    }

    private void pause() {
        synchronized (sleeper) {
            if (closed) {
                return;
            }
            try {
                sleeper.wait(settings.probeIntervalMs());
            } catch (InterruptedException e) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        if (thread != Thread.currentThread()) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
