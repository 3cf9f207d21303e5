package io.herald.dist.cli;

import io.herald.server.EmbeddedHerald;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One in-process broker (module server's {@link EmbeddedHerald}, 127.0.0.1, ephemeral port) for the CLI tests of a
 * class, and kafka-clients helpers to set up and check what the commands did independently of the CLI.
 *
 * <p>With the system property {@value #EXTERNAL_BROKER} ({@code host:port}) the tests run against that broker instead,
 * e.g. a real Kafka broker of {@code ../shared/anchors/kafka} as an oracle for the expected behaviour (a fresh one: the
 * tests create topics with fixed names).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BrokerTestSupport {

    static final String EXTERNAL_BROKER = "herald.test.bootstrap";

    @TempDir
    static Path data;

    static EmbeddedHerald broker;
    static String bootstrap;
    static Cli cli;

    @BeforeAll
    static void startBroker() throws Exception {
        bootstrap = System.getProperty(EXTERNAL_BROKER);
        if (bootstrap == null) {
            // A group's first join waits no 3 s for more members: no test here has any on the way.
            broker = EmbeddedHerald.start(data, Map.of("group.initial.rebalance.delay.ms", "0"));
            bootstrap = broker.bootstrap();
        }
        cli = new Cli(bootstrap);
    }

    static Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    static Admin admin() {
        return Admin.create(clientProperties());
    }

    static void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Sends {@code values} to partition 0 of {@code topic} with kafka-clients, keyed k0, k1, ... */
    static void produce(String topic, String... values) {
        Properties p = clientProperties();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < values.length; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, values[i]));
            }
            producer.flush();
        }
    }

    /** Every record of the given partitions of {@code topic}, read with kafka-clients. */
    static List<ConsumerRecord<String, String>> readAll(String topic, int partitions, int expected) {
        Properties p = clientProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static Map<String, String> headersOf(ConsumerRecord<String, String> r) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        r.headers().forEach(h -> result.put(h.key(), utf8(h.value())));
        return result;
    }
}
