package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.herald.server.ProcessCluster;
import io.herald.server.RawKafkaClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure test 3 of the cluster: a network partition cuts a partition leader off from the other brokers while clients
 * still reach it. Three brokers (child JVMs), each on its own loopback address {@code 127.0.0.n}, reach each other only
 * through {@link PartitionGate}s: one in front of each broker's Hazelcast member (advertised with {@code
 * cluster.advertised.address}) and one in front of its replication listener ({@code inter.broker.listener.name},
 * advertised in {@code advertised.listeners}); clients use a plain listener no gate stands in front of.
 *
 * <p>While cut off, the old leader acknowledges no {@code acks=all} write (its followers cannot fetch and it cannot
 * shrink its ISR without the Raft majority); the majority elects a new leader, the old one fences itself (stops
 * claiming the partition) and an idempotent {@code acks=all} producer that knows every broker carries on at the new
 * leader. After healing, the old leader truncates the tail it wrote alone, catches up and rejoins
 * the ISR; made leader again (preferred election), it serves every acknowledged record exactly once, in order, and
 * none of the refused ones.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NetworkPartitionTest {

    private static final int BROKERS = 3;
    private static final String TOPIC = "split";

    @TempDir
    Path dir;

    private final Map<Integer, PartitionGate> memberGates = new LinkedHashMap<>();
    private final Map<Integer, PartitionGate> replicationGates = new LinkedHashMap<>();

    @AfterEach
    void closeGates() {
        memberGates.values().forEach(PartitionGate::close);
        replicationGates.values().forEach(PartitionGate::close);
    }

    @Test
    void anIsolatedLeaderAcknowledgesNothingAndTruncatesItsTailWhenTheNetworkHeals() throws Exception {
        assumeTrue(
                loopbackAliasesBind(),
                "needs the loopback addresses 127.0.0.2 and 127.0.0.3 (Linux has all of 127.0.0.0/8)");
        Map<Integer, Integer> memberPorts = freePorts();
        Map<Integer, Integer> replicationPorts = freePorts();
        for (int id = 1; id <= BROKERS; id++) {
            memberGates.put(
                    id,
                    PartitionGate.open(
                            host(id),
                            new InetSocketAddress(host(id), memberPorts.get(id)),
                            PartitionGate.Origin.SOURCE_ADDRESS));
            replicationGates.put(
                    id,
                    PartitionGate.open(
                            host(id),
                            new InetSocketAddress(host(id), replicationPorts.get(id)),
                            PartitionGate.Origin.REPLICA_CLIENT_ID));
        }
        String members =
                memberGates.values().stream().map(PartitionGate::address).collect(Collectors.joining(","));
        Map<String, String> settings = new LinkedHashMap<>(ProcessCluster.fastFailover());
        settings.put("default.replication.factor", "3");
        settings.put("min.insync.replicas", "2");
        settings.put("auto.leader.rebalance.enable", "false"); // the test moves leadership back itself
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,REPLICATION:PLAINTEXT");
        settings.put("inter.broker.listener.name", "REPLICATION");
        settings.put("cluster.members", members);

        try (ProcessCluster cluster = ProcessCluster.start(
                        dir,
                        BROKERS,
                        settings,
                        (id, kafkaPort) -> Map.of(
                                "cluster.host", host(id),
                                "cluster.port", String.valueOf(memberPorts.get(id)),
                                "cluster.advertised.address",
                                        memberGates.get(id).address(),
                                "listeners",
                                        "PLAINTEXT://127.0.0.1:" + kafkaPort + ",REPLICATION://" + host(id) + ":"
                                                + replicationPorts.get(id),
                                "advertised.listeners",
                                        "PLAINTEXT://127.0.0.1:" + kafkaPort + ",REPLICATION://"
                                                + replicationGates.get(id).address()));
                Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) BROKERS)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            TopicPartitionInfo initial = awaitIsr(admin, BROKERS);
            int oldLeader = initial.leader().id();
            assertThat(initial.replicas().get(0).id())
                    .as("a new partition is led by its preferred replica")
                    .isEqualTo(oldLeader);
            List<Integer> majority = IntStream.rangeClosed(1, BROKERS)
                    .filter(id -> id != oldLeader)
                    .boxed()
                    .toList();

            List<String> acknowledged = new ArrayList<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(idempotentProducer(cluster))) {
                acknowledged.addAll(sendAll(producer, "before-", 200));

                isolate(oldLeader);

                // Clients still reach the old leader, which still believes it leads: it must acknowledge nothing.
                try (KafkaProducer<String, String> cutOff =
                        new KafkaProducer<>(producerTo(bootstrap(cluster, List.of(oldLeader))))) {
                    List<Future<RecordMetadata>> refused = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        refused.add(cutOff.send(new ProducerRecord<>(TOPIC, 0, null, "isolated-" + i)));
                    }
                    for (Future<RecordMetadata> f : refused) {
                        ExecutionException e =
                                assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
                        assertThat(e.getCause())
                                .isInstanceOfAny(
                                        TimeoutException.class,
                                        NotLeaderOrFollowerException.class,
                                        NotEnoughReplicasException.class,
                                        NotEnoughReplicasAfterAppendException.class);
                    }
                }

                // The majority elects a new leader and goes on; the old leader, cut off for longer than the failure
                // timeout with only itself in view, fences itself and stops claiming the partition.
                try (Admin majorityAdmin = Admin.create(adminTo(bootstrap(cluster, majority)))) {
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        TopicPartitionInfo p = partition(majorityAdmin);
                        assertThat(p.leader()).isNotNull();
                        assertThat(p.leader().id()).isIn(majority);
                    });
                }
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(leaderAccordingTo(cluster, oldLeader))
                                .isNotEqualTo(oldLeader));
                // So the producer that knows all three brokers (and wrote to the old leader before) moves to the new
                // leader by itself.
                acknowledged.addAll(sendAll(producer, "during-", 300));

                heal();
                acknowledged.addAll(sendAll(producer, "after-", 100));
            }

            // Until it has merged back into the cluster and applied the current image, the old leader answers from
            // its own stale view (in which it still leads, with a high watermark stuck where it was cut off): wait
            // until its own answers name the new leader before believing anything it says.
            try (Admin oldLeaderAdmin = Admin.create(adminTo(bootstrap(cluster, List.of(oldLeader))));
                    Admin majorityAdmin = Admin.create(adminTo(bootstrap(cluster, majority)))) {
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    Node leader = partition(oldLeaderAdmin).leader();
                    assertThat(leader == null ? -1 : leader.id()).isIn(majority);
                });

                // The old leader truncates its tail, catches up and rejoins the ISR; then it leads again.
                awaitIsr(majorityAdmin, BROKERS);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    try {
                        majorityAdmin
                                .electLeaders(ElectionType.PREFERRED, Set.of(new TopicPartition(TOPIC, 0)))
                                .all()
                                .get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        // not needed: an earlier attempt of this loop made it
                        assertThat(e.getCause()).isInstanceOf(ElectionNotNeededException.class);
                    }
                    assertThat(partition(majorityAdmin).leader().id()).isEqualTo(oldLeader);
                    assertThat(partition(oldLeaderAdmin).leader().id()).isEqualTo(oldLeader);
                });
            }

            assertThat(consumeAll(cluster, acknowledged.size())).containsExactlyElementsOf(acknowledged);
        }
    }

    /** The leader of the partition as broker {@code id} itself answers Metadata (an Admin client may ask another). */
    private static int leaderAccordingTo(ProcessCluster cluster, int id) throws IOException {
        try (RawKafkaClient raw = new RawKafkaClient("127.0.0.1", cluster.kafkaPort(id), "fence-check")) {
            MetadataResponseData r = raw.send(
                    new MetadataRequestData()
                            .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(TOPIC))),
                    (short) 12);
            return r.topics().find(TOPIC).partitions().get(0).leaderId();
        }
    }

    /** Broker {@code id}'s own loopback address: the member gates tell brokers apart by it. */
    private static String host(int id) {
        return "127.0.0." + id;
    }

    /** Cuts {@code victim} off from every other broker, both ways, on member and replication traffic. */
    private void isolate(int victim) {
        Set<Integer> others = new HashSet<>(memberGates.keySet());
        others.remove(victim);
        for (int id : memberGates.keySet()) {
            Set<Integer> cut = id == victim ? others : Set.of(victim);
            memberGates.get(id).cut(cut);
            replicationGates.get(id).cut(cut);
        }
    }

    private void heal() {
        memberGates.values().forEach(PartitionGate::heal);
        replicationGates.values().forEach(PartitionGate::heal);
    }

    private static List<String> sendAll(KafkaProducer<String, String> producer, String prefix, int count)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(prefix + i);
            sent.add(producer.send(new ProducerRecord<>(TOPIC, 0, null, prefix + i)));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(120, TimeUnit.SECONDS); // acknowledged, or the test fails
        }
        return values;
    }

    private static TopicPartitionInfo partition(Admin admin) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(TOPIC);
        return d.partitions().get(0);
    }

    private static TopicPartitionInfo awaitIsr(Admin admin, int size) {
        TopicPartitionInfo[] out = new TopicPartitionInfo[1];
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            TopicPartitionInfo p = partition(admin);
            assertThat(p.leader()).isNotNull();
            assertThat(p.isr()).hasSize(size);
            out[0] = p;
        });
        return out[0];
    }

    private static String bootstrap(ProcessCluster cluster, List<Integer> brokers) {
        return brokers.stream().map(id -> "127.0.0.1:" + cluster.kafkaPort(id)).collect(Collectors.joining(","));
    }

    private static Properties adminTo(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    private static Properties producerTo(String bootstrap) {
        Properties p = adminTo(bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", "false");
        p.put("retries", "0");
        p.put("request.timeout.ms", "3000");
        p.put("delivery.timeout.ms", "3000");
        p.put("linger.ms", "0");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        return p;
    }

    private static Properties idempotentProducer(ProcessCluster cluster) {
        Properties p = producerTo(cluster.bootstrap());
        p.put("enable.idempotence", "true");
        p.put("retries", String.valueOf(Integer.MAX_VALUE));
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("request.timeout.ms", "3000");
        p.put("delivery.timeout.ms", "120000");
        p.put("retry.backoff.ms", "100");
        p.put("metadata.max.age.ms", "1000");
        return p;
    }

    /**
     * The partition from its start, in order, until {@code expected} records were read and nothing more came for a
     * moment (so a record too many would show), or a minute passed.
     */
    private static List<String> consumeAll(ProcessCluster cluster, int expected) {
        Properties p = adminTo(cluster.bootstrap());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<String> read = new ArrayList<>();
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            int[] quietPolls = {0};
            await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
                int before = read.size();
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                }
                quietPolls[0] = read.size() == before ? quietPolls[0] + 1 : 0;
                return read.size() >= expected && quietPolls[0] >= 3;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // compared below, with what was read
        }
        return Collections.unmodifiableList(read);
    }

    private static boolean loopbackAliasesBind() {
        for (int id = 2; id <= BROKERS; id++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(host(id), 0));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static Map<Integer, Integer> freePorts() throws IOException {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int id = 1; id <= BROKERS; id++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports.put(id, s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
        return ports;
    }
}
