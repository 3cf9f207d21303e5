package io.herald.server.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin client's group calls against groups of both protocols and simple groups: listGroups, describeConsumerGroups,
 * deleteConsumerGroups, listConsumerGroupOffsets, alterConsumerGroupOffsets, deleteConsumerGroupOffsets and
 * removeMembersFromConsumerGroup, with their errors.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GroupAdminTest {

    private static final String TOPIC = "events";
    private static final String OTHER = "other";

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private Admin admin;
    private final List<ConsumerWorker> workers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(data, GroupTestSettings.broker());
        admin = Admin.create(broker.clientProperties());
        admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1), new NewTopic(OTHER, 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ConsumerWorker w : workers) {
            w.stop();
        }
        admin.close();
        broker.close();
    }

    private ConsumerWorker worker(String group, Map<String, String> extra) {
        Properties p = broker.clientProperties();
        p.put("group.id", group);
        p.put("client.id", group + "-client");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.putAll(extra);
        if (!"consumer".equals(extra.get("group.protocol"))) {
            p.put("heartbeat.interval.ms", "100");
        }
        ConsumerWorker w = new ConsumerWorker(group, p, TOPIC, new ConcurrentLinkedQueue<>());
        workers.add(w);
        await().atMost(Duration.ofSeconds(30)).until(() -> w.assignment().size() == 6);
        return w;
    }

    private ConsumerWorker classic(String group) {
        return worker(group, Map.of());
    }

    private ConsumerWorker modern(String group) {
        return worker(group, Map.of("group.protocol", "consumer"));
    }

    private void commitSimple(String group, Map<TopicPartition, OffsetAndMetadata> offsets) throws Exception {
        admin.alterConsumerGroupOffsets(group, offsets).all().get(30, TimeUnit.SECONDS);
    }

    private Map<String, GroupListing> list(ListGroupsOptions options) throws Exception {
        return admin.listGroups(options).all().get(30, TimeUnit.SECONDS).stream()
                .collect(Collectors.toMap(GroupListing::groupId, g -> g));
    }

    private static Throwable cause(Throwable t) {
        return t instanceof ExecutionException ? t.getCause() : t;
    }

    @Test
    void groupsOfBothProtocolsAreListedWithTheirStateAndTypeAndFiltered() throws Exception {
        classic("classic-g");
        modern("modern-g");
        commitSimple("simple-g", Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> list(ListGroupsOptions.forConsumerGroups())
                                .get("modern-g")
                                .groupState()
                                .orElseThrow()
                        == GroupState.STABLE);

        Map<String, GroupListing> all = list(ListGroupsOptions.forConsumerGroups());
        assertThat(all.get("classic-g").type()).contains(GroupType.CLASSIC);
        assertThat(all.get("classic-g").groupState()).contains(GroupState.STABLE);
        assertThat(all.get("classic-g").protocol()).isEqualTo("consumer");
        assertThat(all.get("modern-g").type()).contains(GroupType.CONSUMER);
        assertThat(all.get("simple-g").groupState()).contains(GroupState.EMPTY);
        assertThat(all.get("simple-g").protocol()).isEmpty();
        assertThat(all).doesNotContainKey(GroupConfig.OFFSETS_TOPIC);

        assertThat(list(ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.EMPTY)))
                        .keySet())
                .containsExactly("simple-g");
        assertThat(list(new ListGroupsOptions().withTypes(Set.of(GroupType.CONSUMER)))
                        .keySet())
                .containsExactly("modern-g");
    }

    @Test
    void consumerGroupsOfBothProtocolsAreDescribed() throws Exception {
        classic("classic-g");
        modern("modern-g");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> admin.describeConsumerGroups(List.of("modern-g"))
                                .all()
                                .get(30, TimeUnit.SECONDS)
                                .get("modern-g")
                                .groupState()
                        == GroupState.STABLE);

        Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(List.of("classic-g", "modern-g"))
                .all()
                .get(30, TimeUnit.SECONDS);

        ConsumerGroupDescription classic = described.get("classic-g");
        assertThat(classic.type()).isEqualTo(GroupType.CLASSIC);
        assertThat(classic.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(classic.partitionAssignor()).isEqualTo("range");
        assertThat(classic.coordinator().id())
                .isEqualTo(broker.server().config().nodeId());
        assertThat(classic.members()).singleElement().satisfies(m -> {
            assertThat(m.clientId()).isEqualTo("classic-g-client");
            assertThat(m.host()).isEqualTo("/127.0.0.1");
            assertThat(m.assignment().topicPartitions()).hasSize(6);
        });

        ConsumerGroupDescription modern = described.get("modern-g");
        assertThat(modern.type()).isEqualTo(GroupType.CONSUMER);
        assertThat(modern.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(modern.partitionAssignor()).isEqualTo("uniform");
        assertThat(modern.groupEpoch()).hasValueSatisfying(e -> assertThat(e).isPositive());
        assertThat(modern.targetAssignmentEpoch()).isEqualTo(modern.groupEpoch());
        MemberDescription member = modern.members().iterator().next();
        assertThat(member.assignment().topicPartitions()).hasSize(6);
        assertThat(member.targetAssignment())
                .hasValueSatisfying(t -> assertThat(t.topicPartitions()).hasSize(6));
        assertThat(member.memberEpoch()).isEqualTo(modern.groupEpoch());
        assertThat(member.upgraded()).contains(true);

        assertThatThrownBy(() ->
                        admin.describeConsumerGroups(List.of("nope")).all().get(30, TimeUnit.SECONDS))
                .extracting(GroupAdminTest::cause)
                .isInstanceOf(GroupIdNotFoundException.class);
    }

    @Test
    void onlyEmptyGroupsAreDeletedAndTheirOffsetsGoWithThem() throws Exception {
        classic("classic-g");
        modern("modern-g");
        commitSimple("simple-g", Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3)));

        for (String active : List.of("classic-g", "modern-g")) {
            assertThatThrownBy(() ->
                            admin.deleteConsumerGroups(List.of(active)).all().get(30, TimeUnit.SECONDS))
                    .as(active)
                    .extracting(GroupAdminTest::cause)
                    .isInstanceOf(GroupNotEmptyException.class);
        }
        assertThatThrownBy(
                        () -> admin.deleteConsumerGroups(List.of("nope")).all().get(30, TimeUnit.SECONDS))
                .extracting(GroupAdminTest::cause)
                .isInstanceOf(GroupIdNotFoundException.class);

        admin.deleteConsumerGroups(List.of("simple-g")).all().get(30, TimeUnit.SECONDS);
        assertThat(list(ListGroupsOptions.forConsumerGroups())).doesNotContainKey("simple-g");
        assertThat(admin.listConsumerGroupOffsets("simple-g")
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS))
                .isEmpty();

        ConsumerWorker modernMember = workers.get(1);
        workers.remove(modernMember);
        modernMember.stop(); // the consumer-protocol member leaves
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        admin.deleteConsumerGroups(List.of("modern-g")).all().get(30, TimeUnit.SECONDS));
        assertThat(list(ListGroupsOptions.forConsumerGroups())).doesNotContainKey("modern-g");
    }

    @Test
    void offsetsAreListedAlteredAndDeletedUnlessTheGroupIsConsumingThem() throws Exception {
        ConsumerWorker active = classic("classic-g");
        modern("modern-g");
        TopicPartition events0 = new TopicPartition(TOPIC, 0);
        TopicPartition other0 = new TopicPartition(OTHER, 0);

        assertThatThrownBy(() -> commitSimple("classic-g", Map.of(events0, new OffsetAndMetadata(5))))
                .as("only members commit to an active group")
                .extracting(GroupAdminTest::cause)
                .isInstanceOf(UnknownMemberIdException.class);
        for (String group : List.of("classic-g", "modern-g")) {
            assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets(group, Set.of(events0))
                            .all()
                            .get(30, TimeUnit.SECONDS))
                    .as(group)
                    .extracting(GroupAdminTest::cause)
                    .isInstanceOf(GroupSubscribedToTopicException.class);
        }

        commitSimple("simple-g", Map.of(events0, new OffsetAndMetadata(5, "five"), other0, new OffsetAndMetadata(9)));
        Map<TopicPartition, OffsetAndMetadata> simple = admin.listConsumerGroupOffsets("simple-g")
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        assertThat(simple).containsOnlyKeys(events0, other0);
        assertThat(simple.get(events0).offset()).isEqualTo(5);
        assertThat(simple.get(events0).metadata()).isEqualTo("five");

        admin.deleteConsumerGroupOffsets("simple-g", Set.of(other0)).all().get(30, TimeUnit.SECONDS);
        assertThat(admin.listConsumerGroupOffsets("simple-g")
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS))
                .containsOnlyKeys(events0);

        workers.remove(active);
        active.stop();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> commitSimple("classic-g", Map.of(events0, new OffsetAndMetadata(4))));
        assertThat(admin.listConsumerGroupOffsets("classic-g")
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS)
                        .get(events0)
                        .offset())
                .isEqualTo(4);
    }

    @Test
    void staticMembersAreRemovedByInstanceId() throws Exception {
        worker("static-g", Map.of("group.instance.id", "s1", "session.timeout.ms", "30000"));

        admin.removeMembersFromConsumerGroup(
                        "static-g", new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove("s1"))))
                .all()
                .get(30, TimeUnit.SECONDS);

        assertThatThrownBy(() -> admin.removeMembersFromConsumerGroup(
                                "static-g",
                                new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove("nope"))))
                        .all()
                        .get(30, TimeUnit.SECONDS))
                .extracting(GroupAdminTest::cause)
                .isInstanceOf(UnknownMemberIdException.class);
    }
}
