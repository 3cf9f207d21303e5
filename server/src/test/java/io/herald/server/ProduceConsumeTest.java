package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real kafka-clients producer, consumer and admin against an in-process broker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProduceConsumeTest {

    @TempDir
    Path data;

    private EmbeddedHerald broker;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(data);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Properties p = broker.clientProperties();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("linger.ms", "5");
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = broker.clientProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(p);
    }

    @Test
    void recordsProducedByAnIdempotentProducerAreConsumedInOrderPerPartition() throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        int count = 3000;
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("orders", i % 3, "k" + i, "v" + i));
            }
            producer.flush();
        }
        Map<Integer, List<String>> received = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> tps = List.of(
                    new TopicPartition("orders", 0), new TopicPartition("orders", 1), new TopicPartition("orders", 2));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            int total = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (total < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    received.computeIfAbsent(r.partition(), k -> new ArrayList<>())
                            .add(r.value());
                    total++;
                }
            }
        }
        for (int p = 0; p < 3; p++) {
            List<String> expected = new ArrayList<>();
            for (int i = p; i < count; i += 3) {
                expected.add("v" + i);
            }
            assertThat(received.get(p)).as("partition %d", p).containsExactlyElementsOf(expected);
        }
    }
}
