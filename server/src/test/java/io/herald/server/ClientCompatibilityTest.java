package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the issue asks of the data path, checked with the real kafka-clients producer, consumer and admin. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientCompatibilityTest {

    @TempDir
    Path data;

    private EmbeddedHerald broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private EmbeddedHerald start(Map<String, String> overrides) throws Exception {
        broker = EmbeddedHerald.start(data, overrides);
        return broker;
    }

    private KafkaProducer<String, String> producer(Properties base, Map<String, Object> extra) {
        Properties p = new Properties();
        p.putAll(base);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    private KafkaConsumer<String, String> consumer(Map<String, Object> extra) {
        Properties p = broker.clientProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.putAll(extra);
        return new KafkaConsumer<>(p);
    }

    private void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads {@code expected} records from the beginning of every partition of {@code topic}. */
    private List<ConsumerRecord<String, String>> readAll(String topic, int partitions, int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(Map.of())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // anything more would be a duplicate
            consumer.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }

    @Test
    void aHundredThousandRecordsOverSixPartitionsArriveCompleteAndInOrder() throws Exception {
        start(Map.of());
        createTopic("bulk", 6);
        int count = 100_000;
        try (KafkaProducer<String, String> producer =
                producer(broker.clientProperties(), Map.of("acks", "all", "linger.ms", "5"))) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("bulk", i % 6, null, Integer.toString(i)));
            }
            producer.flush();
        }

        List<ConsumerRecord<String, String>> records = readAll("bulk", 6, count);

        assertThat(records).hasSize(count);
        Map<Integer, Integer> lastPerPartition = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            int value = Integer.parseInt(r.value());
            assertThat(value % 6).isEqualTo(r.partition());
            Integer previous = lastPerPartition.put(r.partition(), value);
            assertThat(previous == null ? value : value - previous).isEqualTo(previous == null ? r.partition() : 6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCompressionCodecIsStoredAsSentAndReadBack(String codec) throws Exception {
        start(Map.of());
        createTopic("codec", 1);
        try (KafkaProducer<String, String> producer = producer(
                broker.clientProperties(),
                Map.of("compression.type", codec, "linger.ms", "20", "batch.size", "65536"))) {
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>(
                        "codec",
                        0,
                        "key-" + i,
                        "value-" + i + "-" + "x".repeat(i % 50),
                        List.of(new RecordHeader("h", ("hv" + i).getBytes()))));
            }
            producer.flush();
        }

        List<ConsumerRecord<String, String>> records = readAll("codec", 1, 500);

        assertThat(records).hasSize(500);
        for (int i = 0; i < 500; i++) {
            ConsumerRecord<String, String> r = records.get(i);
            assertThat(r.offset()).isEqualTo(i);
            assertThat(r.key()).isEqualTo("key-" + i);
            assertThat(r.value()).isEqualTo("value-" + i + "-" + "x".repeat(i % 50));
            assertThat(new String(r.headers().lastHeader("h").value())).isEqualTo("hv" + i);
        }
    }

    @Test
    void anIdempotentProducerWhoseAcknowledgementsAreLostWritesEachRecordOnce() throws Exception {
        try (DropResponsesProxy proxy = new DropResponsesProxy("127.0.0.1", 0, 3)) {
            start(Map.of("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port()));
            proxy.target(Integer.parseInt(broker.bootstrap().split(":")[1]));
            createTopic("exactly-once", 1);
            Properties viaProxy = new Properties();
            viaProxy.put("bootstrap.servers", "127.0.0.1:" + proxy.port());
            try (KafkaProducer<String, String> producer = producer(
                    viaProxy,
                    Map.of(
                            "enable.idempotence", "true",
                            "acks", "all",
                            "retries", "20",
                            "retry.backoff.ms", "50",
                            "linger.ms", "0",
                            "delivery.timeout.ms", "60000"))) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    sent.add(producer.send(new ProducerRecord<>("exactly-once", 0, null, Integer.toString(i))));
                    if (i % 20 == 0) {
                        producer.flush();
                    }
                }
                producer.flush();
                for (Future<RecordMetadata> f : sent) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
            assertThat(proxy.dropped()).isEqualTo(3);

            // The broker advertises the proxy, so the consumer comes through it too (it drops only produce answers).
            List<ConsumerRecord<String, String>> records = readAll("exactly-once", 1, 200);

            assertThat(records)
                    .extracting(ConsumerRecord::value)
                    .containsExactlyElementsOf(
                            IntStream.range(0, 200).mapToObj(Integer::toString).toList());
        }
    }

    @Test
    void aConsumerResumesFromATimestamp() throws Exception {
        start(Map.of());
        createTopic("timeline", 1);
        long base = System.currentTimeMillis() - 100_000;
        try (KafkaProducer<String, String> producer = producer(broker.clientProperties(), Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("timeline", 0, base + i * 1000L, null, "r" + i));
            }
            producer.flush();
        }
        TopicPartition tp = new TopicPartition("timeline", 0);
        try (KafkaConsumer<String, String> consumer = consumer(Map.of())) {
            Map<TopicPartition, OffsetAndTimestamp> found =
                    consumer.offsetsForTimes(Map.of(tp, base + 42_500L), Duration.ofSeconds(30));
            assertThat(found.get(tp).offset()).isEqualTo(43);
            assertThat(found.get(tp).timestamp()).isEqualTo(base + 43_000L);

            consumer.assign(List.of(tp));
            consumer.seek(tp, found.get(tp).offset());
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (records.isEmpty()) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records.get(0).value()).isEqualTo("r43");
            assertThat(consumer.offsetsForTimes(Map.of(tp, base + 200_000L), Duration.ofSeconds(30))
                            .get(tp))
                    .isNull();
        }
    }

    @Test
    void dataSurvivesARestartAndTopicsAreCreatedOnFirstUse() throws Exception {
        start(Map.of("num.partitions", "2"));
        RecordMetadata last;
        try (KafkaProducer<String, String> producer = producer(broker.clientProperties(), Map.of())) {
            for (int i = 0; i < 99; i++) {
                producer.send(new ProducerRecord<>("auto", i % 2, null, "v" + i));
            }
            last = producer.send(new ProducerRecord<>("auto", 1, null, "v99")).get(30, TimeUnit.SECONDS);
        }
        assertThat(last.offset()).isEqualTo(49);

        broker.restart();

        List<ConsumerRecord<String, String>> records = readAll("auto", 2, 100);
        assertThat(records).hasSize(100);
        try (KafkaProducer<String, String> producer = producer(broker.clientProperties(), Map.of())) {
            RecordMetadata next = producer.send(new ProducerRecord<>("auto", 1, null, "after"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(next.offset()).isEqualTo(50);
        }
    }

    @Test
    void logAppendTimeTopicsReportTheBrokersTime() throws Exception {
        start(Map.of());
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("stamped", 1, (short) 1)
                            .configs(Map.of("message.timestamp.type", "LogAppendTime"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        long before = System.currentTimeMillis();
        RecordMetadata meta;
        try (KafkaProducer<String, String> producer = producer(broker.clientProperties(), Map.of())) {
            meta = producer.send(new ProducerRecord<>("stamped", 0, 1L, null, "v"))
                    .get(30, TimeUnit.SECONDS);
        }
        assertThat(meta.timestamp()).isGreaterThanOrEqualTo(before);
        ConsumerRecord<String, String> r = readAll("stamped", 1, 1).get(0);
        assertThat(r.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(r.timestamp()).isEqualTo(meta.timestamp());
    }

    @Test
    void aRecordLargerThanTheTopicAllowsIsRefused() throws Exception {
        start(Map.of("message.max.bytes", "2000"));
        createTopic("small", 1);
        try (KafkaProducer<String, String> producer = producer(broker.clientProperties(), Map.of("retries", "0"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("small", "x".repeat(5000)))
                            .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RecordTooLargeException.class);
        }
    }

    @Test
    void aLongPollWaitsForDataAndReturnsAsSoonAsItArrives() throws Exception {
        start(Map.of());
        createTopic("waiting", 6);
        try (KafkaConsumer<String, String> consumer = consumer(Map.of("fetch.max.wait.ms", "30000"));
                KafkaProducer<String, String> producer = producer(broker.clientProperties(), Map.of())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                tps.add(new TopicPartition("waiting", p));
            }
            consumer.assign(tps);
            consumer.seekToEnd(tps);
            tps.forEach(consumer::position);
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();

            Set<String> received = new HashSet<>();
            for (int round = 0; round < 5; round++) {
                String value = "round-" + round;
                producer.send(new ProducerRecord<>("waiting", round % 6, null, value))
                        .get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!received.contains(value) && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
                }
                // Were appends not waking the parked fetch, each round would wait out the 30 s maximum.
                assertThat(received).contains(value);
            }
            consumer.close(Duration.ZERO); // do not wait for the parked fetch that closes the fetch session
        }
    }
}
