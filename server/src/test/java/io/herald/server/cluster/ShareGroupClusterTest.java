package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.RawKafkaClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Share groups across a 3-broker cluster of child JVMs: a follower answers ShareFetch with NOT_LEADER_OR_FOLLOWER;
 * with the real {@link KafkaShareConsumer}, consumers
 * bootstrapped to different brokers share a multi-partition topic (each fetches from every partition's leader) and
 * get every record once; then the leader of a partition is killed with SIGKILL mid-consumption and the new leader
 * continues from the replicated {@code __share_group_state}: nothing confirmed before is delivered again, nothing is
 * lost, and what comes back carries a higher delivery count. Group configs set through any broker are described and
 * altered alike by every other. The last test kills a broker, so they run in order.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShareGroupClusterTest {

    private static final int RECORDS = 2000;

    @RegisterExtension
    static final ShareClusterClients clients = ShareClusterClients.threeBrokers();

    @Test
    @Order(0)
    void onlyThePartitionLeaderServesShareFetch() throws Exception {
        setEarliest("led-group");
        prepareTopic("led", 1);
        produce("led", 1, "x", 1);
        TopicPartitionInfo p = ClusterReplicationTest.describe(clients.admin(), "led")
                .partitions()
                .get(0);
        Uuid topicId = ClusterReplicationTest.describe(clients.admin(), "led").topicId();
        int follower = p.replicas().stream()
                .mapToInt(n -> n.id())
                .filter(id -> id != p.leader().id())
                .findFirst()
                .orElseThrow();
        assertThat(shareFetchError(follower, topicId)).contains(Errors.NOT_LEADER_OR_FOLLOWER);
        // The leader reads the group's share state on first use; meanwhile it answers with nothing.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(shareFetchError(p.leader().id(), topicId)).contains(Errors.NONE));
    }

    /**
     * The partition error of a first ShareFetch of partition 0 of {@code topicId} sent to {@code broker}; empty if the
     * answer has nothing for the partition (no error and no records).
     */
    private static Optional<Errors> shareFetchError(int broker, Uuid topicId) throws Exception {
        return rawShareFetch(broker, "led-group", topicId, 0, 10).map(d -> Errors.forCode(d.errorCode()));
    }

    @Test
    @Order(0)
    void everyBrokerDescribesAndAltersTheGroupConfigsLastSetOnAnyOther() throws Exception {
        String group = "configured-everywhere";
        // each key set through another broker: each change starts from what the others set
        alterGroupConfig(1, group, "share.delivery.count.limit", "3");
        alterGroupConfig(2, group, "herald.jms.subscription.selector", "a = 1");
        alterGroupConfig(3, group, "share.record.lock.duration.ms", "12000");
        for (int id = 1; id <= clients.cluster().size(); id++) {
            assertThat(describeGroupConfigs(id, group))
                    .as("broker %d", id)
                    .containsEntry("share.delivery.count.limit", "3")
                    .containsEntry("herald.jms.subscription.selector", "a = 1")
                    .containsEntry("share.record.lock.duration.ms", "12000");
        }

        alterGroupConfig(3, group, "herald.jms.subscription.selector", "a = 2");
        for (int id = 1; id <= clients.cluster().size(); id++) {
            assertThat(describeGroupConfigs(id, group))
                    .as("broker %d", id)
                    .containsEntry("herald.jms.subscription.selector", "a = 2");
        }
    }

    /** IncrementalAlterConfigs SET of one key of {@code group}, sent to broker {@code id}. */
    private static void alterGroupConfig(int id, String group, String key, String value) throws Exception {
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData();
        IncrementalAlterConfigsRequestData.AlterConfigsResource resource =
                new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(ConfigResource.Type.GROUP.id())
                        .setResourceName(group);
        resource.configs()
                .add(new IncrementalAlterConfigsRequestData.AlterableConfig()
                        .setName(key)
                        .setValue(value)
                        .setConfigOperation(AlterConfigOp.OpType.SET.id()));
        request.resources().add(resource);
        try (RawKafkaClient client = RawKafkaClient.connect(clients.cluster().bootstrap(id), "alter-" + id)) {
            IncrementalAlterConfigsResponseData response = client.send(request, (short) 1);
            assertThat(response.responses().get(0).errorCode())
                    .as("%s", response)
                    .isZero();
        }
    }

    /** The group configs that broker {@code id} reports as set on {@code group} (DescribeConfigs). */
    private static Map<String, String> describeGroupConfigs(int id, String group) throws Exception {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData();
        request.resources()
                .add(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.GROUP.id())
                        .setResourceName(group)
                        .setConfigurationKeys(null));
        try (RawKafkaClient client = RawKafkaClient.connect(clients.cluster().bootstrap(id), "describe-" + id)) {
            DescribeConfigsResponseData response = client.send(request, (short) 4);
            DescribeConfigsResponseData.DescribeConfigsResult result =
                    response.results().get(0);
            assertThat(result.errorCode()).as("%s", result).isZero();
            Map<String, String> set = new java.util.TreeMap<>();
            result.configs().stream()
                    .filter(c -> c.configSource() == DescribeConfigsResponse.ConfigSource.GROUP_CONFIG.id())
                    .forEach(c -> set.put(c.name(), c.value()));
            return set;
        }
    }

    @Test
    @Order(1)
    void consumersOnDifferentBrokersGetEveryRecordExactlyOnce() throws Exception {
        prepare("spread", 6, "spread-group");
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int broker = 1; broker <= 3; broker++) {
            String bootstrap = clients.cluster().bootstrap(broker);
            Thread t = new Thread(
                    () -> {
                        KafkaShareConsumer<String, String> c = consumer(bootstrap, "spread", "spread-group", 200);
                        try {
                            while (!stop.get()) {
                                List<ConsumerRecord<String, String>> batch = new ArrayList<>();
                                c.poll(Duration.ofMillis(200)).forEach(batch::add);
                                batch.forEach(r -> {
                                    deliveries.merge(r.value(), 1, Integer::sum);
                                    c.acknowledge(r, AcknowledgeType.ACCEPT);
                                });
                                if (!batch.isEmpty()) {
                                    c.commitSync(Duration.ofSeconds(10))
                                            .forEach((tp, e) -> e.ifPresent(
                                                    ex -> problems.add("commit of " + tp + " failed: " + ex)));
                                }
                            }
                        } catch (RuntimeException e) {
                            problems.add(e.toString());
                        } finally {
                            c.close(Duration.ofSeconds(2)); // the group is not reused: no need to wait for leaving
                        }
                    },
                    "spread-consumer-" + broker);
            t.start();
            workers.add(t);
        }
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> deliveries.size() >= RECORDS || !problems.isEmpty());
            // a duplicate would arrive right behind the last record: nothing more may come for a while
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(10))
                    .until(() ->
                            problems.isEmpty() && deliveries.values().stream().allMatch(n -> n == 1));
        } finally {
            stop.set(true);
            for (Thread t : workers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(deliveries).hasSize(RECORDS);
        assertThat(deliveries.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList())
                .as("records delivered more than once")
                .isEmpty();
    }

    /**
     * Records archived after their last delivery reach the group's dead-letter topic although its one partition is led
     * by one broker and the records' partitions by all three: the leaders send them there (acks=all), not append
     * them to a local replica they may not lead.
     */
    @Test
    @Order(1)
    void deadLettersReachTheirTopicWhereverItsLeaderIs() throws Exception {
        String group = "dlq-group";
        setEarliest(group);
        clients.admin()
                .incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.GROUP, group),
                        List.of(
                                new AlterConfigOp(
                                        new ConfigEntry("share.delivery.count.limit", "2"), AlterConfigOp.OpType.SET),
                                new AlterConfigOp(
                                        new ConfigEntry("errors.deadletterqueue.topic.name", "DLQ.dlq-source"),
                                        AlterConfigOp.OpType.SET),
                                new AlterConfigOp(
                                        new ConfigEntry("errors.deadletterqueue.copy.record.enable", "true"),
                                        AlterConfigOp.OpType.SET))))
                .all()
                .get(30, TimeUnit.SECONDS);
        prepareTopic("dlq-source", 6);
        Set<Integer> sourceLeaders =
                ClusterReplicationTest.describe(clients.admin(), "dlq-source").partitions().stream()
                        .map(p -> p.leader().id())
                        .collect(java.util.stream.Collectors.toSet());
        assertThat(sourceLeaders)
                .as("the records' partitions are led by several brokers")
                .hasSizeGreaterThan(1);

        Set<String> deadLettered = new java.util.HashSet<>();
        Map<String, Integer> deliveries = new java.util.HashMap<>();
        try (KafkaShareConsumer<String, String> c = consumer(clients.cluster().bootstrap(), "dlq-source", group, 50)) {
            c.poll(Duration.ofSeconds(2)); // joined: what is produced now is the group's, whatever its start offset
            produce("dlq-source", 6, "dead-", 6);
            // every delivery is released: the second one is the last, and the record is dead-lettered
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                ConsumerRecords<String, String> got = c.poll(Duration.ofMillis(200));
                got.forEach(r -> {
                    deliveries.merge(r.value(), 1, Integer::sum);
                    c.acknowledge(r, AcknowledgeType.RELEASE);
                });
                if (!got.isEmpty()) {
                    c.commitSync(Duration.ofSeconds(10));
                }
                return deliveries.size() == 6 && deliveries.values().stream().allMatch(n -> n >= 2);
            });
        }
        assertThat(deliveries)
                .as("deliveries per record")
                .allSatisfy((v, n) -> assertThat(n).isEqualTo(2));
        for (ConsumerRecord<String, String> r : clients.deadLetters("DLQ.dlq-source", 6)) {
            assertThat(r.headers().lastHeader("JMS_Herald_DLQReason")).isNotNull();
            deadLettered.add(r.value());
        }
        assertThat(deadLettered).containsExactlyInAnyOrder("dead-0", "dead-1", "dead-2", "dead-3", "dead-4", "dead-5");
    }

    @Test
    @Order(2)
    void killingAPartitionLeaderUndoesNoConfirmedAcknowledgementAndLosesNothing() throws Exception {
        prepare("failover", 3, "failover-group");
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        Set<String> uncertain = ConcurrentHashMap.newKeySet(); // acknowledged, outcome unknown (the broker died)
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> undone = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> countNotRaised = new ConcurrentLinkedQueue<>();
        Set<String> held = ConcurrentHashMap.newKeySet(); // acquired by hand on the victim, never acknowledged
        Map<String, Integer> heldDeliveredAgain = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger redeliveries = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(
                    () -> {
                        KafkaShareConsumer<String, String> c =
                                consumer(clients.cluster().bootstrap(), "failover", "failover-group", 50);
                        try {
                            while (!stop.get()) {
                                List<ConsumerRecord<String, String>> batch = new ArrayList<>();
                                try {
                                    c.poll(Duration.ofMillis(200)).forEach(batch::add);
                                } catch (KafkaException e) {
                                    continue; // a broker is gone: the client finds the new leaders
                                }
                                for (ConsumerRecord<String, String> r : batch) {
                                    if (confirmed.contains(r.value())) {
                                        undone.add(r.value() + " (delivery count " + r.deliveryCount() + ")");
                                    }
                                    if (held.contains(r.value())) {
                                        heldDeliveredAgain.put(r.value(), (int)
                                                r.deliveryCount().orElse((short) 1));
                                    }
                                    if (!delivered.add(r.value())) {
                                        redeliveries.incrementAndGet();
                                        if (r.deliveryCount().orElse((short) 1) < 2) {
                                            countNotRaised.add(r.value());
                                        }
                                    }
                                    c.acknowledge(r, AcknowledgeType.ACCEPT);
                                }
                                if (batch.isEmpty()) {
                                    continue;
                                }
                                Map<TopicIdPartition, Optional<KafkaException>> result;
                                try {
                                    result = c.commitSync(Duration.ofSeconds(10));
                                } catch (KafkaException e) {
                                    result = Map.of();
                                }
                                for (ConsumerRecord<String, String> r : batch) {
                                    boolean ok = result.entrySet().stream()
                                            .anyMatch(e -> e.getKey().topic().equals(r.topic())
                                                    && e.getKey().partition() == r.partition()
                                                    && e.getValue().isEmpty());
                                    // A failed commit may still have been applied: the record may or may not come
                                    // back.
                                    (ok ? confirmed : uncertain).add(r.value());
                                }
                            }
                        } catch (RuntimeException e) {
                            errors.add(e);
                        } finally {
                            c.close(Duration.ofSeconds(2)); // the group is not reused: no need to wait for leaving
                        }
                    },
                    "failover-consumer-" + i);
            t.start();
            workers.add(t);
        }
        int confirmedAtKill;
        int victim;
        int victimPartition;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= RECORDS / 3 || !errors.isEmpty());
            assertThat(errors).isEmpty();
            // The group's coordinator is the victim, and it leads a partition: membership and a share partition fail
            // over together.
            int coordinator = clients.admin()
                    .describeShareGroups(List.of("failover-group"))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get("failover-group")
                    .coordinator()
                    .id();
            victimPartition = ClusterReplicationTest.describe(clients.admin(), "failover").partitions().stream()
                    .filter(p -> p.leader().id() == coordinator)
                    .findFirst()
                    .orElseThrow()
                    .partition();
            victim = coordinator;
            // Records the victim hands out and nobody acknowledges: only the replicated acquisition brings them back
            // with a delivery count of 2 before their 30 s lock would run out.
            Uuid topicId =
                    ClusterReplicationTest.describe(clients.admin(), "failover").topicId();
            List<String> acquired = rawShareFetch(victim, "failover-group", topicId, victimPartition, 20)
                    .map(ShareClusterClients::acquiredValues)
                    .orElse(List.of());
            assertThat(acquired).as("records acquired by hand on the victim").isNotEmpty();
            delivered.addAll(acquired);
            held.addAll(acquired);
            clients.cluster().kill(victim);
            confirmedAtKill = confirmed.size();
            // Every record acknowledged once, then a last record on each partition: a partition hands out its
            // available records in offset order, so once the last ones are through, nothing owed is left behind.
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> !errors.isEmpty()
                            || IntStream.range(0, RECORDS)
                                    .allMatch(v -> confirmed.contains("m" + v) || uncertain.contains("m" + v)));
            produce("failover", 3, "end-", 3);
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            !errors.isEmpty() || IntStream.range(0, 3).allMatch(v -> confirmed.contains("end-" + v)));
        } finally {
            stop.set(true);
            for (Thread t : workers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertThat(errors).isEmpty();
        assertThat(confirmedAtKill).as("killed mid-consumption").isLessThan(RECORDS);
        assertThat(undone)
                .as("records delivered again after a confirmed acknowledgement")
                .isEmpty();
        assertThat(countNotRaised)
                .as("redelivered records with delivery count 1")
                .isEmpty();
        assertThat(heldDeliveredAgain.keySet())
                .as("records acquired on the victim and never acknowledged come back from the new leader")
                .containsExactlyInAnyOrderElementsOf(held);
        assertThat(heldDeliveredAgain.values())
                .allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(2));
        TopicPartitionInfo moved = ClusterReplicationTest.describe(clients.admin(), "failover")
                .partitions()
                .get(victimPartition);
        assertThat(moved.leader().id())
                .as("the partition moved to another broker")
                .isNotEqualTo(victim);
        System.out.printf(
                "Share failover: broker %d killed with %d of %d confirmed; %d redeliveries, %d never confirmed%n",
                victim,
                confirmedAtKill,
                RECORDS,
                redeliveries.get(),
                IntStream.range(0, RECORDS)
                        .filter(v -> !confirmed.contains("m" + v))
                        .count());
    }

    private static void prepare(String topic, int partitions, String group) throws Exception {
        setEarliest(group);
        clients.prepareTopic(topic, partitions);
        clients.produce(topic, partitions, "m", RECORDS);
    }

    private static void setEarliest(String group) throws Exception {
        clients.setGroupConfigs(group, "share.auto.offset.reset", "earliest");
    }

    private static void prepareTopic(String topic, int partitions) throws Exception {
        clients.prepareTopic(topic, partitions);
    }

    private static void produce(String topic, int partitions, String prefix, int count) {
        clients.produce(topic, partitions, prefix, count);
    }

    private static KafkaShareConsumer<String, String> consumer(
            String bootstrap, String topic, String group, int maxPollRecords) {
        return ShareClusterClients.consumer(bootstrap, topic, group, maxPollRecords);
    }

    /** A first ShareFetch of a member nobody knows: what it acquires stays acquired until its lock runs out. */
    private static Optional<ShareFetchResponseData.PartitionData> rawShareFetch(
            int broker, String group, Uuid topicId, int partition, int maxRecords) throws Exception {
        return clients.rawShareFetch(broker, group, Uuid.randomUuid().toString(), topicId, partition, maxRecords);
    }
}
