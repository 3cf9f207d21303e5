package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code herald perf produce|consume} against an in-process broker. */
class PerfCliTest extends BrokerTestSupport {

    private static final String SUMMARY =
            "\\d+ records sent, [\\d.]+ records/sec \\([\\d.]+ MB/sec\\), [\\d.]+ ms avg latency, [\\d.]+ ms max latency, "
                    + "[\\d.]+ ms 50th, [\\d.]+ ms 95th, [\\d.]+ ms 99th, [\\d.]+ ms 99.9th\\.";

    @Test
    void perfProduceSendsTheRecordsAndReportsThroughputAndPercentiles() throws Exception {
        createTopic("perf-produce", 2);

        Cli.Result result = cli.run(
                "perf", "produce", "perf-produce", "--num-records", "3000", "--record-size", "100", "--acks", "1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String last = result.lines().get(result.lines().size() - 1);
        assertThat(last).startsWith("3000 records sent, ").matches(SUMMARY);
        assertThat(readAll("perf-produce", 2, 3000))
                .hasSize(3000)
                .allSatisfy(r -> assertThat(r.value()).hasSize(100).matches("[A-Z]+"));
    }

    @Test
    void perfProduceKeepsToTheThroughputLimit() throws Exception {
        createTopic("perf-throttled", 1);

        long start = System.nanoTime();
        Cli.Result result = cli.run(
                "perf",
                "produce",
                "perf-throttled",
                "--num-records",
                "200",
                "--record-size",
                "10",
                "--throughput",
                "400");
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(seconds)
                .as("200 records at 400/s take at least half a second")
                .isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void perfConsumeReadsTheRecordsAndReportsThroughputAndLatency() throws Exception {
        createTopic("perf-consume", 2);
        cli.run("perf", "produce", "perf-consume", "--num-records", "2000", "--record-size", "50");

        Cli.Result result = cli.run("perf", "consume", "perf-consume", "--messages", "2000");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines().get(0))
                .matches("2000 records consumed in [\\d.]+ s, [\\d.]+ records/sec \\([\\d.]+ MB/sec\\)\\.");
        assertThat(result.lines().get(1)).startsWith("End-to-end latency").contains("ms 99.9th");
    }

    @Test
    void perfConsumeFailsWhenFewerRecordsArriveThanAskedFor() throws Exception {
        createTopic("perf-short", 1);
        produce("perf-short", "a", "b");

        Cli.Result result = cli.run("perf", "consume", "perf-short", "--messages", "5", "--timeout", "1000");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).startsWith("2 records consumed");
        assertThat(result.err()).contains("Only 2 of 5 records arrived");
    }
}
