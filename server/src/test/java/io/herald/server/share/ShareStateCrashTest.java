package io.herald.server.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.HeraldProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share-group state written by group commit survives {@code kill -9} of the broker process under acknowledgement
 * load: three competing {@link KafkaShareConsumer}s acknowledge explicitly (commitSync) while the broker is killed;
 * after a restart on the same data nothing is lost, no acknowledgement the broker confirmed is undone (the record does
 * not come back), and a record delivered before the crash comes back with a delivery count above one (acquisitions are
 * durable before the ShareFetch that handed them out is answered).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShareStateCrashTest {

    private static final String TOPIC = "work";
    private static final String GROUP = "crash-workers";
    private static final int RECORDS = 20_000;
    private static final int CONSUMERS = 3;
    private static final int PARTITIONS = 2;

    @TempDir
    Path data;

    /** What the consumers saw before the crash; values are the record values ("m<i>"). */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

    private final Set<String> uncertain = ConcurrentHashMap.newKeySet();
    private final Set<String> deliveredBefore = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

    @Test
    void confirmedAcknowledgementsSurviveKillNineAndNothingElseIsLost() throws Exception {
        Process first = startBroker();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        try {
            String bootstrap = "127.0.0.1:" + HeraldProcess.port(first);
            prepare(bootstrap);
            for (int i = 0; i < CONSUMERS; i++) {
                Thread t = new Thread(() -> work(bootstrap, stop), "share-worker-" + i);
                t.start();
                workers.add(t);
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> confirmed.size() >= RECORDS / 10 || !errors.isEmpty());
            assertThat(errors).isEmpty();
            first.destroyForcibly(); // SIGKILL while the workers keep acknowledging
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        } finally {
            stop.set(true);
            for (Thread t : workers) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            first.destroyForcibly();
        }
        assertThat(confirmed).as("acknowledged before the kill").hasSizeLessThan(RECORDS);

        Process second = startBroker();
        try {
            String bootstrap = "127.0.0.1:" + HeraldProcess.port(second);
            Map<String, Integer> after = drainAfterRestart(bootstrap);
            Set<String> redeliveredConfirmed = new HashSet<>(after.keySet());
            redeliveredConfirmed.retainAll(confirmed);
            assertThat(redeliveredConfirmed)
                    .as("confirmed acknowledgements are not undone")
                    .isEmpty();
            Set<String> lost = new HashSet<>();
            for (int i = 0; i < RECORDS; i++) {
                String v = "m" + i;
                if (!confirmed.contains(v) && !after.containsKey(v) && !uncertain.contains(v)) {
                    lost.add(v);
                }
            }
            assertThat(lost).as("records neither acknowledged nor redelivered").isEmpty();
            after.forEach((v, count) -> {
                if (deliveredBefore.contains(v)) {
                    assertThat(count)
                            .as("delivery count of %s, delivered before the crash", v)
                            .isGreaterThanOrEqualTo(2);
                }
            });
        } finally {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void prepare(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(clientProperties(bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.GROUP, GROUP),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        produce(bootstrap, 0, RECORDS);
    }

    private static void produce(String bootstrap, int from, int to) {
        Properties p = clientProperties(bootstrap);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "k" + i, "m" + i));
            }
            producer.flush();
        }
    }

    /** Polls, accepts each record and commits synchronously until stopped; sorts the values by what it learned. */
    private void work(String bootstrap, AtomicBoolean stop) {
        try (KafkaShareConsumer<String, String> c = shareConsumer(bootstrap, 20)) {
            while (!stop.get()) {
                List<ConsumerRecord<String, String>> batch = new ArrayList<>();
                try {
                    c.poll(Duration.ofMillis(200)).forEach(batch::add);
                } catch (KafkaException e) {
                    continue; // the broker is gone: keep trying until told to stop
                }
                if (batch.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<String, String> r : batch) {
                    deliveredBefore.add(r.value());
                    c.acknowledge(r, AcknowledgeType.ACCEPT);
                    uncertain.add(r.value());
                }
                Map<TopicIdPartition, Optional<KafkaException>> result;
                try {
                    result = c.commitSync(Duration.ofSeconds(5));
                } catch (KafkaException e) {
                    continue; // outcome unknown: the values stay uncertain
                }
                for (ConsumerRecord<String, String> r : batch) {
                    Optional<KafkaException> outcome = result.entrySet().stream()
                            .filter(e -> e.getKey().topic().equals(r.topic())
                                    && e.getKey().partition() == r.partition())
                            .map(Map.Entry::getValue)
                            .findFirst()
                            .orElse(Optional.of(new KafkaException("no outcome")));
                    if (outcome.isEmpty()) {
                        uncertain.remove(r.value());
                        confirmed.add(r.value());
                    }
                }
            }
            c.close(Duration.ZERO);
        } catch (RuntimeException e) {
            if (!stop.get()) {
                errors.add(e);
            }
        }
    }

    /**
     * Drains the group with one consumer after the restart, up to a sentinel produced to each partition after the
     * restart: the broker hands out a partition's available records in offset order, so its sentinel comes after
     * every record of it still owed. Returns value
     * to delivery count.
     */
    private Map<String, Integer> drainAfterRestart(String bootstrap) {
        Properties pp = clientProperties(bootstrap);
        pp.put("key.serializer", StringSerializer.class.getName());
        pp.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                producer.send(new ProducerRecord<>(TOPIC, partition, "end", "end-" + partition));
            }
            producer.flush();
        }
        Map<String, Integer> got = new ConcurrentHashMap<>();
        try (KafkaShareConsumer<String, String> c = shareConsumer(bootstrap, 200)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    got.put(r.value(), r.deliveryCount().map(Short::intValue).orElse(1));
                    c.acknowledge(r, AcknowledgeType.ACCEPT);
                }
                c.commitSync();
                return got.containsKey("end-0") && got.containsKey("end-1");
            });
        }
        got.remove("end-0");
        got.remove("end-1");
        return got;
    }

    private static KafkaShareConsumer<String, String> shareConsumer(String bootstrap, int maxRecords) {
        Properties p = clientProperties(bootstrap);
        p.put("group.id", GROUP);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("share.acknowledgement.mode", "explicit");
        p.put("max.poll.records", String.valueOf(maxRecords));
        KafkaShareConsumer<String, String> c = new KafkaShareConsumer<>(p);
        c.subscribe(List.of(TOPIC));
        return c;
    }

    private static Properties clientProperties(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    private Process startBroker() throws IOException {
        return HeraldProcess.launch(
                data,
                Map.of(
                        "log.flush.interval.messages", "1",
                        "share.coordinator.state.topic.num.partitions", "2",
                        "num.network.threads", "1",
                        "num.io.threads", "4"));
    }
}
