package io.herald.server.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.EmbeddedHerald;
import io.herald.server.RawKafkaClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership over time with real consumers: static members that restart within their session keep their partitions
 * without a rebalance, a second consumer with the same {@code group.instance.id} fences the first, and a member that
 * stops heartbeating is removed when its session times out, with both group protocols.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GroupMembershipTest {

    private static final String TOPIC = "events";

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private final List<ConsumerWorker> workers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Map<String, String> settings = GroupTestSettings.broker();
        settings.put("group.consumer.session.timeout.ms", "3000");
        settings.put("group.consumer.min.session.timeout.ms", "1000");
        broker = EmbeddedHerald.start(data, settings);
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ConsumerWorker w : workers) {
            w.stop();
        }
        broker.close();
    }

    private ConsumerWorker worker(String name, String group, Map<String, String> extra) {
        Properties p = broker.clientProperties();
        p.put("group.id", group);
        p.put("client.id", name);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("auto.offset.reset", "earliest");
        p.putAll(extra);
        if (!"consumer".equals(extra.get("group.protocol"))) {
            p.put("heartbeat.interval.ms", "100");
            p.putIfAbsent("session.timeout.ms", "10000");
        }
        ConsumerWorker w = new ConsumerWorker("consumer-" + name, p, TOPIC, new ConcurrentLinkedQueue<>());
        workers.add(w);
        return w;
    }

    private static void awaitOwning(ConsumerWorker w, int partitions) {
        await().atMost(Duration.ofSeconds(30)).until(() -> w.assignment().size() == partitions);
    }

    private ConsumerGroupDescription describe(String group) throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            return admin.describeConsumerGroups(List.of(group))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(group);
        }
    }

    @Test
    void aClassicStaticMemberThatRestartsWithinItsSessionGetsItsPartitionsBackWithoutARebalance() throws Exception {
        ConsumerWorker a = worker("a", "static", Map.of("group.instance.id", "a"));
        ConsumerWorker b = worker("b", "static", Map.of("group.instance.id", "b"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a.assignment().size() == 3 && b.assignment().size() == 3);
        Set<TopicPartition> aOwned = a.assignment();
        Set<TopicPartition> bOwned = b.assignment();
        int bAssignments = b.assignedCallbacks();

        workers.remove(a);
        assertThat(a.stop()).isNull(); // a static member does not leave on close
        ConsumerWorker restarted = worker("a-restarted", "static", Map.of("group.instance.id", "a"));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> restarted.assignment().equals(aOwned));
        assertThat(b.assignment()).isEqualTo(bOwned);
        assertThat(b.assignedCallbacks())
                .as("the other member saw no rebalance")
                .isEqualTo(bAssignments);
        assertThat(describe("static").members()).hasSize(2);
    }

    @Test
    void aSecondClassicConsumerWithTheSameInstanceIdFencesTheFirst() {
        ConsumerWorker first = worker("first", "fenced", Map.of("group.instance.id", "x"));
        awaitOwning(first, 6);

        ConsumerWorker second = worker("second", "fenced", Map.of("group.instance.id", "x"));

        awaitOwning(second, 6);
        await().atMost(Duration.ofSeconds(30)).until(() -> first.failure() != null);
        assertThat(first.failure()).isInstanceOf(FencedInstanceIdException.class);
        workers.remove(first);
    }

    @Test
    void aConsumerProtocolStaticMemberRejoinsWithoutBumpingTheGroupEpoch() throws Exception {
        Map<String, String> settings = Map.of("group.protocol", "consumer", "group.instance.id", "a");
        ConsumerWorker a = worker("a", "static848", settings);
        ConsumerWorker b = worker("b", "static848", Map.of("group.protocol", "consumer", "group.instance.id", "b"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a.assignment().size() == 3 && b.assignment().size() == 3);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> describe("static848").groupState() == org.apache.kafka.common.GroupState.STABLE);
        Set<TopicPartition> aOwned = a.assignment();
        int epoch = describe("static848").groupEpoch().orElseThrow();
        int bAssignments = b.assignedCallbacks();

        workers.remove(a);
        assertThat(a.stop()).isNull(); // leaves with epoch -2: its partitions wait for it
        ConsumerWorker restarted = worker("a-restarted", "static848", settings);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> restarted.assignment().equals(aOwned));
        ConsumerGroupDescription after = describe("static848");
        assertThat(after.groupEpoch()).contains(epoch);
        assertThat(after.members()).hasSize(2);
        assertThat(b.assignedCallbacks()).isEqualTo(bAssignments);
    }

    @Test
    void aClassicMemberThatStopsHeartbeatingIsRemovedWhenItsSessionTimesOut() throws Exception {
        ConsumerWorker live = worker("live", "sessions", Map.of());
        awaitOwning(live, 6);

        try (RawKafkaClient dead = RawKafkaClient.connect(broker.bootstrap(), "dead")) {
            byte[] subscription = Utils.toArray(
                    ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(List.of(TOPIC))));
            JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
            protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(subscription));
            JoinGroupRequestData join = new JoinGroupRequestData()
                    .setGroupId("sessions")
                    .setProtocolType("consumer")
                    .setProtocols(protocols)
                    .setSessionTimeoutMs(1000)
                    .setRebalanceTimeoutMs(20_000)
                    .setMemberId("");
            JoinGroupResponseData first = dead.send(join, (short) 9);
            JoinGroupResponseData joined = dead.send(join.setMemberId(first.memberId()), (short) 9);
            assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
            SyncGroupResponseData synced = dead.send(
                    new SyncGroupRequestData()
                            .setGroupId("sessions")
                            .setMemberId(joined.memberId())
                            .setGenerationId(joined.generationId()),
                    (short) 5);
            assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
            assertThat(ConsumerProtocol.deserializeAssignment(java.nio.ByteBuffer.wrap(synced.assignment()))
                            .partitions())
                    .hasSize(3);
            awaitOwning(live, 3);
            // From here on the raw member sends nothing: its session times out after 1 s.
        }
        awaitOwning(live, 6);
        assertThat(describe("sessions").members()).hasSize(1);
    }

    @Test
    void aConsumerProtocolMemberThatStopsHeartbeatingIsFencedAndItsPartitionsMove() throws Exception {
        try (RawKafkaClient dead = RawKafkaClient.connect(broker.bootstrap(), "dead")) {
            ConsumerGroupHeartbeatResponseData joined = dead.send(
                    new ConsumerGroupHeartbeatRequestData()
                            .setGroupId("sessions848")
                            .setMemberId(Uuid.randomUuid().toString())
                            .setMemberEpoch(0)
                            .setRebalanceTimeoutMs(60_000)
                            .setSubscribedTopicNames(List.of(TOPIC))
                            .setTopicPartitions(List.of()),
                    (short) 1);
            assertThat(joined.assignment().topicPartitions().get(0).partitions())
                    .hasSize(6);
        }
        ConsumerWorker live = worker("live", "sessions848", Map.of("group.protocol", "consumer"));
        // The dead member owns every partition until the coordinator fences it (session timeout, 3 s).
        awaitOwning(live, 6);
        assertThat(describe("sessions848").members()).hasSize(1);
    }
}
