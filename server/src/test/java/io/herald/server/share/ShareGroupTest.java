package io.herald.server.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.server.EmbeddedHerald;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Share groups (KIP-932) driven by kafka-clients' own {@link KafkaShareConsumer} against a real broker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShareGroupTest {

    @TempDir
    Path dir;

    private EmbeddedHerald broker;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(dir, Map.of("share.coordinator.state.topic.num.partitions", "3"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        broker.close();
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    private Admin admin() {
        return track(Admin.create(broker.clientProperties()));
    }

    private void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get();
        }
    }

    private void setGroupConfigs(String group, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            List<AlterConfigOp> ops = new ArrayList<>();
            configs.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops))
                    .all()
                    .get();
        }
    }

    private void produce(String topic, int count) {
        Properties p = broker.clientProperties();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, i % 3 == 0 ? null : "k" + i, "m" + i));
            }
            producer.flush();
        }
    }

    private KafkaShareConsumer<String, String> shareConsumer(String group, String topic, boolean explicit) {
        Properties p = broker.clientProperties();
        p.put("group.id", group);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("share.acknowledgement.mode", explicit ? "explicit" : "implicit");
        p.put("max.poll.records", "50");
        KafkaShareConsumer<String, String> c = track(new KafkaShareConsumer<>(p));
        c.subscribe(List.of(topic));
        return c;
    }

    private static List<ConsumerRecord<String, String>> pollUntil(
            KafkaShareConsumer<String, String> c, int atLeast, Duration timeout) {
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < atLeast && System.nanoTime() < deadline) {
            ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(200));
            records.forEach(got::add);
        }
        return got;
    }

    @Test
    void competingConsumersOnOnePartitionEachGetDistinctRecordsAndTogetherAll() throws Exception {
        createTopic("orders", 1);
        setGroupConfigs("workers", Map.of("share.auto.offset.reset", "earliest"));
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        Map<Integer, Integer> perConsumer = new ConcurrentHashMap<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            KafkaShareConsumer<String, String> c = shareConsumer("workers", "orders", false);
            Thread t = new Thread(() -> {
                try {
                    while (running.get()) {
                        var records = c.poll(Duration.ofMillis(100));
                        for (ConsumerRecord<String, String> r : records) {
                            seen.merge(r.value(), 1, Integer::sum);
                            perConsumer.merge(id, 1, Integer::sum);
                        }
                        if (!records.isEmpty()) {
                            // Hold this batch (not polling acknowledges it) until another consumer got records too or
                            // all arrived: the records this one holds are not available, so the others must get theirs.
                            await().atMost(Duration.ofSeconds(30))
                                    .until(() -> perConsumer.size() > 1 || seen.size() == 200 || !running.get());
                        }
                    }
                    c.commitSync();
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        try {
            Admin admin = admin();
            await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> admin.describeShareGroups(List.of("workers"))
                                    .describedGroups()
                                    .get("workers")
                                    .get()
                                    .members()
                                    .size()
                            == 3);
            produce("orders", 200);
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 200);
        } finally {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        assertThat(errors).isEmpty();
        assertThat(seen.values()).allMatch(n -> n == 1);
        assertThat(perConsumer.keySet())
                .as("records went to more than one consumer")
                .hasSizeGreaterThan(1);
    }

    @Test
    void releasedRecordComesBackWithAHigherDeliveryCount() throws Exception {
        createTopic("q", 1);
        setGroupConfigs("g", Map.of("share.auto.offset.reset", "earliest"));
        produce("q", 1);
        KafkaShareConsumer<String, String> c = shareConsumer("g", "q", true);
        ConsumerRecord<String, String> first =
                pollUntil(c, 1, Duration.ofSeconds(30)).get(0);
        assertThat(first.deliveryCount()).contains((short) 1);
        c.acknowledge(first, AcknowledgeType.RELEASE);
        c.commitSync();
        ConsumerRecord<String, String> second =
                pollUntil(c, 1, Duration.ofSeconds(30)).get(0);
        assertThat(second.offset()).isEqualTo(first.offset());
        assertThat(second.deliveryCount()).contains((short) 2);
        c.acknowledge(second, AcknowledgeType.ACCEPT);
        c.commitSync();
        assertThat(pollUntil(c, 1, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void recordWhoseLockTimesOutGoesToAnotherConsumer() throws Exception {
        createTopic("q", 1);
        setGroupConfigs("g", Map.of("share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", "1500"));
        produce("q", 1);
        KafkaShareConsumer<String, String> holder = shareConsumer("g", "q", true);
        ConsumerRecord<String, String> held =
                pollUntil(holder, 1, Duration.ofSeconds(30)).get(0);
        KafkaShareConsumer<String, String> other = shareConsumer("g", "q", true);
        ConsumerRecord<String, String> again =
                pollUntil(other, 1, Duration.ofSeconds(30)).get(0);
        assertThat(again.offset()).isEqualTo(held.offset());
        // At least 2, not exactly: on a loaded machine the 1.5 s lock can expire once more between a fetch acquiring
        // the record and the application's poll returning it, and the next fetch acquires it again (seen in CI).
        assertThat(again.deliveryCount()).hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo((short) 2));
        other.acknowledge(again);
        other.commitSync();
    }

    @Test
    void recordReleasedUpToTheDeliveryLimitIsArchivedToTheDeadLetterTopic() throws Exception {
        createTopic("q", 1);
        setGroupConfigs(
                "g",
                Map.of(
                        "share.auto.offset.reset", "earliest",
                        "share.delivery.count.limit", "2",
                        "errors.deadletterqueue.topic.name", "DLQ.q",
                        "errors.deadletterqueue.copy.record.enable", "true"));
        produce("q", 1);
        KafkaShareConsumer<String, String> c = shareConsumer("g", "q", true);
        for (int i = 1; i <= 2; i++) {
            ConsumerRecord<String, String> r =
                    pollUntil(c, 1, Duration.ofSeconds(30)).get(0);
            assertThat(r.deliveryCount()).contains((short) i);
            c.acknowledge(r, AcknowledgeType.RELEASE);
            c.commitSync();
        }
        assertThat(pollUntil(c, 1, Duration.ofSeconds(2))).isEmpty();

        Properties p = broker.clientProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(p)) {
            dlq.assign(List.of(new TopicPartition("DLQ.q", 0)));
            dlq.seekToBeginning(List.of(new TopicPartition("DLQ.q", 0)));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(got::add);
                return !got.isEmpty();
            });
            assertThat(got.get(0).value()).isEqualTo("m0");
            Map<String, String> headers = new HashMap<>();
            for (Header h : got.get(0).headers()) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            assertThat(headers)
                    .containsEntry("JMS_Herald_DLQTopic", "q")
                    .containsEntry("JMS_Herald_DLQGroup", "g")
                    .containsEntry("JMS_Herald_DLQReason", "delivery count limit 2 reached");
        }
    }

    @Test
    void acknowledgedRecordsStayAcknowledgedAcrossABrokerRestart() throws Exception {
        createTopic("q", 2);
        setGroupConfigs("g", Map.of("share.auto.offset.reset", "earliest"));
        produce("q", 20);
        KafkaShareConsumer<String, String> c = shareConsumer("g", "q", true);
        List<ConsumerRecord<String, String>> got = pollUntil(c, 20, Duration.ofSeconds(30));
        assertThat(got).hasSize(20);
        Set<String> released = new java.util.HashSet<>();
        for (ConsumerRecord<String, String> r : got) {
            boolean accept = Integer.parseInt(r.value().substring(1)) % 2 == 0;
            c.acknowledge(r, accept ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
            if (!accept) {
                released.add(r.value());
            }
        }
        c.commitSync();
        c.close();
        clients.remove(c);

        broker.restart();

        KafkaShareConsumer<String, String> after = shareConsumer("g", "q", true);
        List<ConsumerRecord<String, String>> again = pollUntil(after, 10, Duration.ofSeconds(30));
        assertThat(again).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(released);
        assertThat(again).allMatch(r -> r.deliveryCount().orElse((short) 0) == 2);
        again.forEach(after::acknowledge);
        after.commitSync();
    }

    @Test
    void describeShowsTheMembersAndTheirAssignment() throws Exception {
        createTopic("q", 3);
        KafkaShareConsumer<String, String> c = shareConsumer("described", "q", false);
        Admin admin = admin();
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> {
            c.poll(Duration.ofMillis(100));
            ShareGroupDescription d = admin.describeShareGroups(List.of("described"))
                    .describedGroups()
                    .get("described")
                    .get();
            return d.groupState() == GroupState.STABLE
                    && d.members().size() == 1
                    && d.members()
                                    .iterator()
                                    .next()
                                    .assignment()
                                    .topicPartitions()
                                    .size()
                            == 3;
        });
    }

    @Test
    void shareGroupsAreListedAsSuchStableWithMembersAndEmptyWithStateOnly() throws Exception {
        createTopic("listed", 1);
        produce("listed", 1);
        Admin admin = admin();
        try (KafkaShareConsumer<String, String> c = shareConsumer("lister", "listed", false)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                c.poll(Duration.ofMillis(100));
                assertThat(admin.listGroups(ListGroupsOptions.forShareGroups())
                                .all()
                                .get(30, TimeUnit.SECONDS))
                        .containsExactly(new GroupListing(
                                "lister", Optional.of(GroupType.SHARE), "share", Optional.of(GroupState.STABLE)));
            });
            assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups())
                            .all()
                            .get(30, TimeUnit.SECONDS))
                    .extracting(GroupListing::groupId)
                    .doesNotContain("lister");
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(admin.listGroups().all().get(30, TimeUnit.SECONDS))
                        .contains(new GroupListing(
                                "lister", Optional.of(GroupType.SHARE), "share", Optional.of(GroupState.EMPTY))));
    }

    @Test
    void listShareGroupOffsetsGivesEachPartitionsStartOffsetAndLag() throws Exception {
        createTopic("offsets", 2);
        setGroupConfigs("offsetter", Map.of("share.auto.offset.reset", "earliest"));
        produce("offsets", 10);
        KafkaShareConsumer<String, String> c = shareConsumer("offsetter", "offsets", false);
        assertThat(pollUntil(c, 10, Duration.ofSeconds(30))).hasSize(10);
        c.commitSync(Duration.ofSeconds(30));
        produce("offsets", 4);
        Admin admin = admin();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<TopicPartition, SharePartitionOffsetInfo> info = admin.listShareGroupOffsets(
                            Map.of("offsetter", new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo("offsetter")
                    .get(30, TimeUnit.SECONDS);
            assertThat(info).containsOnlyKeys(new TopicPartition("offsets", 0), new TopicPartition("offsets", 1));
            long start = 0;
            long lag = 0;
            for (SharePartitionOffsetInfo i : info.values()) {
                start += i.startOffset();
                lag += i.lag().orElseThrow();
            }
            assertThat(start)
                    .as("the acknowledged records, over both partitions")
                    .isEqualTo(10);
            assertThat(lag).as("the records produced since").isEqualTo(4);
        });
        Map<TopicPartition, SharePartitionOffsetInfo> unknown = admin.listShareGroupOffsets(Map.of(
                        "nobody",
                        new ListShareGroupOffsetsSpec().topicPartitions(List.of(new TopicPartition("offsets", 0)))))
                .partitionsToOffsetInfo("nobody")
                .get(30, TimeUnit.SECONDS);
        assertThat(unknown.get(new TopicPartition("offsets", 0)))
                .as("a partition without state has no start offset (-1, which the client leaves out)")
                .isNull();
    }

    @Test
    void alterShareGroupOffsetsStartsAnEmptyGroupOverAndIsRefusedWhileItHasMembers() throws Exception {
        createTopic("replayed", 1);
        setGroupConfigs("replayer", Map.of("share.auto.offset.reset", "earliest"));
        produce("replayed", 6);
        TopicPartition tp = new TopicPartition("replayed", 0);
        Admin admin = admin();
        KafkaShareConsumer<String, String> first = shareConsumer("replayer", "replayed", false);
        assertThat(pollUntil(first, 6, Duration.ofSeconds(30))).hasSize(6);
        first.commitSync(Duration.ofSeconds(30));

        assertThatThrownBy(() -> admin.alterShareGroupOffsets("replayer", Map.of(tp, 2L))
                        .all()
                        .get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(GroupNotEmptyException.class);
        first.close();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(admin.listGroups(ListGroupsOptions.forShareGroups())
                                .all()
                                .get(30, TimeUnit.SECONDS))
                        .extracting(g -> g.groupState().orElseThrow())
                        .containsExactly(GroupState.EMPTY));

        admin.alterShareGroupOffsets("replayer", Map.of(tp, 2L)).all().get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> admin.alterShareGroupOffsets("replayer", Map.of(tp, 99L))
                        .all()
                        .get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidRequestException.class);

        KafkaShareConsumer<String, String> second = shareConsumer("replayer", "replayed", false);
        assertThat(pollUntil(second, 4, Duration.ofSeconds(30)))
                .extracting(ConsumerRecord::offset)
                .containsExactly(2L, 3L, 4L, 5L);
    }

    @Test
    void aLatestGroupSeesOnlyRecordsProducedAfterItStarted() throws Exception {
        createTopic("q", 1);
        produce("q", 5);
        KafkaShareConsumer<String, String> c = shareConsumer("late", "q", false);
        assertThat(pollUntil(c, 1, Duration.ofSeconds(3))).isEmpty();
        produce("q", 2);
        Collection<ConsumerRecord<String, String>> got = pollUntil(c, 2, Duration.ofSeconds(30));
        assertThat(got).extracting(ConsumerRecord::offset).containsExactly(5L, 6L);
    }

    @Test
    void deletingAnEmptyShareGroupForgetsItsState() throws Exception {
        createTopic("q", 1);
        setGroupConfigs("gone", Map.of("share.auto.offset.reset", "earliest"));
        produce("q", 3);
        KafkaShareConsumer<String, String> c = shareConsumer("gone", "q", false);
        assertThat(pollUntil(c, 3, Duration.ofSeconds(30))).hasSize(3);
        c.commitSync();
        c.close();
        clients.remove(c);
        Admin admin = admin();
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> {
            admin.deleteShareGroups(List.of("gone")).all().get();
            return true;
        });
        setGroupConfigs("gone", Map.of("share.auto.offset.reset", "earliest"));
        KafkaShareConsumer<String, String> again = shareConsumer("gone", "q", false);
        assertThat(pollUntil(again, 3, Duration.ofSeconds(30))).hasSize(3);
    }
}
