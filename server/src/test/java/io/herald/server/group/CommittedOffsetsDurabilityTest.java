package io.herald.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.EmbeddedHerald;
import io.herald.server.HeraldProcess;
import io.herald.server.RawKafkaClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed offsets and group metadata live in {@code __consumer_offsets}: they survive a clean restart of the broker
 * and a {@code kill -9} of its process, for classic groups, consumer-protocol groups and simple (admin-committed)
 * groups alike, and consumers resume where they committed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommittedOffsetsDurabilityTest {

    private static final String TOPIC = "orders";

    @TempDir
    Path data;

    @Test
    void committedOffsetsAndGroupsSurviveACleanRestart() throws Exception {
        try (EmbeddedHerald broker = EmbeddedHerald.start(data, GroupTestSettings.broker())) {
            Map<String, Long> committed = populate(broker.bootstrap());
            broker.restart();
            verify(broker.bootstrap(), committed);
        }
    }

    @Test
    void committedOffsetsAndGroupsSurviveKillNine() throws Exception {
        Map<String, Long> committed;
        ConsumerGroupHeartbeatResponseData member;
        Process first = startBroker();
        try {
            String bootstrap = "127.0.0.1:" + HeraldProcess.port(first);
            committed = populate(bootstrap);
            member = joinConsumerGroup(bootstrap);
            first.destroyForcibly(); // SIGKILL
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        } finally {
            stopProcess(first);
        }
        Process second = startBroker();
        try {
            String bootstrap = "127.0.0.1:" + HeraldProcess.port(second);
            verify(bootstrap, committed);
            try (Admin admin = Admin.create(clientProperties(bootstrap))) {
                ConsumerGroupDescription live = admin.describeConsumerGroups(List.of("live"))
                        .describedGroups()
                        .get("live")
                        .get(30, TimeUnit.SECONDS);
                assertThat(live.type()).isEqualTo(GroupType.CONSUMER);
                assertThat(live.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(live.members()).singleElement().satisfies(m -> {
                    assertThat(m.consumerId()).isEqualTo(member.memberId());
                    assertThat(m.assignment().topicPartitions()).hasSize(3);
                    assertThat(m.memberEpoch()).contains(member.memberEpoch());
                });
            }
        } finally {
            stopProcess(second);
        }
    }

    /** Commits offsets in three groups of three kinds; returns each group's committed offset of partition 0. */
    private Map<String, Long> populate(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(clientProperties(bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            produce(bootstrap, "before", 30);
            consumeAndCommit(bootstrap, "classic", Map.of(), 30);
            consumeAndCommit(bootstrap, "modern", Map.of("group.protocol", "consumer"), 30);
            admin.alterConsumerGroupOffsets(
                            "simple", Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(7, "seven")))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        return Map.of("classic", 10L, "modern", 10L, "simple", 7L);
    }

    private void verify(String bootstrap, Map<String, Long> committed) throws Exception {
        try (Admin admin = Admin.create(clientProperties(bootstrap))) {
            for (Map.Entry<String, Long> e : committed.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(e.getKey())
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                assertThat(offsets.get(new TopicPartition(TOPIC, 0)).offset())
                        .as("offset of %s", e.getKey())
                        .isEqualTo(e.getValue());
            }
            assertThat(admin.listConsumerGroupOffsets("simple")
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS)
                            .get(new TopicPartition(TOPIC, 0))
                            .metadata())
                    .isEqualTo("seven");
            Map<String, GroupListing> groups =
                    admin.listGroups(new ListGroupsOptions()).all().get(30, TimeUnit.SECONDS).stream()
                            .collect(Collectors.toMap(GroupListing::groupId, g -> g));
            assertThat(groups.get("classic").type()).contains(GroupType.CLASSIC);
            assertThat(groups.get("modern").type()).contains(GroupType.CONSUMER);
            assertThat(groups).containsKey("simple");
        }
        produce(bootstrap, "after", 6);
        assertThat(consumeAndCommit(bootstrap, "classic", Map.of(), 6))
                .as("the classic group resumes at its committed offsets")
                .allMatch(v -> v.startsWith("after"));
        assertThat(consumeAndCommit(bootstrap, "modern", Map.of("group.protocol", "consumer"), 6))
                .as("the consumer-protocol group resumes at its committed offsets")
                .allMatch(v -> v.startsWith("after"));
    }

    /** A consumer-protocol member that joins and reconciles (a raw client, so it stays in the group when killed). */
    private static ConsumerGroupHeartbeatResponseData joinConsumerGroup(String bootstrap) throws IOException {
        try (RawKafkaClient raw = RawKafkaClient.connect(bootstrap, "live-member")) {
            String memberId = org.apache.kafka.common.Uuid.randomUuid().toString();
            ConsumerGroupHeartbeatResponseData joined = raw.send(
                    new ConsumerGroupHeartbeatRequestData()
                            .setGroupId("live")
                            .setMemberId(memberId)
                            .setMemberEpoch(0)
                            .setRebalanceTimeoutMs(30_000)
                            .setSubscribedTopicNames(List.of(TOPIC))
                            .setTopicPartitions(List.of()),
                    (short) 1);
            assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
            assertThat(joined.assignment().topicPartitions().get(0).partitions())
                    .hasSize(3);
            return joined;
        }
    }

    private static List<String> consumeAndCommit(
            String bootstrap, String group, Map<String, String> extra, int expected) {
        Properties p = clientProperties(bootstrap);
        p.put("group.id", group);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.putAll(extra);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                consumer.commitSync();
            }
        }
        assertThat(values).as("records consumed by %s", group).hasSize(expected);
        return values;
    }

    private static void produce(String bootstrap, String prefix, int count) throws Exception {
        Properties p = clientProperties(bootstrap);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 3, null, prefix + "-" + i));
            }
            producer.flush();
        }
    }

    private static Properties clientProperties(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    // ---- the broker process -------------------------------------------------------------------------------------

    private Process startBroker() throws IOException {
        Map<String, String> settings = new HashMap<>(GroupTestSettings.broker());
        settings.put("num.network.threads", "1");
        settings.put("num.io.threads", "2");
        return HeraldProcess.launch(data, settings);
    }

    private static void stopProcess(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
