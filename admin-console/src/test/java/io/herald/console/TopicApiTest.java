package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topic endpoints against a real broker: create, list and search, partitions with leader, ISR and offsets after a
 * kafka-clients producer wrote to them, configs, added partitions and delete; and that each refused request says why in
 * words and changes nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopicApiTest {

    @TempDir
    static Path dir;

    static ConsoleBroker console;

    @BeforeAll
    static void start() throws Exception {
        console = ConsoleBroker.start(dir);
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    @Test
    void aCreatedTopicIsListedFoundBySearchAndShowsItsPartitionsAfterAProducerWroteToIt() throws Exception {
        ConsoleBroker.Response created = console.post(
                "/api/topics",
                "{\"name\": \"orders\", \"partitions\": 3, \"replicationFactor\": 1,"
                        + " \"configs\": {\"retention.ms\": \"3600000\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().at("/topic/partitions").asInt()).isEqualTo(3);
        assertThat(created.json().at("/topic/overrides/retention.ms").asText()).isEqualTo("3600000");
        console.post("/api/topics", "{\"name\": \"payments\"}");

        produce("orders", 1, 5);

        JsonNode search = console.get("/api/topics?search=ORD").json();
        assertThat(names(search)).containsExactly("orders");
        assertThat(names(console.get("/api/topics").json())).contains("orders", "payments");
        JsonNode topic = console.get("/api/topics/orders").json().get("topic");
        assertThat(topic.get("messages").asLong()).isEqualTo(5);
        JsonNode p1 = topic.get("partitionStates").get(1);
        assertThat(p1.get("partition").asInt()).isEqualTo(1);
        assertThat(p1.get("leader").asInt()).isEqualTo(1);
        assertThat(p1.get("replicas").toString()).isEqualTo("[1]");
        assertThat(p1.get("isr").toString()).isEqualTo("[1]");
        assertThat(p1.get("logStartOffset").asLong()).isZero();
        assertThat(p1.get("logEndOffset").asLong()).isEqualTo(5);
        assertThat(p1.get("highWatermark").asLong()).isEqualTo(5);
        assertThat(p1.get("sizeBytes").asLong()).isPositive();
        assertThat(topic.get("partitionStates").get(0).get("highWatermark").asLong())
                .isZero();
    }

    @Test
    void configsAreShownWithTheirSourceAndChangedAsAWhole() {
        console.post("/api/topics", "{\"name\": \"configured\"}");

        ConsoleBroker.Response changed = console.patch(
                "/api/topics/configured/configs",
                "{\"set\": {\"retention.ms\": \"60000\", \"cleanup.policy\": \"compact\"}}");
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(config("configured", "retention.ms").get("value").asText()).isEqualTo("60000");
        assertThat(config("configured", "retention.ms").get("source").asText()).isEqualTo("TOPIC_CONFIG");

        ConsoleBroker.Response refused = console.patch(
                "/api/topics/configured/configs",
                "{\"set\": {\"retention.ms\": \"120000\", \"segment.bytes\": \"tiny\"}}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("INVALID_CONFIG");
        assertThat(refused.errorMessage()).contains("segment.bytes");
        assertThat(config("configured", "retention.ms").get("value").asText())
                .as("a refused change changes nothing")
                .isEqualTo("60000");

        ConsoleBroker.Response removed =
                console.patch("/api/topics/configured/configs", "{\"delete\": [\"retention.ms\"]}");
        assertThat(removed.status()).as(removed.text()).isEqualTo(200);
        assertThat(config("configured", "retention.ms").get("source").asText()).isNotEqualTo("TOPIC_CONFIG");
        assertThat(console.patch("/api/topics/configured/configs", "{}").errorMessage())
                .contains("No configuration change");
    }

    @Test
    void partitionsAreAddedButNeverRemoved() {
        console.post("/api/topics", "{\"name\": \"growing\", \"partitions\": 2}");

        ConsoleBroker.Response grown = console.post("/api/topics/growing/partitions", "{\"count\": 4}");
        assertThat(grown.status()).as(grown.text()).isEqualTo(200);
        assertThat(grown.json().at("/topic/partitionStates").size()).isEqualTo(4);

        ConsoleBroker.Response fewer = console.post("/api/topics/growing/partitions", "{\"count\": 3}");
        assertThat(fewer.status()).isEqualTo(400);
        assertThat(fewer.errorCode()).isEqualTo("INVALID_PARTITIONS");
        assertThat(fewer.errorMessage()).isNotBlank();
        assertThat(console.get("/api/topics/growing")
                        .json()
                        .at("/topic/partitions")
                        .asInt())
                .isEqualTo(4);
    }

    @Test
    void aTopicIsDeletedOnlyWithItsNameAsConfirmation() {
        console.post("/api/topics", "{\"name\": \"doomed\"}");

        ConsoleBroker.Response unconfirmed = console.delete("/api/topics/doomed");
        assertThat(unconfirmed.status()).isEqualTo(400);
        assertThat(unconfirmed.errorMessage()).contains("confirm");
        assertThat(console.get("/api/topics/doomed").status()).isEqualTo(200);

        assertThat(console.delete("/api/topics/doomed?confirm=doomed").status()).isEqualTo(204);
        ConsoleBroker.Response gone = console.get("/api/topics/doomed");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorMessage()).isEqualTo("Topic 'doomed' does not exist.");
        assertThat(console.delete("/api/topics/doomed?confirm=doomed").status()).isEqualTo(404);
    }

    @Test
    void aRefusedCreationSaysWhyAndCreatesNothing() {
        console.post("/api/topics", "{\"name\": \"taken\"}");

        ConsoleBroker.Response exists = console.post("/api/topics", "{\"name\": \"taken\"}");
        assertThat(exists.status()).isEqualTo(409);
        assertThat(exists.errorCode()).isEqualTo("TOPIC_ALREADY_EXISTS");

        ConsoleBroker.Response replication =
                console.post("/api/topics", "{\"name\": \"replicated\", \"replicationFactor\": 3}");
        assertThat(replication.status()).isEqualTo(400);
        assertThat(replication.errorCode()).isEqualTo("INVALID_REPLICATION_FACTOR");
        assertThat(replication.errorMessage()).contains("3");

        ConsoleBroker.Response badConfig =
                console.post("/api/topics", "{\"name\": \"badly\", \"configs\": {\"retention.ms\": \"soon\"}}");
        assertThat(badConfig.status()).isEqualTo(400);
        assertThat(badConfig.errorMessage()).contains("retention.ms");

        ConsoleBroker.Response badName = console.post("/api/topics", "{\"name\": \"no spaces\"}");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.errorCode()).isEqualTo("INVALID_TOPIC_EXCEPTION");

        assertThat(console.post("/api/topics", "{\"partitions\": 1}").errorMessage())
                .contains("'name'");
        assertThat(console.post("/api/topics", "not json").errorMessage()).contains("not valid JSON");
        assertThat(console.post("/api/topics", "{\"name\": \"x\", \"partitions\": \"many\"}")
                        .errorMessage())
                .contains("'partitions'");

        assertThat(names(console.get("/api/topics").json())).doesNotContain("replicated", "badly", "no spaces", "x");
    }

    @Test
    void aBodyNotSentAsJsonIsRefusedSoThatOtherSitesCannotPostHere() {
        ConsoleBroker.Response refused = console.post("/api/topics", "text/plain", "{\"name\": \"csrf\"}");

        assertThat(refused.status()).isEqualTo(415);
        assertThat(refused.errorMessage()).contains("Content-Type: application/json");
        assertThat(console.get("/api/topics/csrf").status()).isEqualTo(404);
    }

    @Test
    void unknownEndpointsAndMethodsAreJsonErrors() {
        ConsoleBroker.Response unknown = console.get("/api/nothing-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/json");
        assertThat(unknown.errorMessage()).contains("/api/nothing-here");
        assertThat(console.delete("/api/topics").status()).isEqualTo(405);
    }

    private static JsonNode config(String topic, String name) {
        for (JsonNode c : console.get("/api/topics/" + topic + "/configs").json()) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no config " + name);
    }

    static List<String> names(JsonNode topics) {
        List<String> names = new ArrayList<>();
        topics.forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    static void produce(String topic, int partition, int count) throws Exception {
        Properties p = console.clientProperties();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i))
                        .get();
            }
        }
    }
}
