package io.herald.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.BrokerWithAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker splits each request's time into Kafka's stages (request queue, local, remote, response queue, response
 * send), counted once the response is written: for the real clients' requests the stages add up to the total, and a
 * long-polling fetch's wait shows as remote time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestStageMetricsTest {

    private static final int FETCH_WAIT_MS = 300;

    @RegisterExtension
    final BrokerWithAdmin herald = new BrokerWithAdmin();

    @Test
    void durableProducesAreCountedWithStagesThatAddUpToTheTotal() throws Exception {
        herald.admin()
                .createTopics(List.of(new NewTopic("durable", 1, (short) 1).configs(Map.of("flush.messages", "1"))))
                .all()
                .get(30, TimeUnit.SECONDS);
        Properties p = herald.broker().clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("durable", "m" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        // The response reaches the client as the broker's network thread finishes writing it, before it counts it.
        BrokerMetrics.Requests produce = requests(ApiKeys.PRODUCE);
        BrokerMetrics.Requests metadata = requests(ApiKeys.METADATA);
        await().atMost(Duration.ofSeconds(10)).until(() -> produce.count() >= 5);
        herald.broker().stop(); // nothing more is counted while the sums are read
        assertStagesAddUp(produce);
        assertStagesAddUp(metadata);
        assertThat(produce.failed()).isZero();
    }

    @Test
    void aLongPollingFetchWaitsAsRemoteTime() throws Exception {
        herald.admin()
                .createTopics(List.of(new NewTopic("empty", 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        Properties p = herald.broker().clientProperties();
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(FETCH_WAIT_MS));
        BrokerMetrics.Requests fetch = requests(ApiKeys.FETCH);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition("empty", 0)));
            consumer.seekToBeginning(List.of(new TopicPartition("empty", 0)));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return fetch.count() >= 3;
            });
        }

        herald.broker().stop(); // nothing more is counted while the sums are read
        // Of three fetches of an empty partition, at least one was answered only after waiting its full max wait.
        assertThat(fetch.remoteNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(FETCH_WAIT_MS));
        assertStagesAddUp(fetch);
    }

    private BrokerMetrics.Requests requests(ApiKeys api) {
        return herald.broker().server().metrics().requests().get(api);
    }

    private static void assertStagesAddUp(BrokerMetrics.Requests r) {
        assertThat(r.count()).isPositive();
        assertThat(List.of(
                        r.requestQueueNanos(),
                        r.localNanos(),
                        r.remoteNanos(),
                        r.responseQueueNanos(),
                        r.responseSendNanos()))
                .allMatch(nanos -> nanos >= 0);
        assertThat(r.requestQueueNanos()
                        + r.localNanos()
                        + r.remoteNanos()
                        + r.responseQueueNanos()
                        + r.responseSendNanos())
                .isEqualTo(r.totalNanos());
    }
}
