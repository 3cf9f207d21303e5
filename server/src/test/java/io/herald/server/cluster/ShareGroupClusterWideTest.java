package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.share.StatePartitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one broker learns about a share group reaches every leader of the group's partitions in a 3-broker cluster of
 * child JVMs at once: group configs changed after consumption began are in force on every leader (not only at its next
 * leadership), and the records a member acquired from leaders other than its coordinator come back as soon as the
 * coordinator removes the member (not when their lock runs out); and the real Admin lists, describes, moves and
 * deletes a share group as a whole, whichever broker it asks.
 *
 * <p>The lock duration is 5 minutes wherever only a prompt change can explain an outcome, longer than each test may
 * run: a test that passes saw the change, not a lock that ran out.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ShareGroupClusterWideTest {

    private static final String LONG_LOCK_MS = "300000";

    @RegisterExtension
    static final ShareClusterClients clients = ShareClusterClients.threeBrokers();

    @Test
    void configChangesAfterConsumptionBeganApplyOnEveryLeader() throws Exception {
        String group = "changed-group";
        String topic = "changed";
        clients.setGroupConfigs(
                group, "share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", LONG_LOCK_MS);
        clients.prepareTopic(topic, 3);
        assertThat(leaders(topic))
                .as("the partitions are led by several brokers")
                .hasSizeGreaterThan(1);
        clients.produce(topic, 3, "c", 9);
        // consumption begins on every leader, under the first configs: one record of each partition, held 5 minutes
        List<String> heldLong = clients.acquireByHand(group, "first", topic, List.of(0, 1, 2), 1);
        assertThat(heldLong).hasSize(3);

        clients.setGroupConfigs(
                group,
                "share.record.lock.duration.ms",
                "1000",
                "share.delivery.count.limit",
                "2",
                "errors.deadletterqueue.topic.name",
                "DLQ.changed",
                "errors.deadletterqueue.copy.record.enable",
                "true");
        for (int broker = 1; broker <= 3; broker++) {
            int b = broker;
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(clients.lockInForce(b, group))
                            .as("lock duration in force on broker %d", b)
                            .isEqualTo(1000));
        }
        List<String> heldShort = clients.acquireByHand(group, "second", topic, List.of(0, 1, 2), 2);
        assertThat(heldShort).hasSize(6);

        Map<String, Integer> deliveryCounts = new HashMap<>();
        try (KafkaShareConsumer<String, String> c =
                ShareClusterClients.consumer(clients.cluster().bootstrap(), topic, group, 50)) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                ConsumerRecords<String, String> got = c.poll(Duration.ofMillis(200));
                got.forEach(r -> {
                    deliveryCounts.put(r.value(), (int) r.deliveryCount().orElse((short) 0));
                    c.acknowledge(r, AcknowledgeType.RELEASE);
                });
                if (!got.isEmpty()) {
                    c.commitSync(Duration.ofSeconds(10));
                }
                assertThat(deliveryCounts).as("delivered again").containsKeys(heldShort.toArray(String[]::new));
            });
        }
        assertThat(deliveryCounts.keySet()).as("records held 5 minutes").doesNotContainAnyElementsOf(heldLong);
        assertThat(heldShort)
                .as("records back after the 1 s lock, for their second delivery")
                .allSatisfy(v -> assertThat(deliveryCounts.get(v)).isEqualTo(2));
        assertThat(clients.deadLetters("DLQ.changed", heldShort.size()).stream()
                        .map(ConsumerRecord::value)
                        .toList())
                .as("released at the new delivery count limit, into the new dead-letter topic")
                .containsExactlyInAnyOrderElementsOf(heldShort);
    }

    /**
     * A member that acquired records from the leaders of every partition and leaves, and one that falls silent (a
     * consumer killed with SIGKILL), are removed by the coordinator; a consumer of the group then gets all their
     * records although each was locked for 5 minutes.
     */
    @Test
    void recordsOfADepartedMemberComeBackFromEveryLeader() throws Exception {
        String group = "departed-group";
        String topic = "departed";
        clients.setGroupConfigs(
                group,
                "share.auto.offset.reset",
                "earliest",
                "share.record.lock.duration.ms",
                LONG_LOCK_MS,
                "share.session.timeout.ms",
                "6000");
        clients.prepareTopic(topic, 3);
        Set<Integer> leaders = leaders(topic);
        int coordinator = clients.coordinator(group);
        assertThat(leaders)
                .as("some partition is led by a broker that does not coordinate the group")
                .anyMatch(l -> l != coordinator);
        clients.produce(topic, 3, "d", 12);
        String leaving = Uuid.randomUuid().toString();
        String silent = Uuid.randomUuid().toString();
        clients.join(coordinator, group, leaving, topic);
        Set<String> held = new HashSet<>(clients.acquireByHand(group, leaving, topic, List.of(0, 1, 2), 2));
        // joined last, so that it still is a member when it acquires (every leader has read the state by now)
        clients.join(coordinator, group, silent, topic);
        held.addAll(clients.acquireByHand(group, silent, topic, List.of(0, 1, 2), 2));
        assertThat(held).hasSize(12);
        clients.leave(coordinator, group, leaving);
        // the silent member heartbeats no more: its session runs out at the coordinator

        Set<String> received = new HashSet<>();
        try (KafkaShareConsumer<String, String> c =
                ShareClusterClients.consumer(clients.cluster().bootstrap(), topic, group, 50)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                ConsumerRecords<String, String> got = c.poll(Duration.ofMillis(200));
                got.forEach(r -> {
                    received.add(r.value());
                    c.acknowledge(r, AcknowledgeType.ACCEPT);
                });
                if (!got.isEmpty()) {
                    c.commitSync(Duration.ofSeconds(10));
                }
                return received.containsAll(held);
            });
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(held);
    }

    /**
     * With the real Admin, a share group whose partitions are led by several brokers is listed, described, moved and
     * deleted as a whole, whichever broker answers: each partition's start offset comes from its leader.
     */
    @Test
    void adminRequestsCoverTheShareGroupOnEveryLeader() throws Exception {
        String group = "admin-group";
        String topic = "administered";
        clients.setGroupConfigs(group, "share.auto.offset.reset", "earliest");
        clients.prepareTopic(topic, 3);
        assertThat(leaders(topic))
                .as("the partitions are led by several brokers")
                .hasSizeGreaterThan(1);
        clients.produce(topic, 3, "a", 30);
        Set<String> accepted = new HashSet<>();
        try (KafkaShareConsumer<String, String> c =
                ShareClusterClients.consumer(clients.cluster().bootstrap(), topic, group, 50)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                ConsumerRecords<String, String> got = c.poll(Duration.ofMillis(200));
                got.forEach(r -> {
                    accepted.add(r.value());
                    c.acknowledge(r, AcknowledgeType.ACCEPT);
                });
                if (!got.isEmpty()) {
                    c.commitSync(Duration.ofSeconds(10));
                }
                return accepted.size() == 30;
            });
        }
        List<TopicPartition> tps =
                List.of(0, 1, 2).stream().map(p -> new TopicPartition(topic, p)).toList();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(clients.admin()
                                .listGroups(ListGroupsOptions.forShareGroups())
                                .all()
                                .get(30, TimeUnit.SECONDS))
                        .contains(new GroupListing(
                                group, Optional.of(GroupType.SHARE), "share", Optional.of(GroupState.EMPTY))));
        assertThat(startOffsets(group)).isEqualTo(Map.of(tps.get(0), 10L, tps.get(1), 10L, tps.get(2), 10L));

        clients.admin()
                .alterShareGroupOffsets(group, Map.of(tps.get(0), 2L, tps.get(1), 3L, tps.get(2), 4L))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThat(startOffsets(group)).isEqualTo(Map.of(tps.get(0), 2L, tps.get(1), 3L, tps.get(2), 4L));

        clients.admin().deleteShareGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
        assertThat(startOffsets(group)).as("no partition has state left").isEmpty();
        assertThat(clients.admin()
                        .listGroups(ListGroupsOptions.forShareGroups())
                        .all()
                        .get(30, TimeUnit.SECONDS))
                .extracting(GroupListing::groupId)
                .doesNotContain(group);
    }

    /** The start offset of each partition {@code group} has state for, as {@code Admin.listShareGroupOffsets} says. */
    /**
     * More changes of one group's configs at once than a broker has request-handler threads (2 in this cluster): all
     * go to the group's coordinator, and none may hold a handler thread while its write replicates, which needs the
     * followers' fetches those threads serve (that stalled the coordinator: it answered nothing until the writes timed
     * out after 30 s). The group is one whose configs fall on a state partition its coordinator leads, so that the
     * replication waited for is the coordinator's own. An acks=all send made meanwhile is answered, and each change
     * keeps the others' settings.
     */
    @Test
    void manyConfigChangesAtOnceStallNoBrokerAndKeepOneAnothersSettings() throws Exception {
        String topic = "busy";
        clients.prepareTopic(topic, 3);
        clients.setGroupConfigs("busy-warm-up", "share.delivery.count.limit", "3"); // creates the state topic
        String group = groupWrittenByItsCoordinator("busy-");
        Map<String, String> wanted = Map.of(
                "share.auto.offset.reset", "earliest",
                "share.delivery.count.limit", "7",
                "share.record.lock.duration.ms", "45000",
                "share.isolation.level", "read_committed",
                "errors.deadletterqueue.topic.name", "DLQ.busy",
                "errors.deadletterqueue.copy.record.enable", "true");
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        List<KafkaFuture<Void>> changes = new ArrayList<>();
        wanted.forEach((key, value) -> changes.add(clients.admin()
                .incrementalAlterConfigs(Map.of(
                        resource, List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
                .all()));

        Properties props = clients.cluster().clientProperties();
        props.put("acks", "all");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                sent.add(producer.send(new ProducerRecord<>(topic, p, "k", "during the changes")));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(25, TimeUnit.SECONDS); // the stall held an acks=all send to the coordinator for 30 s or more
            }
        } finally {
            producer.close(Duration.ofSeconds(5)); // a stalled send is not waited for again
        }
        for (KafkaFuture<Void> change : changes) {
            change.get(25, TimeUnit.SECONDS);
        }
        Map<String, String> described = clients
                .admin()
                .describeConfigs(List.of(resource))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(resource)
                .entries()
                .stream()
                .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
        assertThat(described).as("every change kept the others' settings").isEqualTo(wanted);
    }

    /** A group named {@code prefix<n>} whose configs fall on a partition of the state topic its coordinator leads. */
    private static String groupWrittenByItsCoordinator(String prefix) throws Exception {
        List<TopicPartitionInfo> state = ClusterReplicationTest.describe(clients.admin(), "__share_group_state")
                .partitions();
        for (int n = 0; n < 100; n++) {
            String group = prefix + n;
            int statePartition = StatePartitions.ofGroupConfigs(group, state.size());
            if (state.get(statePartition).leader().id() == clients.coordinator(group)) {
                return group;
            }
        }
        throw new AssertionError("No group of 100 has its configs on a state partition its coordinator leads");
    }

    private static Map<TopicPartition, Long> startOffsets(String group) throws Exception {
        return clients
                .admin()
                .listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo(group)
                .get(30, TimeUnit.SECONDS)
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().startOffset()));
    }

    private static Set<Integer> leaders(String topic) throws Exception {
        return ClusterReplicationTest.describe(clients.admin(), topic).partitions().stream()
                .map(p -> p.leader().id())
                .collect(Collectors.toSet());
    }
}
