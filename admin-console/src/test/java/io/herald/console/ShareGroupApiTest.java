package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share groups (KIP-932) on the Groups endpoints, driven by kafka-clients' own {@link KafkaShareConsumer} against a
 * real broker: listed with type share, a group's member and its assignment, and per partition the start offset, high
 * watermark, records waiting and in flight; reset and delete refused while a member is in the
 * group and done once it left.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShareGroupApiTest {

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
    void aShareGroupIsListedDescribedWithWhatIsWaitingAndInFlightAndDeletedOnlyWhenEmpty() throws Exception {
        assertThat(console.post("/api/topics", "{\"name\": \"tasks\", \"partitions\": 2}")
                        .status())
                .isEqualTo(201);
        produce(console, "tasks", 0, 5);
        produce(console, "tasks", 1, 5);
        // from the log start, as the JMS provider sets its queues, so that the records produced before count
        setGroupConfig(console, "workers", "share.auto.offset.reset", "earliest");

        try (KafkaShareConsumer<String, String> consumer = shareConsumer(console, "workers")) {
            consumer.subscribe(List.of("tasks"));
            AtomicReference<ConsumerRecords<String, String>> first = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                first.set(consumer.poll(Duration.ofMillis(200)));
                return !first.get().isEmpty();
            });
            int held = first.get().count();

            // delivered and not acknowledged: in flight; the rest waits
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode group = console.get("/api/groups/workers").json();
                assertThat(group.get("type").asText()).isEqualTo("share");
                assertThat(group.get("state").asText()).isEqualTo("Stable");
                assertThat(group.at("/members/0/clientId").asText()).isEqualTo("workers-client");
                assertThat(group.at("/members/0/clientHost").asText()).isNotEmpty();
                assertThat(group.at("/members/0/assignment").size()).isEqualTo(2);
                assertThat(group.get("inFlight").asLong()).isEqualTo(held);
                assertThat(group.get("totalLag").asLong()).isEqualTo(10 - held);
                assertThat(group.get("partitions").size()).isEqualTo(2);
                assertThat(group.at("/partitions/0/topic").asText()).isEqualTo("tasks");
                assertThat(group.at("/partitions/0/highWatermark").asLong()).isEqualTo(5);
                assertThat(group.at("/partitions/0/members/0").asText())
                        .isEqualTo(group.at("/members/0/memberId").asText());
            });
            JsonNode listed = console.get("/api/groups").json();
            JsonNode workers = StreamSupport.stream(listed.spliterator(), false)
                    .filter(g -> g.get("groupId").asText().equals("workers"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("workers is not listed: " + listed));
            assertThat(workers.get("type").asText()).isEqualTo("share");
            assertThat(workers.get("protocolType").asText()).isEqualTo("share");
            assertThat(workers.get("state").asText()).isEqualTo("Stable");
            assertThat(workers.get("members").asInt()).isEqualTo(1);

            // acknowledge everything, polling on until all ten were delivered
            int[] done = {held};
            first.get().forEach(consumer::acknowledge);
            consumer.commitSync();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                ConsumerRecords<String, String> more = consumer.poll(Duration.ofMillis(200));
                more.forEach(consumer::acknowledge);
                consumer.commitSync();
                done[0] += more.count();
                return done[0] >= 10;
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode group = console.get("/api/groups/workers").json();
                assertThat(group.get("totalLag").asLong()).isZero();
                assertThat(group.get("inFlight").asLong()).isZero();
                for (JsonNode p : group.get("partitions")) {
                    assertThat(p.get("available").asLong()).isZero();
                    assertThat(p.get("startOffset").asLong()).isEqualTo(5);
                }
            });

            ConsoleBroker.Response notDeleted = console.delete("/api/groups/workers?confirm=workers");
            assertThat(notDeleted.status()).isEqualTo(409);
            assertThat(notDeleted.errorMessage()).contains("has members").contains("stop its consumers");
            ConsoleBroker.Response noReset =
                    console.post("/api/groups/workers/offsets/reset", "{\"target\": \"earliest\"}");
            assertThat(noReset.status()).isEqualTo(409);
            assertThat(noReset.errorMessage()).contains("has members");
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        console.get("/api/groups/workers").json().get("members").isEmpty());
        JsonNode empty = console.get("/api/groups/workers").json();
        assertThat(empty.get("state").asText()).isEqualTo("Empty");
        assertThat(empty.get("partitions").size())
                .as("its state outlives its members")
                .isEqualTo(2);

        ConsoleBroker.Response reset = console.post("/api/groups/workers/offsets/reset", "{\"target\": \"earliest\"}");
        assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
        for (JsonNode p : reset.json().get("partitions")) {
            assertThat(p.get("startOffset").asLong())
                    .as("started over at the log start")
                    .isZero();
            assertThat(p.get("available").asLong())
                    .as("every record is waiting again")
                    .isEqualTo(5);
        }

        assertThat(console.delete("/api/groups/workers").status()).isEqualTo(400);
        assertThat(console.delete("/api/groups/workers?confirm=workers").status())
                .isEqualTo(204);
        ConsoleBroker.Response gone = console.get("/api/groups/workers");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorMessage()).contains("does not exist");
        assertThat(console.get("/api/groups").json().toString()).doesNotContain("\"workers\"");
    }

    static KafkaShareConsumer<String, String> shareConsumer(ConsoleBroker console, String group) {
        Properties p = console.clientProperties();
        p.put("group.id", group);
        p.put("client.id", group + "-client");
        p.put("share.acknowledgement.mode", "explicit");
        p.put("max.poll.records", "50");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaShareConsumer<>(p);
    }

    static void setGroupConfig(ConsoleBroker console, String group, String key, String value) throws Exception {
        try (Admin admin = Admin.create(console.clientProperties())) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.GROUP, group),
                            List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
    }

    static void produce(ConsoleBroker console, String topic, int partition, int count) throws Exception {
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
