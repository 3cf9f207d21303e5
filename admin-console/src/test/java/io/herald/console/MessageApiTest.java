package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browsing and producing messages against a real broker: records written by a kafka-clients producer are read back by
 * offset, by time and from the end, page by page, with keys, headers and values as text, JSON and bytes; a message
 * produced through the API is what a kafka-clients consumer reads; refused requests append nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageApiTest {

    @TempDir
    static Path dir;

    static ConsoleBroker console;

    @BeforeAll
    static void start() throws Exception {
        console = ConsoleBroker.start(dir);
        console.post("/api/topics", "{\"name\": \"browse\", \"partitions\": 2}");
        console.post("/api/topics", "{\"name\": \"produced\"}");
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    @Test
    void recordsAreBrowsedPageByPageWithKeysHeadersAndValuesAsTextJsonAndBytes() throws Exception {
        long before = System.currentTimeMillis() - 1;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            ProducerRecord<byte[], byte[]> json =
                    new ProducerRecord<>("browse", 0, before, bytes("order-1"), bytes("{\"id\":1,\"items\":[\"a\"]}"));
            json.headers().add(new RecordHeader("source", bytes("web")));
            producer.send(json).get();
            producer.send(new ProducerRecord<>("browse", 0, before + 1, null, new byte[] {0, (byte) 0xff, 7}))
                    .get();
            for (int i = 2; i < 25; i++) {
                producer.send(new ProducerRecord<>("browse", 0, before + 10_000 + i, bytes("k" + i), bytes("v" + i)))
                        .get();
            }
        }

        JsonNode first = console.get("/api/topics/browse/partitions/0/messages?offset=0&limit=10")
                .json();
        assertThat(first.get("highWatermark").asLong()).isEqualTo(25);
        assertThat(first.get("messages").size()).isEqualTo(10);
        assertThat(first.get("nextOffset").asLong()).isEqualTo(10);
        assertThat(first.get("previousOffset").isNull()).isTrue();
        JsonNode m0 = first.get("messages").get(0);
        assertThat(m0.get("offset").asLong()).isZero();
        assertThat(m0.get("timestamp").asLong()).isEqualTo(before);
        assertThat(m0.at("/key/text").asText()).isEqualTo("order-1");
        assertThat(m0.at("/value/json").asBoolean()).isTrue();
        assertThat(m0.at("/value/text").asText()).isEqualTo("{\"id\":1,\"items\":[\"a\"]}");
        assertThat(m0.at("/headers/0/key").asText()).isEqualTo("source");
        assertThat(m0.at("/headers/0/value/text").asText()).isEqualTo("web");
        JsonNode m1 = first.get("messages").get(1);
        assertThat(m1.get("key").isNull()).isTrue();
        assertThat(m1.at("/value/text").isNull()).as("not UTF-8: no text").isTrue();
        assertThat(Base64.getDecoder().decode(m1.at("/value/base64").asText())).containsExactly(0, 0xff, 7);

        JsonNode second = console.get("/api/topics/browse/partitions/0/messages?offset=10&limit=10")
                .json();
        assertThat(second.at("/messages/0/offset").asLong()).isEqualTo(10);
        assertThat(second.get("previousOffset").asLong()).isZero();
        JsonNode last = console.get("/api/topics/browse/partitions/0/messages?position=latest&limit=10")
                .json();
        assertThat(offsets(last)).containsExactly(15L, 16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L);
        assertThat(last.get("nextOffset").asLong()).isEqualTo(25);
        JsonNode byTime = console.get("/api/topics/browse/partitions/0/messages?limit=3&timestamp=" + (before + 10_005))
                .json();
        assertThat(offsets(byTime)).containsExactly(5L, 6L, 7L);
        JsonNode empty = console.get("/api/topics/browse/partitions/1/messages").json();
        assertThat(empty.get("messages").size()).isZero();
    }

    @Test
    void aMessageProducedThroughTheApiIsWhatAKafkaConsumerReads() throws Exception {
        ConsoleBroker.Response produced = console.post(
                "/api/topics/produced/messages",
                "{\"partition\": 0, \"key\": \"customer-7\", \"value\": \"{\\\"total\\\": 42}\","
                        + " \"headers\": [{\"key\": \"trace\", \"value\": \"abc\"}, {\"key\": \"flag\"}]}");
        assertThat(produced.status()).as(produced.text()).isEqualTo(201);
        assertThat(produced.json().get("offset").asLong()).isZero();
        ConsoleBroker.Response binary = console.post(
                "/api/topics/produced/messages",
                "{\"value\": \"" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})
                        + "\", \"valueEncoding\": \"base64\"}");
        assertThat(binary.status()).as(binary.text()).isEqualTo(201);

        List<ConsumerRecord<byte[], byte[]>> records = consume("produced", 2);
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("customer-7");
        assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"total\": 42}");
        assertThat(new String(records.get(0).headers().lastHeader("trace").value(), StandardCharsets.UTF_8))
                .isEqualTo("abc");
        assertThat(records.get(0).headers().lastHeader("flag").value()).isNull();
        assertThat(records.get(1).key()).isNull();
        assertThat(records.get(1).value()).containsExactly(1, 2, 3);

        JsonNode page =
                console.get("/api/topics/produced/partitions/0/messages").json();
        assertThat(page.at("/messages/0/value/json").asBoolean()).isTrue();
        assertThat(page.at("/messages/0/headers/1/value").isNull()).isTrue();
    }

    @Test
    void refusedRequestsSayWhyAndAppendNothing() {
        ConsoleBroker.Response unknownTopic = console.post("/api/topics/nope/messages", "{\"value\": \"x\"}");
        assertThat(unknownTopic.status()).isEqualTo(404);
        assertThat(unknownTopic.errorMessage()).isEqualTo("Topic 'nope' does not exist.");

        ConsoleBroker.Response badPartition =
                console.post("/api/topics/produced/messages", "{\"partition\": 5, \"value\": \"x\"}");
        assertThat(badPartition.status()).isEqualTo(404);
        assertThat(badPartition.errorMessage()).contains("partitions 0 to 0");

        ConsoleBroker.Response badBase64 =
                console.post("/api/topics/produced/messages", "{\"value\": \"%%%\", \"valueEncoding\": \"base64\"}");
        assertThat(badBase64.status()).isEqualTo(400);
        assertThat(badBase64.errorMessage()).contains("not valid base64");

        ConsoleBroker.Response headerWithoutKey =
                console.post("/api/topics/produced/messages", "{\"value\": \"x\", \"headers\": [{\"value\": \"v\"}]}");
        assertThat(headerWithoutKey.status()).isEqualTo(400);
        assertThat(headerWithoutKey.errorMessage()).contains("header needs a 'key'");

        ConsoleBroker.Response tooLarge =
                console.post("/api/topics/produced/messages", "{\"value\": \"" + "x".repeat(1_100_000) + "\"}");
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(tooLarge.errorCode()).isIn("RECORD_LIST_TOO_LARGE", "MESSAGE_TOO_LARGE");

        assertThat(console.get("/api/topics/produced/partitions/0/messages?offset=-1")
                        .status())
                .isEqualTo(400);
        assertThat(console.get("/api/topics/produced/partitions/0/messages?limit=0")
                        .errorMessage())
                .contains("'limit'");
        assertThat(console.get("/api/topics/produced/partitions/0/messages?timestamp=yesterday")
                        .errorMessage())
                .contains("ISO-8601");
        assertThat(console.get("/api/topics/produced/partitions/x/messages").errorMessage())
                .contains("'partition' must be a whole number");

        long end = console.get("/api/topics/produced")
                .json()
                .at("/topic/partitionStates/0/highWatermark")
                .asLong();
        assertThat(console.post("/api/topics/produced/messages", "{\"value\": \"ok\"}")
                        .json()
                        .get("offset")
                        .asLong())
                .as("none of the refused messages was appended")
                .isEqualTo(end);
    }

    private static List<Long> offsets(JsonNode page) {
        List<Long> offsets = new ArrayList<>();
        page.get("messages").forEach(m -> offsets.add(m.get("offset").asLong()));
        return offsets;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = console.clientProperties();
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected) {
        Properties p = console.clientProperties();
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
