package io.herald.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.EmbeddedHerald;
import io.herald.server.RawKafkaClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic group protocol request by request, with kafka-clients' own message classes over a raw connection: the
 * error codes and version differences that real clients rely on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClassicGroupProtocolTest {

    private static final byte[] SUBSCRIPTION = "subscription".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private RawKafkaClient client;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(data, GroupTestSettings.broker());
        client = RawKafkaClient.connect(broker.bootstrap(), "raw");
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        broker.close();
    }

    private static JoinGroupRequestData join(String group, String memberId, String instanceId) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(SUBSCRIPTION));
        return new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setProtocolType("consumer")
                .setProtocols(protocols)
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(10_000);
    }

    /** Joins as a new dynamic member (v9: first asks for a member id) and syncs; returns the join response. */
    private JoinGroupResponseData joinAndSync(RawKafkaClient c, String group) throws IOException {
        JoinGroupResponseData first = c.send(join(group, "", null), (short) 9);
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        JoinGroupResponseData joined = c.send(join(group, first.memberId(), null), (short) 9);
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        SyncGroupResponseData synced = c.send(sync(group, joined, "assignment"), (short) 5);
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        return joined;
    }

    private static SyncGroupRequestData sync(String group, JoinGroupResponseData joined, String assignment) {
        SyncGroupRequestData request = new SyncGroupRequestData()
                .setGroupId(group)
                .setMemberId(joined.memberId())
                .setGenerationId(joined.generationId())
                .setProtocolType("consumer")
                .setProtocolName(joined.protocolName());
        if (joined.leader().equals(joined.memberId())) {
            joined.members()
                    .forEach(m -> request.assignments()
                            .add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                    .setMemberId(m.memberId())
                                    .setAssignment(
                                            (assignment + "-" + m.memberId()).getBytes(StandardCharsets.UTF_8))));
        }
        return request;
    }

    private HeartbeatResponseData heartbeat(String group, String memberId, int generation) throws IOException {
        return client.send(
                new HeartbeatRequestData()
                        .setGroupId(group)
                        .setMemberId(memberId)
                        .setGenerationId(generation),
                (short) 4);
    }

    @Test
    void aNewMemberGetsItsIdFirstThenJoinsAsLeaderAndReceivesItsAssignment() throws IOException {
        JoinGroupResponseData first = client.send(join("g", "", null), (short) 9);
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith("raw-");

        JoinGroupResponseData joined = client.send(join("g", first.memberId(), null), (short) 9);
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(first.memberId());
        assertThat(joined.protocolType()).isEqualTo("consumer");
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(first.memberId());
            assertThat(m.metadata()).isEqualTo(SUBSCRIPTION);
        });

        SyncGroupResponseData synced = client.send(sync("g", joined, "a"), (short) 5);
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        assertThat(new String(synced.assignment(), StandardCharsets.UTF_8)).isEqualTo("a-" + first.memberId());
        assertThat(synced.protocolName()).isEqualTo("range");
    }

    @Test
    void heartbeatsOfUnknownMembersWrongGenerationsAndUnknownGroupsAreRejected() throws IOException {
        JoinGroupResponseData joined = joinAndSync(client, "g");

        assertThat(Errors.forCode(
                        heartbeat("g", joined.memberId(), joined.generationId()).errorCode()))
                .isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(
                        heartbeat("g", "nobody", joined.generationId()).errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(heartbeat("g", joined.memberId(), joined.generationId() + 1)
                        .errorCode()))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(Errors.forCode(heartbeat("no-such-group", "m", 1).errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        SyncGroupResponseData wrongSync = client.send(
                new SyncGroupRequestData()
                        .setGroupId("g")
                        .setMemberId(joined.memberId())
                        .setGenerationId(joined.generationId() + 7),
                (short) 5);
        assertThat(Errors.forCode(wrongSync.errorCode())).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void offsetCommitsAreCheckedAgainstTheGenerationAndTheMember() throws IOException {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("t", 2, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        JoinGroupResponseData joined = joinAndSync(client, "g");

        assertThat(commit("g", joined.memberId(), joined.generationId(), (short) 9))
                .isEqualTo(Errors.NONE);
        assertThat(commit("g", joined.memberId(), joined.generationId() + 1, (short) 9))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commit("g", "nobody", joined.generationId(), (short) 9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit("g", "", -1, (short) 9))
                .as("a commit from outside the group while it has members")
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit("missing", "m", 3, (short) 9)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(commit("missing", "m", 3, (short) 8)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commit("simple", "", -1, (short) 8))
                .as("a commit from outside group management creates a simple group")
                .isEqualTo(Errors.NONE);

        OffsetFetchResponseData fetched = client.send(
                new OffsetFetchRequestData()
                        .setGroupId("g")
                        .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                                .setName("t")
                                .setPartitionIndexes(List.of(0, 1)))),
                (short) 1);
        assertThat(fetched.topics().get(0).partitions())
                .extracting(p -> p.committedOffset())
                .containsExactly(42L, -1L);
    }

    private Errors commit(String group, String memberId, int generation, short version) throws IOException {
        OffsetCommitResponseData response = client.send(
                new OffsetCommitRequestData()
                        .setGroupId(group)
                        .setMemberId(memberId)
                        .setGenerationIdOrMemberEpoch(generation)
                        .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                .setName("t")
                                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                        .setPartitionIndex(0)
                                        .setCommittedOffset(42)
                                        .setCommittedMetadata("meta"))))),
                version);
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    @Test
    void aJoiningMemberStartsARebalanceThatTheOthersLearnOfThroughTheirHeartbeats() throws Exception {
        JoinGroupResponseData a = joinAndSync(client, "g");
        try (RawKafkaClient other = RawKafkaClient.connect(broker.bootstrap(), "other")) {
            JoinGroupResponseData bFirst = other.send(join("g", "", null), (short) 9);
            CompletableFuture<JoinGroupResponseData> bJoined = CompletableFuture.supplyAsync(() -> {
                try {
                    return other.send(join("g", bFirst.memberId(), null), (short) 9);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> Errors.forCode(heartbeat("g", a.memberId(), a.generationId())
                                    .errorCode())
                            == Errors.REBALANCE_IN_PROGRESS);
            assertThat(bJoined).isNotDone();

            JoinGroupResponseData aAgain = client.send(join("g", a.memberId(), null), (short) 9);
            JoinGroupResponseData b = bJoined.get(10, TimeUnit.SECONDS);
            assertThat(aAgain.generationId()).isEqualTo(2).isEqualTo(b.generationId());
            assertThat(aAgain.leader()).isEqualTo(a.memberId()).isEqualTo(b.leader());
            assertThat(aAgain.members()).hasSize(2);
            assertThat(b.members()).as("only the leader gets the members").isEmpty();
            assertThat(Errors.forCode(heartbeat("g", a.memberId(), 2).errorCode()))
                    .isEqualTo(Errors.NONE);
        }
    }

    @Test
    void sessionTimeoutsOutsideTheBrokersBoundsAreRejected() throws IOException {
        JoinGroupResponseData tooShort = client.send(join("g", "", null).setSessionTimeoutMs(10), (short) 9);
        JoinGroupResponseData tooLong =
                client.send(join("g", "", null).setSessionTimeoutMs(Integer.MAX_VALUE), (short) 9);

        assertThat(Errors.forCode(tooShort.errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        assertThat(Errors.forCode(tooLong.errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    }

    @Test
    void aStaticMemberRejoiningUnderANewIdFencesItsOldSelfWithoutARebalance() throws IOException {
        JoinGroupResponseData first = client.send(join("g", "", "instance-1"), (short) 9);
        assertThat(Errors.forCode(first.errorCode()))
                .as("static members need no id first")
                .isEqualTo(Errors.NONE);
        client.send(sync("g", first, "a"), (short) 5);

        try (RawKafkaClient restarted = RawKafkaClient.connect(broker.bootstrap(), "restarted")) {
            JoinGroupResponseData second = restarted.send(join("g", "", "instance-1"), (short) 9);
            assertThat(Errors.forCode(second.errorCode())).isEqualTo(Errors.NONE);
            assertThat(second.memberId()).isNotEqualTo(first.memberId());
            assertThat(second.generationId()).as("no rebalance").isEqualTo(first.generationId());
            assertThat(second.skipAssignment())
                    .as("the leader keeps the assignment it made")
                    .isTrue();
            SyncGroupResponseData synced = restarted.send(
                    new SyncGroupRequestData()
                            .setGroupId("g")
                            .setMemberId(second.memberId())
                            .setGroupInstanceId("instance-1")
                            .setGenerationId(second.generationId()),
                    (short) 5);
            assertThat(new String(synced.assignment(), StandardCharsets.UTF_8))
                    .as("the old assignment")
                    .isEqualTo("a-" + first.memberId());
        }
        HeartbeatResponseData old = client.send(
                new HeartbeatRequestData()
                        .setGroupId("g")
                        .setMemberId(first.memberId())
                        .setGroupInstanceId("instance-1")
                        .setGenerationId(first.generationId()),
                (short) 4);
        assertThat(Errors.forCode(old.errorCode())).isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void onlyEmptyGroupsCanBeDeleted() throws IOException {
        JoinGroupResponseData joined = joinAndSync(client, "g");
        DeleteGroupsResponseData busy =
                client.send(new DeleteGroupsRequestData().setGroupsNames(List.of("g", "unknown")), (short) 2);
        assertThat(Errors.forCode(busy.results().find("g").errorCode())).isEqualTo(Errors.NON_EMPTY_GROUP);
        assertThat(Errors.forCode(busy.results().find("unknown").errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);

        LeaveGroupResponseData left =
                client.send(new LeaveGroupRequestData().setGroupId("g").setMemberId(joined.memberId()), (short) 0);
        assertThat(Errors.forCode(left.errorCode())).isEqualTo(Errors.NONE);

        DeleteGroupsResponseData deleted =
                client.send(new DeleteGroupsRequestData().setGroupsNames(List.of("g")), (short) 0);
        assertThat(Errors.forCode(deleted.results().find("g").errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(
                        heartbeat("g", joined.memberId(), joined.generationId()).errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void oldVersionsJoinWithoutAMemberIdRoundTrip() throws IOException {
        JoinGroupResponseData joined = client.send(join("old", "", null), (short) 0);
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.memberId()).isNotEmpty();
        SyncGroupResponseData synced = client.send(
                new SyncGroupRequestData()
                        .setGroupId("old")
                        .setMemberId(joined.memberId())
                        .setGenerationId(joined.generationId())
                        .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                .setMemberId(joined.memberId())
                                .setAssignment(new byte[] {1}))),
                (short) 0);
        assertThat(synced.assignment()).containsExactly(1);
        JoinGroupResponseData unknown = client.send(join("other", "bogus", null), (short) 3);
        assertThat(Errors.forCode(unknown.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(unknown.protocolName()).isEmpty();
    }

    @Test
    void theInternalTopicIsCreatedByTheCoordinatorNotByMetadataRequests() throws Exception {
        MetadataResponseData metadata = client.send(
                new MetadataRequestData()
                        .setAllowAutoTopicCreation(true)
                        .setTopics(List.of(
                                new MetadataRequestData.MetadataRequestTopic().setName(GroupConfig.OFFSETS_TOPIC))),
                (short) 12);
        assertThat(Errors.forCode(metadata.topics().iterator().next().errorCode()))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(broker.server().metadata().topic(GroupConfig.OFFSETS_TOPIC)).isEmpty();

        client.send(new FindCoordinatorRequestData().setKey("g"), (short) 3);

        var topic = broker.server().metadata().topic(GroupConfig.OFFSETS_TOPIC).orElseThrow();
        assertThat(topic.partitions()).isEqualTo(3);
        assertThat(topic.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topic.isInternal()).isTrue();
    }

    @Test
    void findCoordinatorAnswersForGroupsAndHonestlyForTransactions() throws IOException {
        FindCoordinatorResponseData single =
                client.send(new FindCoordinatorRequestData().setKey("g").setKeyType((byte) 0), (short) 3);
        assertThat(Errors.forCode(single.errorCode())).isEqualTo(Errors.NONE);
        assertThat(single.port()).isEqualTo(Integer.parseInt(broker.bootstrap().split(":")[1]));

        FindCoordinatorResponseData batch = client.send(
                new FindCoordinatorRequestData()
                        .setCoordinatorKeys(List.of("a", "b"))
                        .setKeyType((byte) 0),
                (short) 6);
        assertThat(batch.coordinators()).hasSize(2).allSatisfy(c -> {
            assertThat(Errors.forCode(c.errorCode())).isEqualTo(Errors.NONE);
            assertThat(c.nodeId()).isEqualTo(broker.server().config().nodeId());
        });

        FindCoordinatorResponseData txn = client.send(
                new FindCoordinatorRequestData()
                        .setCoordinatorKeys(List.of("tx"))
                        .setKeyType((byte) 1),
                (short) 6);
        assertThat(Errors.forCode(txn.coordinators().get(0).errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(txn.coordinators().get(0).errorMessage()).contains("transactions");
    }
}
