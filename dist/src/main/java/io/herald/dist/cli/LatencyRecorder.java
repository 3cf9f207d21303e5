package io.herald.dist.cli;

import java.util.Arrays;

/**
 * Latencies of a perf run: count, average and maximum of all of them, and percentiles from a bounded sample. As in
 * Kafka's ProducerPerformance, a run of more records than {@code maxSamples} keeps every k-th latency, so that memory
 * stays bounded and the percentiles still represent the whole run.
 *
 * <p>Thread-safety: not thread-safe; callers synchronize (the producer's callbacks all run on its I/O thread).
 */
final class LatencyRecorder {

    private final long[] samples;
    private final long sampling;
    private int sampled;
    private long count;
    private long sumMicros;
    private long maxMicros;

    /**
     * @param expected the number of latencies the run will record (an estimate is fine)
     * @param maxSamples the most latencies to keep for percentiles
     */
    LatencyRecorder(long expected, int maxSamples) {
        this.sampling = Math.max(1, expected / maxSamples);
        this.samples = new long[(int) Math.min(maxSamples, Math.max(1, expected / sampling)) + 1];
    }

    void record(long micros) {
        if (count % sampling == 0 && sampled < samples.length) {
            samples[sampled++] = micros;
        }
        count++;
        sumMicros += micros;
        maxMicros = Math.max(maxMicros, micros);
    }

    long count() {
        return count;
    }

    double averageMillis() {
        return count == 0 ? 0 : sumMicros / 1000.0 / count;
    }

    double maxMillis() {
        return maxMicros / 1000.0;
    }

    /** The latency in milliseconds that {@code fraction} (e.g. 0.99) of the sampled latencies do not exceed. */
    double percentileMillis(double fraction) {
        if (sampled == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(samples, sampled);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(fraction * sampled) - 1; // nearest rank
        return sorted[Math.max(0, Math.min(sampled - 1, rank))] / 1000.0;
    }

    /** "p50 ms 50th, p95 ms 95th, p99 ms 99th, p99.9 ms 99.9th", as Kafka's perf tools print them. */
    String percentiles() {
        return String.format(
                java.util.Locale.ROOT,
                "%.2f ms 50th, %.2f ms 95th, %.2f ms 99th, %.2f ms 99.9th",
                percentileMillis(0.5),
                percentileMillis(0.95),
                percentileMillis(0.99),
                percentileMillis(0.999));
    }
}
