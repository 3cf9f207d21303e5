package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.ProcessCluster;
import io.herald.server.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.ShareFetchRequest;
import org.apache.kafka.common.requests.ShareFetchResponse;
import org.apache.kafka.common.requests.ShareGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ShareGroupHeartbeatResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A 3-broker {@link ProcessCluster} for share-group (and JMS queue) tests, as a JUnit 5 extension that starts it
 * before a test class and stops it after ({@code @RegisterExtension static final ShareClusterClients clients =
 * ShareClusterClients.threeBrokers();}), and what the tests do to it: set group configs, create a fully replicated
 * topic, produce, open consumers, and speak ShareGroupHeartbeat and ShareFetch by hand to a chosen broker (a member
 * that acquires records and then falls silent, as a killed consumer does).
 *
 * <p>Thread-safety: started and stopped by JUnit; the rest is thread-safe as far as {@link Admin} is, each raw request
 * using a connection of its own.
 */
public final class ShareClusterClients implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private ProcessCluster cluster;
    private Admin admin;

    private ShareClusterClients() {}

    /** 3 brokers that fail over in seconds and keep share state in 6 partitions, started by {@link #beforeAll}. */
    public static ShareClusterClients threeBrokers() {
        return new ShareClusterClients();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("herald-share-cluster");
        Map<String, String> settings = new LinkedHashMap<>(ProcessCluster.fastFailover());
        settings.put("share.coordinator.state.topic.num.partitions", "6");
        cluster = ProcessCluster.start(dir, 3, settings);
        admin = Admin.create(cluster.clientProperties());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (cluster != null) {
            cluster.close();
        }
        Utils.delete(dir.toFile());
    }

    public ProcessCluster cluster() {
        return cluster;
    }

    public Admin admin() {
        return admin;
    }

    /** Sets {@code keyValues} (key, value, key, value, ...) on {@code group}. */
    void setGroupConfigs(String group, String... keyValues) throws Exception {
        List<AlterConfigOp> ops = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            ops.add(new AlterConfigOp(new ConfigEntry(keyValues[i], keyValues[i + 1]), AlterConfigOp.OpType.SET));
        }
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    /** Creates {@code topic} with 3 replicas and waits until every replica is in sync. */
    public void prepareTopic(String topic, int partitions) throws Exception {
        admin.createTopics(
                        List.of(new NewTopic(topic, partitions, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all()
                .get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            TopicDescription d = ClusterReplicationTest.describe(admin, topic);
            for (TopicPartitionInfo p : d.partitions()) {
                assertThat(p.leader()).isNotNull();
                assertThat(p.isr()).hasSize(3);
            }
        });
    }

    /** Sends values {@code prefix0..prefix(count-1)} round-robin over the partitions, acknowledged by all replicas. */
    void produce(String topic, int partitions, String prefix, int count) {
        Properties p = cluster.clientProperties();
        p.put("acks", "all");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, "k" + i, prefix + i));
            }
            producer.flush();
        }
    }

    /** A share consumer of {@code topic} in {@code group} bootstrapped to {@code bootstrap}, explicit acknowledgement. */
    static KafkaShareConsumer<String, String> consumer(
            String bootstrap, String topic, String group, int maxPollRecords) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("share.acknowledgement.mode", "explicit");
        p.put("max.poll.records", String.valueOf(maxPollRecords));
        KafkaShareConsumer<String, String> c = new KafkaShareConsumer<>(p);
        c.subscribe(List.of(topic));
        return c;
    }

    /** A plain consumer that reads what it is assigned, for checking a topic's content. */
    public KafkaConsumer<String, String> reader() {
        Properties p = cluster.clientProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("allow.auto.create.topics", "false");
        return new KafkaConsumer<>(p);
    }

    /** The records of dead-letter topic {@code topic} (its one partition) once it has {@code expected} of them. */
    List<ConsumerRecord<String, String>> deadLetters(String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> dlq = reader()) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic));
            dlq.assign(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
            dlq.seekToBeginning(dlq.assignment());
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        return records;
    }

    /** The broker that coordinates {@code group}, as FindCoordinator answers. */
    int coordinator(String group) throws Exception {
        FindCoordinatorRequestData data =
                new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of(group));
        FindCoordinatorResponseData.Coordinator c = ((FindCoordinatorResponse) exchange(
                        1, new FindCoordinatorRequest.Builder(data).build((short) 4), ApiKeys.FIND_COORDINATOR))
                .data()
                .coordinators()
                .get(0);
        assertThat(Errors.forCode(c.errorCode())).isEqualTo(Errors.NONE);
        return c.nodeId();
    }

    /** Joins {@code member} to {@code group} subscribed to {@code topic} on {@code broker}; returns its epoch. */
    int join(int broker, String group, String member, String topic) throws Exception {
        return heartbeat(
                broker,
                new ShareGroupHeartbeatRequestData()
                        .setGroupId(group)
                        .setMemberId(member)
                        .setMemberEpoch(0)
                        .setSubscribedTopicNames(List.of(topic)));
    }

    /** Takes {@code member} out of {@code group} on {@code broker}, as a consumer that closes does. */
    void leave(int broker, String group, String member) throws Exception {
        heartbeat(
                broker,
                new ShareGroupHeartbeatRequestData()
                        .setGroupId(group)
                        .setMemberId(member)
                        .setMemberEpoch(-1));
    }

    private int heartbeat(int broker, ShareGroupHeartbeatRequestData data) throws Exception {
        ShareGroupHeartbeatResponseData response = ((ShareGroupHeartbeatResponse) exchange(
                        broker,
                        new ShareGroupHeartbeatRequest.Builder(data).build((short) 1),
                        ApiKeys.SHARE_GROUP_HEARTBEAT))
                .data();
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        return response.memberEpoch();
    }

    /**
     * What a first ShareFetch of {@code member}, sent by hand to {@code broker}, gets for partition {@code partition}
     * of {@code topicId}: its records stay acquired until their lock runs out or the member is released, since it
     * never acknowledges. Empty if the answer has nothing for the partition.
     */
    Optional<ShareFetchResponseData.PartitionData> rawShareFetch(
            int broker, String group, String member, Uuid topicId, int partition, int maxRecords) throws Exception {
        ShareFetchRequestData data = new ShareFetchRequestData()
                .setGroupId(group)
                .setMemberId(member)
                .setShareSessionEpoch(0)
                .setMaxWaitMs(0)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setMaxRecords(maxRecords)
                .setBatchSize(maxRecords);
        ShareFetchRequestData.FetchTopic topic = new ShareFetchRequestData.FetchTopic().setTopicId(topicId);
        topic.partitions().add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(partition));
        data.topics().add(topic);
        ShareFetchResponseData response = ((ShareFetchResponse)
                        exchange(broker, new ShareFetchRequest.Builder(data).build((short) 1), ApiKeys.SHARE_FETCH))
                .data();
        assertThat(response.errorCode()).isZero();
        return response.responses().stream()
                .flatMap(t -> t.partitions().stream())
                .findFirst();
    }

    /** The acquisition lock {@code broker} puts records of {@code group} under now, as a ShareFetch answer says. */
    int lockInForce(int broker, String group) throws Exception {
        ShareFetchRequestData data = new ShareFetchRequestData()
                .setGroupId(group)
                .setMemberId(Uuid.randomUuid().toString())
                .setShareSessionEpoch(0)
                .setMaxRecords(0)
                .setBatchSize(1);
        ShareFetchResponseData response = ((ShareFetchResponse)
                        exchange(broker, new ShareFetchRequest.Builder(data).build((short) 1), ApiKeys.SHARE_FETCH))
                .data();
        assertThat(response.errorCode()).isZero();
        return response.acquisitionLockTimeoutMs();
    }

    /**
     * The values {@code member} acquires by hand from the leader of each of {@code partitions} of {@code topic}, at
     * most {@code perPartition} of each, waiting while a leader still reads the group's state.
     */
    List<String> acquireByHand(String group, String member, String topic, List<Integer> partitions, int perPartition)
            throws Exception {
        TopicDescription d = ClusterReplicationTest.describe(admin, topic);
        List<String> acquired = new ArrayList<>();
        for (int p : partitions) {
            int leader = d.partitions().get(p).leader().id();
            List<String> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                rawShareFetch(leader, group, member, d.topicId(), p, perPartition)
                        .map(ShareClusterClients::acquiredValues)
                        .ifPresent(got::addAll);
                return !got.isEmpty();
            });
            acquired.addAll(got);
        }
        return acquired;
    }

    private AbstractResponse exchange(int broker, AbstractRequest request, ApiKeys key) throws Exception {
        try (RawClient client = new RawClient("127.0.0.1", cluster.kafkaPort(broker))) {
            client.send(request, 7);
            return client.receive(key, request.version(), 7);
        }
    }

    /** The values of the records {@code fetched} acquired. */
    static List<String> acquiredValues(ShareFetchResponseData.PartitionData fetched) {
        List<String> values = new ArrayList<>();
        for (Record r : ((MemoryRecords) fetched.records()).records()) {
            boolean acquired = fetched.acquiredRecords().stream()
                    .anyMatch(a -> a.firstOffset() <= r.offset() && r.offset() <= a.lastOffset());
            if (acquired) {
                values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
            }
        }
        return values;
    }
}
