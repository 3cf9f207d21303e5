package io.herald.console.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.metrics.BrokerMetrics;
import org.junit.jupiter.api.Test;

class TrafficHistoryTest {

    private final BrokerMetrics metrics = new BrokerMetrics();
    private final TrafficHistory history = new TrafficHistory(metrics);

    @Test
    void eachSampleIsTheGrowthOfTheCountersPerSecondSinceThePreviousOne() {
        history.sample(1_000);
        metrics.produced("orders", 2_000, 20);
        metrics.fetched("orders", 1_000, 10);
        history.sample(3_000);

        TrafficHistory.Series broker = history.broker(60);
        assertThat(broker.timestamps()).containsExactly(3_000L);
        assertThat(broker.rates()).containsExactly(new TrafficHistory.Rates(10, 5, 1_000, 500));
        assertThat(history.topics(60)).containsOnlyKeys("orders");
        assertThat(history.topics(60).get("orders").rates().get(0).messagesIn()).isEqualTo(10);
    }

    @Test
    void theFirstSampleOnlyRecordsWhereTheCountersStand() {
        metrics.produced("orders", 2_000, 20);
        history.sample(1_000);

        assertThat(history.broker(60).rates()).isEmpty();
        assertThat(history.average("orders", 10)).isEqualTo(new TrafficHistory.Rates(0, 0, 0, 0));
    }

    @Test
    void aTopicsAverageIsOverItsLastSamples() {
        history.sample(0);
        metrics.produced("orders", 0, 10);
        history.sample(1_000);
        history.sample(2_000);

        assertThat(history.average("orders", 2).messagesIn()).isEqualTo(5);
        assertThat(history.average("orders", 1).messagesIn()).isZero();
    }

    @Test
    void onlyTheLastCapacitySamplesAreKeptAndADeletedTopicGoesOnceItsWindowIsIdle() {
        history.sample(0);
        metrics.produced("gone", 100, 1);
        history.sample(1_000);
        metrics.forgetTopic("gone");

        for (int i = 2; i <= TrafficHistory.CAPACITY + 1; i++) {
            history.sample(i * 1_000L);
        }

        assertThat(history.broker(1_000).timestamps()).hasSize(TrafficHistory.CAPACITY);
        assertThat(history.topics(TrafficHistory.CAPACITY)).doesNotContainKey("gone");
    }
}
