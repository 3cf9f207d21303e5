package io.herald.server.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A consumer group of three real KafkaConsumers on a six-partition topic: one leaves, another joins, and every record
 * produced is consumed exactly once (offsets are committed after each poll), with the classic protocol (kafka-clients'
 * default assignors, range first; and cooperative-sticky explicitly) and with KIP-848's consumer protocol (both
 * server-side assignors).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerGroupRebalanceTest {

    private static final String TOPIC = "events";
    private static final int PARTITIONS = 6;

    /** How the group's members rebalance. */
    enum Protocol {
        CLASSIC_DEFAULT_ASSIGNORS(Map.of()),
        CLASSIC_COOPERATIVE_STICKY(Map.of("partition.assignment.strategy", CooperativeStickyAssignor.class.getName())),
        CONSUMER_UNIFORM(Map.of("group.protocol", "consumer", "group.remote.assignor", "uniform")),
        CONSUMER_RANGE(Map.of("group.protocol", "consumer", "group.remote.assignor", "range"));

        final Map<String, String> settings;

        Protocol(Map<String, String> settings) {
            this.settings = settings;
        }

        boolean classic() {
            return !settings.containsKey("group.protocol");
        }
    }

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private final List<ConsumerWorker> workers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(data, GroupTestSettings.broker());
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ConsumerWorker w : workers) {
            w.close();
        }
        broker.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void aGroupOfThreeRebalancesWhenOneLeavesAndOneJoinsWithoutLosingOrDuplicatingARecord(Protocol protocol)
            throws Exception {
        Queue<ConsumerRecord<String, String>> received = new ConcurrentLinkedQueue<>();
        String group = "rebalance-" + protocol.name().toLowerCase();
        ConsumerWorker a = worker("a", protocol, group, received);
        ConsumerWorker b = worker("b", protocol, group, received);
        ConsumerWorker c = worker("c", protocol, group, received);
        awaitBalanced(List.of(a, b, c));

        List<String> produced = new ArrayList<>(produce("first", 300));
        awaitReceived(received, produced);

        workers.remove(c);
        c.close();
        awaitBalanced(List.of(a, b));
        produced.addAll(produce("second", 300));
        awaitReceived(received, produced);

        ConsumerWorker d = worker("d", protocol, group, received);
        awaitBalanced(List.of(a, b, d));
        produced.addAll(produce("third", 300));
        awaitReceived(received, produced);

        List<String> values = received.stream().map(ConsumerRecord::value).toList();
        assertThat(values).as("no record consumed twice").doesNotHaveDuplicates();
        assertThat(values).containsExactlyInAnyOrderElementsOf(produced);
    }

    private ConsumerWorker worker(
            String name, Protocol protocol, String group, Queue<ConsumerRecord<String, String>> sink) {
        Properties p = broker.clientProperties();
        p.put("group.id", group);
        p.put("client.id", name);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        if (protocol.classic()) {
            p.put("heartbeat.interval.ms", "100");
            p.put("session.timeout.ms", "6000");
        }
        p.putAll(protocol.settings);
        ConsumerWorker w = new ConsumerWorker("consumer-" + name, p, TOPIC, sink);
        workers.add(w);
        return w;
    }

    /** Waits until {@code members} own every partition between them, each at least one and none twice. */
    private static void awaitBalanced(List<ConsumerWorker> members) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Set<TopicPartition>> owned =
                    members.stream().map(ConsumerWorker::assignment).toList();
            Set<TopicPartition> all = new HashSet<>();
            int total = 0;
            for (Set<TopicPartition> s : owned) {
                assertThat(s).isNotEmpty();
                all.addAll(s);
                total += s.size();
            }
            assertThat(total).as("partitions owned twice: %s", owned).isEqualTo(PARTITIONS);
            assertThat(all).hasSize(PARTITIONS);
        });
    }

    private List<String> produce(String prefix, int count) throws Exception {
        Properties p = broker.clientProperties();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i;
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value));
                values.add(value);
            }
            producer.flush();
        }
        return values;
    }

    private static void awaitReceived(Queue<ConsumerRecord<String, String>> received, List<String> expected) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> received.stream()
                        .map(ConsumerRecord::value)
                        .collect(Collectors.toSet())
                        .containsAll(expected));
    }
}
