package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus endpoint and the JMX MBeans, after real traffic from kafka-clients: Kafka's metric names for bytes
 * and messages in and out per topic, requests per API with their time, partition health and consumer-group lag; and
 * the live-chart rates.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {

    @TempDir
    static Path dir;

    static ConsoleBroker console;

    @BeforeAll
    static void start() throws Exception {
        console = ConsoleBroker.start(dir);
        TopicApiTest.console = console;
        console.post("/api/topics", "{\"name\": \"metered\"}");
        TopicApiTest.produce("metered", 0, 20);
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of("metered"));
            int[] read = new int[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                read[0] += consumer.poll(Duration.ofMillis(200)).count();
                return read[0] >= 15;
            });
            consumer.commitSync(java.util.Map.of(
                    new org.apache.kafka.common.TopicPartition("metered", 0),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(15)));
        }
    }

    @Test
    void prometheusSeesShareGroupLag() throws Exception {
        assertThat(console.post("/api/topics", "{\"name\": \"shared-metered\"}").status())
                .isEqualTo(201);
        ShareGroupApiTest.produce(console, "shared-metered", 0, 7);
        ShareGroupApiTest.setGroupConfig(console, "sharers", "share.auto.offset.reset", "earliest");
        try (KafkaShareConsumer<String, String> consumer = ShareGroupApiTest.shareConsumer(console, "sharers")) {
            consumer.subscribe(List.of("shared-metered"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty());
        } // closing releases what it held, unacknowledged: all of it waits again

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(console.get("/metrics").text())
                        .contains(
                                "herald_sharegroup_lag{group=\"sharers\",partition=\"0\",topic=\"shared-metered\"} 7.0")
                        .contains("herald_sharegroup_lag_sum{group=\"sharers\"} 7.0"));
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    @Test
    void prometheusSeesTrafficRequestsPartitionsAndLagUnderKafkasNames() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ConsoleBroker.Response r = console.get("/metrics");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("text/plain");
            assertThat(r.text())
                    .contains("kafka_server_brokertopicmetrics_messagesin_total{topic=\"metered\"} 20.0")
                    .contains("kafka_server_brokertopicmetrics_bytesin_bytes_total{topic=\"metered\"}")
                    .contains("kafka_server_brokertopicmetrics_bytesout_bytes_total{topic=\"metered\"}")
                    .contains("kafka_server_brokertopicmetrics_messagesout_total{topic=\"metered\"}")
                    .contains("kafka_server_brokertopicmetrics_alltopics_messagesin_total ")
                    .contains("kafka_network_requestmetrics_requests_total{request=\"Produce\"} ")
                    .contains("kafka_network_requestmetrics_totaltime_seconds_count{request=\"Fetch\"}")
                    .contains("kafka_network_requestmetrics_requestqueuetime_seconds_sum{request=\"Produce\"}")
                    .contains("kafka_network_requestmetrics_localtime_seconds_sum{request=\"Produce\"}")
                    .contains("kafka_network_requestmetrics_remotetime_seconds_sum{request=\"Fetch\"}")
                    .contains("kafka_network_requestmetrics_responsequeuetime_seconds_sum{request=\"Fetch\"}")
                    .contains("kafka_network_requestmetrics_responsesendtime_seconds_count{request=\"Produce\"}")
                    .contains("kafka_server_replicamanager_underreplicatedpartitions 0.0")
                    .contains("kafka_controller_kafkacontroller_offlinepartitionscount 0.0")
                    .contains("kafka_consumergroup_lag{group=\"meters\",partition=\"0\",topic=\"metered\"} 5.0")
                    .contains("kafka_consumergroup_lag_sum{group=\"meters\"} 5.0")
                    .contains("jvm_memory_used_bytes");
        });
    }

    @Test
    void jmxHasTheSameMetricsUnderKafkasMBeanNames() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName messagesIn =
                new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=metered");
        await().atMost(Duration.ofSeconds(20)).until(() -> server.isRegistered(messagesIn));
        assertThat(((Number) server.getAttribute(messagesIn, "Count")).longValue())
                .isEqualTo(20);
        assertThat(server.isRegistered(
                        new ObjectName("kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions")))
                .isTrue();
        assertThat(server.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null))
                .anyMatch(n -> "Produce".equals(n.getKeyProperty("request")));
    }

    @Test
    void theLiveRatesShowTheTrafficPerTopic() throws Exception {
        console.post("/api/topics", "{\"name\": \"live\"}");
        TopicApiTest.produce("live", 0, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            double sum = 0;
            for (var r : console.get("/api/metrics/live?seconds=60").json().at("/topics/live/rates")) {
                sum += r.get("messagesIn").asDouble();
            }
            return sum > 0;
        });
        assertThat(console.get("/api/metrics/live?seconds=0").status()).isEqualTo(400);
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties p = console.clientProperties();
        p.put("group.id", "meters");
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
