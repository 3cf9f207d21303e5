package io.herald.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator driven directly, on real logs, with time moved by the test: loading, timeouts (sessions, initial
 * rebalance delay, pending syncs, rebalance timeouts of KIP-848 members), offset expiration, and state rebuilt exactly
 * from {@code __consumer_offsets}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCoordinatorTest {

    private static final GroupCoordinator.Caller V9 = new GroupCoordinator.Caller("client", "/127.0.0.1", (short) 9);
    private static final GroupCoordinator.Caller V3 = new GroupCoordinator.Caller("client", "/127.0.0.1", (short) 3);
    private static final GroupCoordinator.Caller V5 = new GroupCoordinator.Caller("client", "/127.0.0.1", (short) 5);
    private static final GroupCoordinator.Caller V1 = new GroupCoordinator.Caller("client", "/127.0.0.1", (short) 1);
    private static final long HOUR = 3_600_000;

    @TempDir
    Path dir;

    private MockGroupTime time;
    private CoordinatorHarness harness;

    @BeforeEach
    void start() throws IOException {
        time = new MockGroupTime();
        GroupConfig defaults = GroupConfig.defaults(3);
        GroupConfig config = new GroupConfig(
                new GroupConfig.Offsets(3, 1024 * 1024, HOUR, 1000 * HOUR, 4096, 64 * 1024),
                new GroupConfig.Classic(1000, 60_000, 3000, 100, 300_000),
                defaults.consumer());
        harness = new CoordinatorHarness(dir, config, time);
        harness.createTopic("t", 6);
    }

    @AfterEach
    void stop() throws IOException {
        harness.close();
    }

    private GroupCoordinator coordinator() {
        return harness.coordinator;
    }

    private static JoinGroupRequestData join(String group, String memberId) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                .setName("range")
                .setMetadata(new byte[0]));
        return new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setProtocolType("consumer")
                .setProtocols(protocols)
                .setSessionTimeoutMs(5000)
                .setRebalanceTimeoutMs(10_000);
    }

    private static SyncGroupRequestData sync(String group, JoinGroupResponseData joined) {
        SyncGroupRequestData r = new SyncGroupRequestData()
                .setGroupId(group)
                .setMemberId(joined.memberId())
                .setGenerationId(joined.generationId());
        joined.members()
                .forEach(m -> r.assignments()
                        .add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                .setMemberId(m.memberId())
                                .setAssignment(m.memberId().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        return r;
    }

    private Errors heartbeat(String group, String memberId, int generation) {
        return Errors.forCode(coordinator()
                .heartbeat(
                        V9,
                        new HeartbeatRequestData()
                                .setGroupId(group)
                                .setMemberId(memberId)
                                .setGenerationId(generation))
                .errorCode());
    }

    private DescribedGroup describe(String group) {
        return coordinator().describeGroups((short) 6, List.of(group)).get(0);
    }

    private void commitSimple(String group, int partition, long offset) {
        coordinator()
                .offsets()
                .commit(
                        new GroupCoordinator.Caller("admin", "/127.0.0.1", (short) 9),
                        new OffsetCommitRequestData()
                                .setGroupId(group)
                                .setGenerationIdOrMemberEpoch(-1)
                                .setMemberId("")
                                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                        .setName("t")
                                        .setPartitions(
                                                List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                                        .setPartitionIndex(partition)
                                                        .setCommittedOffset(offset))))));
    }

    private OffsetFetchResponseGroup fetch(String group) {
        return coordinator()
                .offsets()
                .fetch(
                        (short) 9,
                        new OffsetFetchRequestGroup()
                                .setGroupId(group)
                                .setTopics(List.of(new OffsetFetchRequestTopics()
                                        .setName("t")
                                        .setPartitionIndexes(List.of(0)))),
                        false);
    }

    @Test
    void groupsOfAPartitionThatIsStillLoadingAnswerCoordinatorLoadInProgress() throws IOException {
        commitSimple("g", 0, 11);
        harness.reopen(false);

        assertThat(Errors.forCode(fetch("g").errorCode())).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(heartbeat("g", "m", 1)).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(Errors.forCode(coordinator().listGroups(List.of(), List.of()).errorCode()))
                .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);

        harness.loader.runAll();

        assertThat(fetch("g").topics().get(0).partitions().get(0).committedOffset())
                .isEqualTo(11);
        assertThat(coordinator().listGroups(List.of(), List.of()).groups())
                .extracting(g -> g.groupId())
                .containsExactly("g");
    }

    @Test
    void aClassicMemberThatMissesItsSessionIsRemovedAndTheEmptyGenerationIsPersisted() throws Exception {
        CompletableFuture<JoinGroupResponseData> joining = coordinator().joinGroup(V3, join("g", ""));
        time.advance(3000); // the initial rebalance delay
        JoinGroupResponseData joined = joining.get(1, TimeUnit.SECONDS);
        assertThat(joined.memberId()).isNotEmpty();
        SyncGroupResponseData synced =
                coordinator().syncGroup(V5, sync("g", joined)).get(1, TimeUnit.SECONDS);
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        time.advance(4000);
        assertThat(heartbeat("g", joined.memberId(), 1)).isEqualTo(Errors.NONE);

        time.advance(4999);
        assertThat(describe("g").groupState()).isEqualTo("Stable");
        time.advance(2);

        assertThat(describe("g").groupState()).isEqualTo("Empty");
        assertThat(describe("g").members()).isEmpty();
        harness.reopen(true);
        assertThat(describe("g").groupState()).isEqualTo("Empty");
        assertThat(heartbeat("g", joined.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void theFirstRebalanceWaitsTheInitialDelayAndExtendsItWhileMembersArrive() throws Exception {
        CompletableFuture<JoinGroupResponseData> first = coordinator().joinGroup(V3, join("g", ""));
        time.advance(2000);
        CompletableFuture<JoinGroupResponseData> second = coordinator().joinGroup(V3, join("g", ""));
        time.advance(1000);
        assertThat(first)
                .as("a member arrived during the delay: it is extended")
                .isNotDone();

        time.advance(3000);

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(first.get().generationId())
                .isEqualTo(1)
                .isEqualTo(second.get().generationId());
        assertThat(first.get().members()).hasSize(2);
    }

    @Test
    void aMemberThatDoesNotSyncWithinTheRebalanceTimeoutIsRemoved() throws Exception {
        CompletableFuture<JoinGroupResponseData> a =
                coordinator().joinGroup(V3, join("g", "").setSessionTimeoutMs(30_000));
        CompletableFuture<JoinGroupResponseData> b =
                coordinator().joinGroup(V3, join("g", "").setSessionTimeoutMs(30_000));
        time.advance(6000); // the initial delay, extended once for the second member
        JoinGroupResponseData leader = a.get().members().isEmpty() ? b.get() : a.get();
        JoinGroupResponseData follower = leader == a.get() ? b.get() : a.get();
        coordinator().syncGroup(V5, sync("g", leader)).get(1, TimeUnit.SECONDS);
        assertThat(describe("g").groupState()).isEqualTo("Stable");

        time.advance(9999);
        assertThat(describe("g").members()).hasSize(2);
        time.advance(2); // the follower never synced: the rebalance timeout (10 s) removes it

        assertThat(describe("g").members()).extracting(m -> m.memberId()).containsExactly(leader.memberId());
        assertThat(heartbeat("g", follower.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(heartbeat("g", leader.memberId(), 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void offsetsExpireAfterTheRetentionAndAnEmptyGroupWithoutOffsetsGoes() throws Exception {
        commitSimple("simple", 0, 5);
        time.advance(HOUR / 2);
        commitSimple("simple", 1, 6);
        time.advance(HOUR / 2 - 1);
        assertThat(coordinator().expireOffsets()).isZero();

        time.advance(2);
        assertThat(coordinator().expireOffsets()).as("the older offset").isEqualTo(1);
        time.advance(HOUR / 2);
        assertThat(coordinator().expireOffsets()).isEqualTo(1);

        assertThat(coordinator().listGroups(List.of(), List.of()).groups()).isEmpty();
        harness.reopen(true);
        assertThat(coordinator().listGroups(List.of(), List.of()).groups()).isEmpty();
        assertThat(fetch("simple").topics().get(0).partitions().get(0).committedOffset())
                .isEqualTo(-1);
    }

    @Test
    void aStableClassicGroupKeepsTheOffsetsOfTopicsItConsumesAndLosesTheOthers() throws Exception {
        harness.createTopic("u", 1);
        JoinGroupRequestData request = join("g", "");
        byte[] subscription = org.apache.kafka.common.utils.Utils.toArray(
                org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(
                        new org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription(List.of("t"))));
        request.protocols().iterator().next().setMetadata(subscription);
        CompletableFuture<JoinGroupResponseData> joined = coordinator().joinGroup(V3, request);
        time.advance(3000);
        String member = joined.get().memberId();
        coordinator().syncGroup(V5, sync("g", joined.get())).get(1, TimeUnit.SECONDS);
        OffsetCommitRequestData commit = new OffsetCommitRequestData()
                .setGroupId("g")
                .setMemberId(member)
                .setGenerationIdOrMemberEpoch(1);
        for (String topic : List.of("t", "u")) {
            commit.topics()
                    .add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                            .setName(topic)
                            .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                    .setPartitionIndex(0)
                                    .setCommittedOffset(3))));
        }
        coordinator().offsets().commit(V9, commit);
        for (long elapsed = 0; elapsed <= HOUR; elapsed += 4000) { // an hour of heartbeats
            time.advance(4000);
            assertThat(heartbeat("g", member, 1)).isEqualTo(Errors.NONE);
        }

        assertThat(coordinator().expireOffsets())
                .as("only the offset of the topic it does not consume")
                .isEqualTo(1);
        assertThat(fetch("g").topics().get(0).partitions().get(0).committedOffset())
                .isEqualTo(3);
    }

    private ConsumerGroupHeartbeatResponseData consumerHeartbeat(ConsumerGroupHeartbeatRequestData r) {
        return coordinator().consumerGroupHeartbeat(V1, r);
    }

    private static ConsumerGroupHeartbeatRequestData consumerJoin(String memberId) {
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId("cg")
                .setMemberId(memberId)
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(5000)
                .setSubscribedTopicNames(List.of("t"))
                .setTopicPartitions(List.of());
    }

    @Test
    void aConsumerGroupMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsFenced() {
        String a = Uuid.randomUuid().toString();
        String b = Uuid.randomUuid().toString();
        consumerHeartbeat(consumerJoin(a));
        consumerHeartbeat(consumerJoin(b));
        Uuid topic = harness.metadata.topic("t").orElseThrow().id();
        ConsumerGroupHeartbeatResponseData revoking = consumerHeartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("cg")
                .setMemberId(a)
                .setMemberEpoch(1)
                .setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                        .setTopicId(topic)
                        .setPartitions(List.of(0, 1, 2, 3, 4, 5)))));
        assertThat(revoking.assignment().topicPartitions().get(0).partitions()).hasSize(3);

        time.advance(5001);

        ConsumerGroupHeartbeatResponseData bAfter = consumerHeartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("cg")
                .setMemberId(b)
                .setMemberEpoch(2)
                .setTopicPartitions(List.of()));
        assertThat(bAfter.memberEpoch()).isEqualTo(3);
        assertThat(bAfter.assignment().topicPartitions().get(0).partitions()).hasSize(6);
        assertThat(Errors.forCode(consumerHeartbeat(new ConsumerGroupHeartbeatRequestData()
                                .setGroupId("cg")
                                .setMemberId(a)
                                .setMemberEpoch(1))
                        .errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    /** Closes the log of the coordinator partition of {@code group}: its next write fails. */
    private void breakLogOf(String group) throws IOException {
        harness.partitions
                .partition(new io.herald.log.TopicPartition(
                        GroupConfig.OFFSETS_TOPIC, coordinator().partitionFor(group)))
                .orElseThrow()
                .log()
                .close();
    }

    @Test
    void aWriteThatFailsIsAnsweredWithAnErrorAndChangesNothing() throws Exception {
        commitSimple("g", 0, 1);
        String a = Uuid.randomUuid().toString();
        consumerHeartbeat(consumerJoin(a).setGroupId("g"));
        ConsumerGroupDescribeResponseData.DescribedGroup before =
                coordinator().consumerGroupDescribe(List.of("g")).get(0);
        CompletableFuture<JoinGroupResponseData> joining = coordinator().joinGroup(V3, join("classic", ""));
        time.advance(3000);
        JoinGroupResponseData joined = joining.get(1, TimeUnit.SECONDS);
        breakLogOf("g");
        breakLogOf("classic");

        ConsumerGroupHeartbeatResponseData second =
                consumerHeartbeat(consumerJoin(Uuid.randomUuid().toString()).setGroupId("g"));
        SyncGroupResponseData synced =
                coordinator().syncGroup(V5, sync("classic", joined)).get(1, TimeUnit.SECONDS);

        assertThat(Errors.forCode(second.errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(coordinator().consumerGroupDescribe(List.of("g")).get(0)).isEqualTo(before);
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(describe("classic").groupState())
                .as("the generation must be redone")
                .isEqualTo("PreparingRebalance");
        var commit = coordinator()
                .offsets()
                .commit(
                        V9,
                        new OffsetCommitRequestData()
                                .setGroupId("g")
                                .setMemberId(a)
                                .setGenerationIdOrMemberEpoch(before.groupEpoch())
                                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                        .setName("t")
                                        .setPartitions(
                                                List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                                        .setPartitionIndex(0)
                                                        .setCommittedOffset(9))))));
        assertThat(Errors.forCode(commit.topics().get(0).partitions().get(0).errorCode()))
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(fetch("g").topics().get(0).partitions().get(0).committedOffset())
                .isEqualTo(1);
    }

    @Test
    void groupsOfBothProtocolsAreRebuiltExactlyFromTheLog() throws Exception {
        CompletableFuture<JoinGroupResponseData> x = coordinator().joinGroup(V3, join("classic", ""));
        CompletableFuture<JoinGroupResponseData> y = coordinator().joinGroup(V3, join("classic", ""));
        time.advance(6000);
        JoinGroupResponseData leader = x.get().members().isEmpty() ? y.get() : x.get();
        coordinator().syncGroup(V5, sync("classic", leader)).get(1, TimeUnit.SECONDS);
        String a = Uuid.randomUuid().toString();
        String b = Uuid.randomUuid().toString();
        consumerHeartbeat(consumerJoin(a));
        consumerHeartbeat(consumerJoin(b).setInstanceId("static-b").setRackId("rack-1"));
        DescribedGroup classicBefore = describe("classic");
        ConsumerGroupDescribeResponseData.DescribedGroup modernBefore =
                coordinator().consumerGroupDescribe(List.of("cg")).get(0);
        assertThat(modernBefore.groupState()).isEqualTo("Reconciling");

        harness.reopen(true);

        assertThat(describe("classic")).isEqualTo(classicBefore);
        assertThat(coordinator().consumerGroupDescribe(List.of("cg")).get(0)).isEqualTo(modernBefore);
        assertThat(heartbeat("classic", leader.memberId(), 1))
                .as("no rebalance after the restart")
                .isEqualTo(Errors.NONE);
        ConsumerGroupHeartbeatResponseData bAgain = consumerHeartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("cg")
                .setMemberId(b)
                .setInstanceId("static-b")
                .setMemberEpoch(2)
                .setTopicPartitions(List.of()));
        assertThat(Errors.forCode(bAgain.errorCode())).isEqualTo(Errors.NONE);
        assertThat(bAgain.memberEpoch()).isEqualTo(2);
    }

    /**
     * A client's request runs on a thread of the coordinator, not the request-handler thread that passes it: that
     * thread is free while the work waits (for replication, in a cluster), and the answer comes when the work's does.
     */
    @Test
    void requestsRunOnTheCoordinatorsThreadsNotTheCallers() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        CompletableFuture<Void> replicated = new CompletableFuture<>();
        CompletableFuture<String> answer = coordinator().run(() -> {
            ranOn.complete(Thread.currentThread());
            replicated.join(); // as a shard operation waits for its records to be replicated
            return CompletableFuture.completedFuture("done");
        });

        assertThat(ranOn.get(10, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
        assertThat(answer).as("the caller did not wait for the work").isNotDone();
        replicated.complete(null);
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("done");

        CompletableFuture<Object> refused = coordinator().run(() -> {
            throw new NotCoordinatorException("moved");
        });
        assertThat(refused)
                .failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(NotCoordinatorException.class);
    }
}
