package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void percentilesAreNearestRanksOfTheRecordedLatencies() {
        LatencyRecorder r = new LatencyRecorder(1000, 500_000);
        for (int ms = 1000; ms >= 1; ms--) {
            r.record(ms * 1000L);
        }

        assertThat(r.count()).isEqualTo(1000);
        assertThat(r.percentileMillis(0.5)).isEqualTo(500.0);
        assertThat(r.percentileMillis(0.99)).isEqualTo(990.0);
        assertThat(r.percentileMillis(0.999)).isEqualTo(999.0);
        assertThat(r.maxMillis()).isEqualTo(1000.0);
        assertThat(r.averageMillis()).isCloseTo(500.5, within(1e-9));
        assertThat(r.percentiles()).isEqualTo("500.00 ms 50th, 950.00 ms 95th, 990.00 ms 99th, 999.00 ms 99.9th");
    }

    @Test
    void aLongRunIsSampledButCountsEveryLatency() {
        LatencyRecorder r = new LatencyRecorder(100_000, 1000);
        for (int i = 1; i <= 100_000; i++) {
            r.record(i);
        }

        assertThat(r.count()).isEqualTo(100_000);
        assertThat(r.maxMillis()).isEqualTo(100.0);
        assertThat(r.percentileMillis(0.5)).isCloseTo(50.0, within(0.2));
        assertThat(r.percentileMillis(0.99)).isCloseTo(99.0, within(0.2));
    }

    @Test
    void anEmptyRecorderReportsZeros() {
        LatencyRecorder r = new LatencyRecorder(10, 100);

        assertThat(r.percentileMillis(0.99)).isZero();
        assertThat(r.averageMillis()).isZero();
    }
}
