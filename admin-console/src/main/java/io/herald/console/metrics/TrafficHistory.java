package io.herald.console.metrics;

import io.herald.server.metrics.BrokerMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-second rates of the broker's traffic over the last {@link #CAPACITY} samples, for the live charts: messages and
 * bytes in and out, for the broker as a whole and for each topic. {@link #sample} is called about once a second; each
 * sample is the counters' growth since the previous one divided by the time between them.
 *
 * <p>Design note: the counters are monotonic totals ({@link BrokerMetrics}), so a late or missed sample loses no
 * traffic, it only widens one interval. A topic's series is dropped once it has had no traffic for the whole window
 * and its counters are gone (the topic was deleted).
 *
 * <p>Thread-safety: thread-safe; methods are synchronized (one sampler thread writes, HTTP threads read).
 */
public final class TrafficHistory {

    /** Samples kept: five minutes at one a second. */
    public static final int CAPACITY = 300;

    /** The four rates of one sample. */
    public record Rates(double messagesIn, double messagesOut, double bytesIn, double bytesOut) {}

    /** Rates over time: {@code timestamps[i]} (epoch ms) goes with {@code rates[i]}. */
    public record Series(List<Long> timestamps, List<Rates> rates) {}

    private static final class Ring {
        final long[] times = new long[CAPACITY];
        final double[][] values = new double[4][CAPACITY];
        int next;
        int size;

        void add(long time, double[] rates) {
            times[next] = time;
            for (int k = 0; k < 4; k++) {
                values[k][next] = rates[k];
            }
            next = (next + 1) % CAPACITY;
            size = Math.min(size + 1, CAPACITY);
        }

        Series last(int n) {
            int count = Math.min(n, size);
            List<Long> ts = new ArrayList<>(count);
            List<Rates> rs = new ArrayList<>(count);
            for (int i = size - count; i < size; i++) {
                int at = (next - size + i + CAPACITY) % CAPACITY;
                ts.add(times[at]);
                rs.add(new Rates(values[0][at], values[1][at], values[2][at], values[3][at]));
            }
            return new Series(ts, rs);
        }

        boolean idle() {
            for (double[] v : values) {
                for (int i = 0; i < size; i++) {
                    if (v[i] != 0) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private final BrokerMetrics metrics;
    private final Ring broker = new Ring();
    private final Map<String, Ring> topics = new HashMap<>();
    private final Map<String, long[]> previous = new HashMap<>();
    private long previousTime = -1;

    public TrafficHistory(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    /** Takes a sample at {@code nowMs}; the first one only records where the counters stand. */
    public synchronized void sample(long nowMs) {
        boolean first = previousTime < 0;
        double seconds = first ? 0 : Math.max(1, nowMs - previousTime) / 1000.0;
        Map<String, long[]> current = new HashMap<>();
        current.put("", counters(metrics.total()));
        metrics.topics().forEach((topic, traffic) -> current.put(topic, counters(traffic)));
        if (!first) {
            broker.add(nowMs, rates(previous.get(""), current.get(""), seconds));
            for (Map.Entry<String, long[]> e : current.entrySet()) {
                if (!e.getKey().isEmpty()) {
                    long[] before = previous.getOrDefault(e.getKey(), new long[4]);
                    topics.computeIfAbsent(e.getKey(), t -> new Ring())
                            .add(nowMs, rates(before, e.getValue(), seconds));
                }
            }
            for (Iterator<Map.Entry<String, Ring>> it = topics.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Ring> e = it.next();
                if (!current.containsKey(e.getKey())) {
                    e.getValue().add(nowMs, new double[4]);
                    if (e.getValue().idle()) {
                        it.remove();
                    }
                }
            }
        }
        previous.clear();
        previous.putAll(current);
        previousTime = nowMs;
    }

    private static long[] counters(BrokerMetrics.Traffic t) {
        return new long[] {t.messagesIn(), t.messagesOut(), t.bytesIn(), t.bytesOut()};
    }

    private static double[] rates(long[] before, long[] after, double seconds) {
        double[] r = new double[4];
        for (int k = 0; k < 4; k++) {
            r[k] = Math.max(0, after[k] - before[k]) / seconds;
        }
        return r;
    }

    /** The broker's rates over the last {@code samples} samples. */
    public synchronized Series broker(int samples) {
        return broker.last(samples);
    }

    /** The rates of each topic that had traffic in the window, by name, over the last {@code samples} samples. */
    public synchronized Map<String, Series> topics(int samples) {
        Map<String, Series> result = new TreeMap<>();
        topics.forEach((name, ring) -> result.put(name, ring.last(samples)));
        return result;
    }

    /** A topic's average rates over the last {@code samples} samples (zeros if it had no traffic). */
    public synchronized Rates average(String topic, int samples) {
        Ring ring = topics.get(topic);
        if (ring == null || ring.size == 0) {
            return new Rates(0, 0, 0, 0);
        }
        Series s = ring.last(samples);
        double[] sum = new double[4];
        for (Rates r : s.rates()) {
            sum[0] += r.messagesIn();
            sum[1] += r.messagesOut();
            sum[2] += r.bytesIn();
            sum[3] += r.bytesOut();
        }
        int n = s.rates().size();
        return new Rates(sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n);
    }
}
