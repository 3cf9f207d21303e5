package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure test 1 of the cluster: 3 brokers, a topic with RF=3 and {@code min.insync.replicas=2}, an idempotent {@code
 * acks=all} producer sending numbered records while a broker is killed with SIGKILL and later restarted. A consumer
 * then reads everything: every acknowledged record is there exactly once and each partition holds its numbers in
 * order. Once with a partition leader as the victim, once with the controller; each time the victim catches up and
 * rejoins the ISR of every partition. Failure test 4 does the same with 5 brokers, two of them killed at once.
 *
 * <p>The two 3-broker cases share one cluster (each with a topic of its own): the second then starts from a cluster
 * that has already been through a failover, which costs it nothing in coverage and saves a cluster start-up.
 *
 * <p>The issue asks for 200 000 records; CI sends {@value #CI_RECORDS} per run to keep the build bounded (the
 * properties checked are the same). {@code -Dherald.failover.records=200000} in the test JVM (surefire.argLine) runs the full count.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class ClusterFailoverTest {

    private static final int CI_RECORDS = 20_000;
    private static final int RECORDS = Integer.getInteger("herald.failover.records", CI_RECORDS);
    private static final int PARTITIONS = 3;

    /** The 3-broker cluster of the first two cases, started by whichever runs first. */
    private static ProcessCluster threeBrokers;

    @TempDir
    static Path sharedDir;

    @TempDir
    Path dir;

    @AfterAll
    static void stopThreeBrokers() {
        if (threeBrokers != null) {
            threeBrokers.close();
        }
    }

    private static ProcessCluster threeBrokers() throws Exception {
        if (threeBrokers == null) {
            threeBrokers = ProcessCluster.start(sharedDir, 3, ProcessCluster.fastFailover());
        }
        return threeBrokers;
    }

    @Test
    void killingAPartitionLeaderLosesNoAcknowledgedRecord() throws Exception {
        run(threeBrokers(), "leader-killed", 2, (admin, topic) -> {
            TopicDescription d = ClusterReplicationTest.describe(admin, topic);
            return List.of(d.partitions().get(0).leader().id());
        });
    }

    @Test
    void killingTheControllerLosesNoAcknowledgedRecord() throws Exception {
        run(
                threeBrokers(),
                "controller-killed",
                2,
                (admin, topic) -> List.of(admin.describeCluster()
                        .controller()
                        .get(30, TimeUnit.SECONDS)
                        .id()));
    }

    /**
     * Failure test 4: 5 brokers, RF=5, {@code min.insync.replicas=3}; two brokers (the leader of partition 0 and
     * another) killed at once under load: producer and consumer carry on and nothing acknowledged is lost.
     */
    @Test
    void fiveBrokersKeepServingWithTwoKilledAtOnce() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(dir, 5, ProcessCluster.fastFailover())) {
            run(cluster, "two-killed", 3, (admin, topic) -> {
                int leader = ClusterReplicationTest.describe(admin, topic)
                        .partitions()
                        .get(0)
                        .leader()
                        .id();
                return List.of(leader, leader % 5 + 1);
            });
        }
    }

    /** Chooses the victims from the running cluster. */
    private interface Victims {
        List<Integer> choose(Admin admin, String topic) throws Exception;
    }

    private void run(ProcessCluster cluster, String topic, int minInsync, Victims chooser) throws Exception {
        int brokers = cluster.size();
        // A shared cluster whose previous case failed half-way may lack a broker.
        cluster.startAll();
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) brokers)
                            .configs(Map.of("min.insync.replicas", String.valueOf(minInsync)))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            awaitFullIsr(admin, topic, brokers);
            List<Integer> victims = chooser.choose(admin, topic);

            Map<Integer, Boolean> acked = new ConcurrentHashMap<>();
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<Exception> chaosError = new AtomicReference<>();
            Thread chaos = new Thread(() -> {
                try {
                    await().atMost(Duration.ofSeconds(120)).until(() -> acked.size() >= RECORDS / 3);
                    for (int victim : victims) {
                        cluster.kill(victim);
                    }
                    long killedAt = System.nanoTime();
                    await().atMost(Duration.ofSeconds(120))
                            .until(() -> acked.size() >= 2 * RECORDS / 3
                                    || System.nanoTime() - killedAt > TimeUnit.SECONDS.toNanos(15));
                    // Together, as they died: each restart waits for Raft to replace its crashed self.
                    cluster.startAll();
                } catch (Exception e) {
                    chaosError.set(e);
                }
            });
            chaos.start();
            produce(cluster, topic, acked, failed);
            chaos.join(TimeUnit.SECONDS.toMillis(200));
            assertThat(chaosError.get()).isNull();
            victims.forEach(v -> assertThat(cluster.isRunning(v)).isTrue());

            Map<Integer, List<Integer>> read = consumeAll(cluster, topic);
            BitSet seen = new BitSet(RECORDS);
            for (Map.Entry<Integer, List<Integer>> e : read.entrySet()) {
                List<Integer> values = e.getValue();
                for (int i = 0; i < values.size(); i++) {
                    int v = values.get(i);
                    assertThat(v % PARTITIONS)
                            .as("record %s in partition %s", v, e.getKey())
                            .isEqualTo(e.getKey());
                    assertThat(seen.get(v)).as("record %s read twice", v).isFalse();
                    seen.set(v);
                    if (i > 0) {
                        assertThat(v).as("order in partition %s", e.getKey()).isGreaterThan(values.get(i - 1));
                    }
                }
            }
            List<Integer> lost =
                    acked.keySet().stream().filter(v -> !seen.get(v)).sorted().toList();
            assertThat(lost)
                    .as("acknowledged records missing (%s acked, %s failed)", acked.size(), failed.get())
                    .isEmpty();
            assertThat(acked.size()).as("most records are acknowledged").isGreaterThan(RECORDS / 2);
            System.out.printf(
                    "Failover with %d brokers, victims %s: %d records sent, %d acknowledged, %d failed, %d read%n",
                    brokers, victims, RECORDS, acked.size(), failed.get(), seen.cardinality());

            // The victims catch up and rejoin the ISR of every partition.
            awaitFullIsr(admin, topic, brokers);
        }
    }

    private static void awaitFullIsr(Admin admin, String topic, int brokers) {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (TopicPartitionInfo p :
                    ClusterReplicationTest.describe(admin, topic).partitions()) {
                assertThat(p.leader()).isNotNull();
                assertThat(p.isr()).hasSize(brokers);
            }
        });
    }

    private static void produce(ProcessCluster cluster, String topic, Map<Integer, Boolean> acked, AtomicInteger failed)
            throws InterruptedException {
        Properties p = cluster.clientProperties();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("delivery.timeout.ms", "120000");
        p.put("request.timeout.ms", "10000");
        p.put("retry.backoff.ms", "100");
        p.put("linger.ms", "5");
        p.put("key.serializer", IntegerSerializer.class.getName());
        p.put("value.serializer", IntegerSerializer.class.getName());
        Semaphore window = new Semaphore(2000);
        try (KafkaProducer<Integer, Integer> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < RECORDS; i++) {
                window.acquire();
                int value = i;
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value), (md, e) -> {
                    if (e == null) {
                        acked.put(value, Boolean.TRUE);
                    } else {
                        failed.incrementAndGet();
                    }
                    window.release();
                });
            }
            producer.flush();
        }
    }

    /** Reads every partition from the start up to its end offset (the high watermark), by partition. */
    private static Map<Integer, List<Integer>> consumeAll(ProcessCluster cluster, String topic) {
        Properties p = cluster.clientProperties();
        p.put("key.deserializer", IntegerDeserializer.class.getName());
        p.put("value.deserializer", IntegerDeserializer.class.getName());
        p.put("max.poll.records", "5000");
        Map<Integer, List<Integer>> read = new HashMap<>();
        try (KafkaConsumer<Integer, Integer> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                tps.add(new TopicPartition(topic, i));
                read.put(i, new ArrayList<>());
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(60));
            ToIntFunction<TopicPartition> behind = tp -> consumer.position(tp) < ends.get(tp) ? 1 : 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (tps.stream().mapToInt(behind).sum() > 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<Integer, Integer> r : consumer.poll(Duration.ofMillis(500))) {
                    read.get(r.partition()).add(r.value());
                }
            }
            assertThat(tps.stream().mapToInt(behind).sum())
                    .as("partitions not read to their end")
                    .isZero();
        }
        return read;
    }
}
