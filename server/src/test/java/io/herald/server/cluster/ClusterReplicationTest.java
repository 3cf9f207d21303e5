package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.herald.server.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers in separate JVMs form a cluster over Hazelcast and replicate: the controller is elected, replicas are
 * assigned over all three, Metadata names leaders on every broker, followers catch up, {@code acks=all} succeeds once
 * the ISR has the records, consumers read only committed records, and {@code min.insync.replicas} refuses writes once
 * too few replicas are in sync (then a returning broker rejoins the ISR).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterReplicationTest {

    @TempDir
    static Path dir;

    private static ProcessCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ProcessCluster.start(dir, 3, ProcessCluster.fastFailover());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void threeBrokersFormOneClusterWithOneController() throws Exception {
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                var described = admin.describeCluster();
                assertThat(described.nodes().get()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
                assertThat(described.controller().get().id()).isIn(1, 2, 3);
            });
        }
    }

    @Test
    @Order(2)
    void aReplicatedTopicHasLeadersOnEveryBrokerAndServesAcksAll() throws Exception {
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("replicated", 3, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            TopicDescription d = awaitFullIsr(admin, "replicated");
            Set<Integer> leaders = new HashSet<>();
            for (TopicPartitionInfo p : d.partitions()) {
                assertThat(p.replicas()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
                leaders.add(p.leader().id());
            }
            assertThat(leaders).containsExactlyInAnyOrder(1, 2, 3);
        }
        List<String> sent = produce("replicated", 3000, "all");
        assertThat(consumeAll("replicated", 3, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    @Order(3)
    void minInsyncReplicasRefusesAcksAllOnceTooFewAreInSyncAndAReturningBrokerRejoins() throws Exception {
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(
                            List.of(new NewTopic("strict", 1, (short) 3).configs(Map.of("min.insync.replicas", "3"))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            TopicDescription d = awaitFullIsr(admin, "strict");
            int leader = d.partitions().get(0).leader().id();
            int victim = leader == 3 ? 2 : 3;
            produce("strict", 10, "all");

            cluster.kill(victim);
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(describe(admin, "strict")
                                    .partitions()
                                    .get(0)
                                    .isr())
                            .extracting(Node::id)
                            .doesNotContain(victim));
            Properties p = producerProperties("all");
            p.put("delivery.timeout.ms", "5000");
            p.put("request.timeout.ms", "2000");
            p.put("enable.idempotence", "false");
            p.put("retries", "0");
            AtomicInteger appendedAnyway = new AtomicInteger();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                // The leader may apply the smaller ISR a moment after other brokers report it: an append accepted just
                // before fails with NOT_ENOUGH_REPLICAS_AFTER_APPEND (and stays in the log); a later one is refused.
                AtomicReference<Throwable> last = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            Throwable cause = catchThrowable(() -> producer.send(new ProducerRecord<>("strict", "x"))
                                            .get(30, TimeUnit.SECONDS))
                                    .getCause();
                            last.set(cause);
                            if (cause instanceof NotEnoughReplicasAfterAppendException) {
                                appendedAnyway.incrementAndGet();
                                return false;
                            }
                            return true;
                        });
                assertThat(last.get()).isInstanceOf(NotEnoughReplicasException.class);
            }
            // acks=1 is not bound by min.insync.replicas
            produce("strict", 5, "1");

            cluster.start(victim);
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertThat(describe(admin, "strict")
                                    .partitions()
                                    .get(0)
                                    .isr())
                            .extracting(Node::id)
                            .containsExactlyInAnyOrder(1, 2, 3));
            produce("strict", 10, "all");
            assertThat(consumeAll("strict", 1, 25 + appendedAnyway.get())).hasSize(25 + appendedAnyway.get());
        }
    }

    @Test
    @Order(4)
    void aConsumerGroupKeepsItsCommittedPositionsWhenItsCoordinatorIsKilled() throws Exception {
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("grouped", 3, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            awaitFullIsr(admin, "grouped");
            List<String> first = produce("grouped", 300, "all");
            assertThat(consumeInGroup("g", first.size())).containsExactlyInAnyOrderElementsOf(first);
            int coordinator = admin.describeConsumerGroups(List.of("g"))
                    .describedGroups()
                    .get("g")
                    .get(30, TimeUnit.SECONDS)
                    .coordinator()
                    .id();

            cluster.kill(coordinator);
            List<String> second = produce("grouped", 200, "all");

            assertThat(consumeInGroup("g", second.size()))
                    .as("the group resumes at its committed positions on the new coordinator")
                    .containsExactlyInAnyOrderElementsOf(second);
            cluster.start(coordinator);
        }
    }

    @Test
    @Order(5)
    void aPartitionMovesToOtherBrokersAndPreferredReplicasLeadAgainWhenElected() throws Exception {
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("moving", 1, (short) 2)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            TopicDescription before = awaitFullIsr(admin, "moving");
            List<Integer> replicas =
                    before.partitions().get(0).replicas().stream().map(Node::id).toList();
            int outsider = java.util.stream.IntStream.rangeClosed(1, 3)
                    .filter(b -> !replicas.contains(b))
                    .findFirst()
                    .orElseThrow();
            int leader = before.partitions().get(0).leader().id();
            int stays = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();
            List<String> sent = produce("moving", 500, "all");
            TopicPartition tp = new TopicPartition("moving", 0);

            // Move off the current leader: the outsider (preferred, first) and the other replica.
            admin.alterPartitionReassignments(
                            Map.of(tp, java.util.Optional.of(new NewPartitionReassignment(List.of(outsider, stays)))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS))
                        .isEmpty();
                TopicPartitionInfo p = describe(admin, "moving").partitions().get(0);
                assertThat(p.replicas()).extracting(Node::id).containsExactly(outsider, stays);
                assertThat(p.isr()).extracting(Node::id).containsExactlyInAnyOrder(outsider, stays);
            });
            assertThat(describe(admin, "moving").partitions().get(0).leader().id())
                    .isIn(outsider, stays);

            // "grouped" lost the leader of one partition with the coordinator in the previous test: once that broker
            // is back in sync, a preferred election gives every partition its first replica as leader again.
            awaitFullIsr(admin, "grouped");
            Set<TopicPartition> grouped = Set.of(
                    new TopicPartition("grouped", 0),
                    new TopicPartition("grouped", 1),
                    new TopicPartition("grouped", 2));
            admin.electLeaders(ElectionType.PREFERRED, grouped).partitions().get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (TopicPartitionInfo p : describe(admin, "grouped").partitions()) {
                    assertThat(p.leader().id()).isEqualTo(p.replicas().get(0).id());
                }
            });
            sent.addAll(produce("moving", 100, "all"));
            assertThat(consumeAll("moving", 1, sent.size())).containsExactlyElementsOf(sent);
        }
    }

    @Test
    @Order(6)
    void aFullClusterRestartKeepsTheMetadataAndTheRecords() throws Exception {
        List<String> sent = produce("replicated", 200, "all");
        int before;
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            before = admin.listTopics().names().get(30, TimeUnit.SECONDS).size();
        }
        for (int id = 1; id <= 3; id++) {
            cluster.kill(id);
        }

        // Hazelcast's CP state is gone with the last member: the image comes back from the brokers' local copies.
        cluster.startAll();

        try (Admin admin = Admin.create(cluster.clientProperties())) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).hasSize(before);
                TopicDescription d = describe(admin, "replicated");
                for (TopicPartitionInfo p : d.partitions()) {
                    assertThat(p.leader()).isNotNull();
                    assertThat(p.replicas()).hasSize(3);
                }
            });
        }
        assertThat(consumeAll("replicated", 3, 3000 + sent.size()))
                .containsAll(sent)
                .hasSize(3000 + sent.size());
    }

    @Test
    @Order(7)
    void aDynamicClusterDefaultChangedThroughOneBrokerIsInForceOnEvery() throws Exception {
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.BROKER, ""),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("log.retention.ms", "123456789"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get(60, TimeUnit.SECONDS);

            // A broker resource named by its id is described by that broker, from the configuration in force there.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (int id = 1; id <= 3; id++) {
                    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(id));
                    ConfigEntry retention = admin.describeConfigs(List.of(broker))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(broker)
                            .get("log.retention.ms");
                    assertThat(retention.value()).as("broker " + id).isEqualTo("123456789");
                    assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
                }
            });
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
    }

    private static TopicDescription awaitFullIsr(Admin admin, String topic) {
        TopicDescription[] out = new TopicDescription[1];
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            TopicDescription d = describe(admin, topic);
            for (TopicPartitionInfo p : d.partitions()) {
                assertThat(p.leader()).isNotNull();
                assertThat(p.isr()).hasSameSizeAs(p.replicas());
            }
            out[0] = d;
        });
        return out[0];
    }

    /** Subscribes in {@code group}, reads {@code expected} records (then a little longer for extras), commits. */
    private static List<String> consumeInGroup(String group, int expected) {
        Properties p = cluster.clientProperties();
        p.put("group.id", group);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("grouped"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            long extra = 0;
            while (System.nanoTime() < deadline && (got.size() < expected || extra++ < 4)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    got.add(r.value());
                }
                if (!got.isEmpty()) {
                    consumer.commitSync(Duration.ofSeconds(60));
                }
            }
        }
        return got;
    }

    private static Properties producerProperties(String acks) {
        Properties p = cluster.clientProperties();
        p.put("acks", acks);
        p.put("linger.ms", "5");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        return p;
    }

    private static List<String> produce(String topic, int count, String acks) throws Exception {
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(acks))) {
            List<java.util.concurrent.Future<?>> acked = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String v = topic + "-" + acks + "-" + System.nanoTime() + "-" + i;
                acked.add(producer.send(new ProducerRecord<>(topic, v)));
                sent.add(v);
            }
            for (var f : acked) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        return sent;
    }

    private static List<String> consumeAll(String topic, int partitions, int expected) {
        Properties p = cluster.clientProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("auto.offset.reset", "earliest");
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (got.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    got.add(r.value());
                }
            }
        }
        return got;
    }
}
