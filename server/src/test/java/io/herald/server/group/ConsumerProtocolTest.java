package io.herald.server.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.EmbeddedHerald;
import io.herald.server.RawKafkaClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-848's consumer protocol request by request (raw ConsumerGroupHeartbeats): epochs and fencing, revocation before
 * assignment, offset commits checked against the member epoch, the boundary with classic groups, regular-expression
 * subscriptions with a real consumer, and ApiVersions advertising the protocol only when it is enabled.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerProtocolTest {

    private static final String TOPIC = "events";
    private static final short V1 = 1;

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private RawKafkaClient client;
    private Uuid topicId;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(data, GroupTestSettings.broker());
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
            topicId = admin.describeTopics(List.of(TOPIC))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(TOPIC)
                    .topicId();
        }
        client = RawKafkaClient.connect(broker.bootstrap(), "raw");
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        broker.close();
    }

    private static ConsumerGroupHeartbeatRequestData joinRequest(String group, String memberId) {
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(List.of(TOPIC))
                .setTopicPartitions(List.of());
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(String group, String memberId, int epoch, Set<Integer> owned)
            throws IOException {
        ConsumerGroupHeartbeatRequestData r = new ConsumerGroupHeartbeatRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setMemberEpoch(epoch);
        if (owned != null) {
            r.setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                    .setTopicId(topicId)
                    .setPartitions(new ArrayList<>(owned))));
        }
        return client.send(r, V1);
    }

    private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData r, short version)
            throws IOException {
        return client.send(r, version);
    }

    private static Set<Integer> assigned(ConsumerGroupHeartbeatResponseData r) {
        Set<Integer> partitions = new HashSet<>();
        if (r.assignment() != null) {
            r.assignment().topicPartitions().forEach(tp -> partitions.addAll(tp.partitions()));
        }
        return partitions;
    }

    @Test
    void aMemberRevokesPartitionsBeforeAnotherMemberIsGivenThem() throws IOException {
        String a = Uuid.randomUuid().toString();
        String b = Uuid.randomUuid().toString();
        ConsumerGroupHeartbeatResponseData aJoined = client.send(joinRequest("g", a), V1);
        assertThat(aJoined.memberEpoch()).isEqualTo(1);
        assertThat(assigned(aJoined)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(aJoined.heartbeatIntervalMs()).isEqualTo(200);

        ConsumerGroupHeartbeatResponseData bJoined = client.send(joinRequest("g", b), V1);
        assertThat(bJoined.memberEpoch()).as("b is at the new epoch").isEqualTo(2);
        assertThat(assigned(bJoined)).as("a still owns everything").isEmpty();

        ConsumerGroupHeartbeatResponseData aRevoking = heartbeat("g", a, 1, Set.of(0, 1, 2, 3, 4, 5));
        assertThat(aRevoking.memberEpoch())
                .as("a keeps its epoch until it revoked")
                .isEqualTo(1);
        Set<Integer> aKeeps = assigned(aRevoking);
        assertThat(aKeeps).hasSize(3);

        assertThat(assigned(heartbeat("g", b, 2, Set.of())))
                .as("not released yet")
                .isEmpty();

        ConsumerGroupHeartbeatResponseData aRevoked = heartbeat("g", a, 1, aKeeps);
        assertThat(aRevoked.memberEpoch()).isEqualTo(2);

        ConsumerGroupHeartbeatResponseData bAssigned = heartbeat("g", b, 2, Set.of());
        assertThat(assigned(bAssigned)).hasSize(3).doesNotContainAnyElementsOf(aKeeps);
    }

    @Test
    void epochsAreFencedAndRequestsValidatedAsKafkaDoes() throws IOException {
        String a = Uuid.randomUuid().toString();
        ConsumerGroupHeartbeatResponseData joined = client.send(joinRequest("g", a), V1);

        assertThat(Errors.forCode(
                        heartbeat("g", a, joined.memberEpoch() + 1, null).errorCode()))
                .isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(Errors.forCode(heartbeat("g", "stranger", 3, null).errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(heartbeat("missing", a, 3, null).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(Errors.forCode(send(joinRequest("g", "x").setRebalanceTimeoutMs(-1), V1)
                        .errorCode()))
                .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(Errors.forCode(send(joinRequest("g", ""), V1).errorCode()))
                .as("v1 members generate their id")
                .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(Errors.forCode(send(joinRequest("g", "y").setServerAssignor("sticky"), V1)
                        .errorCode()))
                .isEqualTo(Errors.UNSUPPORTED_ASSIGNOR);
        assertThat(Errors.forCode(
                        send(joinRequest("g", "z").setSubscribedTopicNames(null).setSubscribedTopicRegex("(("), V1)
                                .errorCode()))
                .isEqualTo(Errors.INVALID_REGULAR_EXPRESSION);
        ConsumerGroupHeartbeatResponseData v0 = client.send(joinRequest("g", ""), (short) 0);
        assertThat(Errors.forCode(v0.errorCode())).isEqualTo(Errors.NONE);
        assertThat(v0.memberId()).as("v0: the coordinator generates the id").isNotEmpty();

        ConsumerGroupHeartbeatResponseData left = heartbeat("g", a, -1, null);
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(Errors.forCode(heartbeat("g", a, joined.memberEpoch(), null).errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aStaticMemberMustLeaveWithMinusTwoBeforeItsInstanceIdCanRejoinAndThenKeepsItsAssignment() throws IOException {
        String first = Uuid.randomUuid().toString();
        ConsumerGroupHeartbeatResponseData joined = send(joinRequest("g", first).setInstanceId("i"), V1);
        assertThat(assigned(joined)).hasSize(6);

        String second = Uuid.randomUuid().toString();
        assertThat(Errors.forCode(
                        send(joinRequest("g", second).setInstanceId("i"), V1).errorCode()))
                .isEqualTo(Errors.UNRELEASED_INSTANCE_ID);

        ConsumerGroupHeartbeatResponseData left = send(
                new ConsumerGroupHeartbeatRequestData()
                        .setGroupId("g")
                        .setMemberId(first)
                        .setInstanceId("i")
                        .setMemberEpoch(-2),
                V1);
        assertThat(left.memberEpoch()).isEqualTo(-2);

        ConsumerGroupHeartbeatResponseData rejoined =
                send(joinRequest("g", second).setInstanceId("i"), V1);
        assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(rejoined.memberEpoch()).as("no new group epoch").isEqualTo(joined.memberEpoch());
        assertThat(assigned(rejoined)).hasSize(6);
        ConsumerGroupDescribeResponseData.DescribedGroup group = client.<ConsumerGroupDescribeResponseData>send(
                        new ConsumerGroupDescribeRequestData().setGroupIds(List.of("g")), V1)
                .groups()
                .get(0);
        assertThat(group.groupEpoch()).isEqualTo(joined.memberEpoch());
        assertThat(group.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(second);
            assertThat(m.targetAssignment()).isEqualTo(m.assignment());
            assertThat(m.assignment().topicPartitions().get(0).partitions()).hasSize(6);
        });
    }

    @Test
    void offsetCommitsOfConsumerGroupMembersAreCheckedAgainstTheirEpoch() throws IOException {
        String a = Uuid.randomUuid().toString();
        int epoch = send(joinRequest("g", a), V1).memberEpoch();

        assertThat(commit(a, epoch, (short) 10)).isEqualTo(Errors.NONE);
        assertThat(commit(a, epoch - 1, (short) 10)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(commit(a, epoch + 1, (short) 10)).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(commit("stranger", epoch, (short) 10)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit(a, epoch, (short) 8)).isEqualTo(Errors.UNSUPPORTED_VERSION);
    }

    private Errors commit(String memberId, int epoch, short version) throws IOException {
        OffsetCommitResponseData response = client.send(
                new OffsetCommitRequestData()
                        .setGroupId("g")
                        .setMemberId(memberId)
                        .setGenerationIdOrMemberEpoch(epoch)
                        .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                .setName(TOPIC)
                                .setTopicId(topicId)
                                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                        .setPartitionIndex(0)
                                        .setCommittedOffset(1))))),
                version);
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    @Test
    void classicAndConsumerGroupsDoNotMix() throws IOException {
        client.send(joinRequest("modern", Uuid.randomUuid().toString()), V1);
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                .setName("range")
                .setMetadata(new byte[0]));
        JoinGroupResponseData classicJoin = client.send(
                new JoinGroupRequestData()
                        .setGroupId("modern")
                        .setMemberId("")
                        .setProtocolType("consumer")
                        .setProtocols(protocols)
                        .setSessionTimeoutMs(10_000),
                (short) 9);
        assertThat(Errors.forCode(classicJoin.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

        DescribeGroupsResponseData described =
                client.send(new DescribeGroupsRequestData().setGroups(List.of("modern")), (short) 6);
        assertThat(Errors.forCode(described.groups().get(0).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);

        ConsumerGroupDescribeResponseData modern =
                client.send(new ConsumerGroupDescribeRequestData().setGroupIds(List.of("modern", "nope")), V1);
        assertThat(Errors.forCode(modern.groups().get(0).errorCode())).isEqualTo(Errors.NONE);
        assertThat(modern.groups().get(0).members()).singleElement().satisfies(m -> {
            assertThat(m.memberType()).isEqualTo((byte) 1);
            assertThat(m.assignment().topicPartitions().get(0).topicName()).isEqualTo(TOPIC);
        });
        assertThat(Errors.forCode(modern.groups().get(1).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void aRegularExpressionSubscriptionFollowsTopicsAsTheyAreCreated() throws Exception {
        Properties p = broker.clientProperties();
        p.put("group.id", "regex");
        p.put("group.protocol", "consumer");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        AtomicReference<Set<TopicPartition>> owned = new AtomicReference<>(Set.of());
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(new SubscriptionPattern("ev.*"));
                while (running.get()) {
                    consumer.poll(Duration.ofMillis(100));
                    owned.set(Set.copyOf(consumer.assignment()));
                }
            }
        });
        poller.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> owned.get().size() == 6);
            try (Admin admin = Admin.create(broker.clientProperties())) {
                admin.createTopics(List.of(new NewTopic("evolved", 2, (short) 1), new NewTopic("other", 2, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> owned.get().size() == 8);
            assertThat(owned.get()).extracting(TopicPartition::topic).containsOnly(TOPIC, "evolved");
        } finally {
            running.set(false);
            poller.join(30_000);
        }
    }

    @Test
    void apiVersionsAdvertiseTheConsumerProtocolOnlyWhenItIsEnabled() throws Exception {
        ApiVersionsResponseData enabled = client.send(new ApiVersionsRequestData(), (short) 3);
        assertThat(enabled.apiKeys().find(ApiKeys.CONSUMER_GROUP_HEARTBEAT.id)).isNotNull();
        assertThat(enabled.apiKeys().find(ApiKeys.CONSUMER_GROUP_DESCRIBE.id)).isNotNull();

        Map<String, String> classicOnly = GroupTestSettings.broker();
        classicOnly.put("group.coordinator.rebalance.protocols", "classic");
        try (EmbeddedHerald other = EmbeddedHerald.start(data.resolve("classic-only"), classicOnly);
                RawKafkaClient c = RawKafkaClient.connect(other.bootstrap(), "raw")) {
            ApiVersionsResponseData disabled = c.send(new ApiVersionsRequestData(), (short) 3);
            assertThat(disabled.apiKeys().find(ApiKeys.CONSUMER_GROUP_HEARTBEAT.id))
                    .isNull();
            assertThat(disabled.apiKeys().find(ApiKeys.JOIN_GROUP.id)).isNotNull();
        }
    }
}
