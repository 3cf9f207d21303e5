package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer groups against a real broker and kafka-clients consumers: state, members, assignment and lag per partition
 * and in total; resetting offsets (refused while the group has members, then to the earliest, latest and a time) and
 * deleting (only confirmed, only when empty).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GroupApiTest {

    @TempDir
    static Path dir;

    static ConsoleBroker console;

    @BeforeAll
    static void start() throws Exception {
        console = ConsoleBroker.start(dir);
        TopicApiTest.console = console;
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    @Test
    void aGroupShowsItsMembersAndLagAndIsResetAndDeletedOnlyWhenEmpty() throws Exception {
        console.post("/api/topics", "{\"name\": \"events\", \"partitions\": 2}");
        TopicApiTest.produce("events", 0, 6);
        TopicApiTest.produce("events", 1, 4);

        try (KafkaConsumer<String, String> consumer = consumer("billing")) {
            consumer.subscribe(List.of("events"));
            int[] read = new int[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                read[0] += consumer.poll(Duration.ofMillis(200)).count();
                return read[0] >= 10;
            });
            consumer.commitSync();

            JsonNode listed = console.get("/api/groups").json();
            assertThat(listed.get(0).get("groupId").asText()).isEqualTo("billing");
            assertThat(listed.get(0).get("members").asInt()).isEqualTo(1);
            JsonNode group = console.get("/api/groups/billing").json();
            assertThat(group.get("state").asText()).isEqualTo("Stable");
            assertThat(group.at("/members/0/clientId").asText()).isEqualTo("billing-client");
            assertThat(group.at("/members/0/assignment").size()).isEqualTo(2);
            assertThat(group.get("totalLag").asLong()).isZero();
            assertThat(group.at("/offsets/0/committedOffset").asLong()).isEqualTo(6);
            assertThat(group.at("/offsets/0/memberId").asText())
                    .isEqualTo(group.at("/members/0/memberId").asText());

            ConsoleBroker.Response refused =
                    console.post("/api/groups/billing/offsets/reset", "{\"target\": \"earliest\"}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.errorMessage()).contains("Stop its consumers first");
            ConsoleBroker.Response notDeleted = console.delete("/api/groups/billing?confirm=billing");
            assertThat(notDeleted.status()).isEqualTo(409);
            assertThat(notDeleted.errorMessage()).contains("has members");

            TopicApiTest.produce("events", 0, 3);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> console.get("/api/groups/billing")
                                    .json()
                                    .get("totalLag")
                                    .asLong()
                            == 3);
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> console.get("/api/groups/billing")
                        .json()
                        .get("state")
                        .asText()
                        .equals("Empty"));
        JsonNode earliest = console.post("/api/groups/billing/offsets/reset", "{\"target\": \"earliest\"}")
                .json();
        assertThat(earliest.get("totalLag").asLong()).isEqualTo(13);
        assertThat(earliest.at("/offsets/0/committedOffset").asLong()).isZero();

        JsonNode latest = console.post(
                        "/api/groups/billing/offsets/reset", "{\"target\": \"latest\", \"topic\": \"events\"}")
                .json();
        assertThat(latest.get("totalLag").asLong()).isZero();

        JsonNode byTime = console.post(
                        "/api/groups/billing/offsets/reset", "{\"target\": \"timestamp\", \"timestamp\": \"0\"}")
                .json();
        assertThat(byTime.get("totalLag").asLong()).isEqualTo(13);

        ConsoleBroker.Response badTarget =
                console.post("/api/groups/billing/offsets/reset", "{\"target\": \"middle\"}");
        assertThat(badTarget.status()).isEqualTo(400);
        assertThat(badTarget.errorMessage()).contains("earliest, latest or timestamp");
        assertThat(console.post("/api/groups/billing/offsets/reset", "{\"target\": \"timestamp\"}")
                        .errorMessage())
                .contains("'timestamp'");
        assertThat(console.post("/api/groups/billing/offsets/reset", "{\"target\": \"latest\", \"topic\": \"nope\"}")
                        .status())
                .isEqualTo(404);
        assertThat(console.get("/api/groups/billing").json().get("totalLag").asLong())
                .as("refused resets change nothing")
                .isEqualTo(13);

        assertThat(console.delete("/api/groups/billing").status()).isEqualTo(400);
        assertThat(console.delete("/api/groups/billing?confirm=billing").status())
                .isEqualTo(204);
        ConsoleBroker.Response gone = console.get("/api/groups/billing");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorMessage()).contains("does not exist");
    }

    @Test
    void aConsumerProtocolGroupShowsItsMembersAssignmentAndLag() throws Exception {
        console.post("/api/topics", "{\"name\": \"kip848\", \"partitions\": 2}");
        TopicApiTest.produce("kip848", 0, 4);

        Properties p = console.clientProperties();
        p.put("group.protocol", "consumer");
        try (KafkaConsumer<String, String> consumer = consumer("modern", p)) {
            consumer.subscribe(List.of("kip848"));
            int[] read = new int[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                read[0] += consumer.poll(Duration.ofMillis(200)).count();
                return read[0] >= 4;
            });
            consumer.commitSync();
            TopicApiTest.produce("kip848", 1, 2);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode group = console.get("/api/groups/modern").json();
                assertThat(group.get("type").asText()).isEqualTo("consumer");
                assertThat(group.at("/members/0/clientId").asText()).isEqualTo("modern-client");
                assertThat(group.at("/members/0/assignment").size()).isEqualTo(2);
                assertThat(group.get("totalLag").asLong()).isEqualTo(2);
            });
        }
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        return consumer(group, console.clientProperties());
    }

    private static KafkaConsumer<String, String> consumer(String group, Properties p) {
        p.put("group.id", group);
        p.put("client.id", group + "-client");
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
