package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.cluster.ShareClusterClients;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A JMS queue on a 3-broker cluster of child JVMs, consumed through {@code jakarta.jms} by consumers whose connections
 * were bootstrapped to different brokers: every message is delivered once while all brokers live; then the leader of
 * one of the queue's partitions is killed with SIGKILL mid-consumption, and nothing is lost and every message
 * delivered a second time says so ({@code JMSRedelivered}, a delivery count above 1). A selector registered through
 * one broker holds on every partition leader. The second test kills a broker, so they run in order.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueClusterTest {

    private static final String QUEUE = "clustered";
    private static final int PER_PHASE = 300;

    @RegisterExtension
    static final ShareClusterClients clients = ShareClusterClients.threeBrokers();

    /**
     * A consumer's selector, registered through one broker, is evaluated by the leaders of every partition of the
     * queue: the consumer gets the matching messages of all partitions and nothing else.
     */
    @Test
    @Order(0)
    void aSelectorHoldsOnEveryLeader() throws Exception {
        String queue = "selected";
        clients.prepareTopic(queue, 3);
        assertThat(describe(queue).partitions().stream()
                        .map(p -> p.leader().id())
                        .distinct()
                        .count())
                .as("the partitions are led by several brokers")
                .isGreaterThan(1);
        try (Connection c =
                new HeraldConnectionFactory("herald://" + clients.cluster().bootstrap(1)).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer red = s.createConsumer(s.createQueue(queue), "color = 'red'");
            c.start();
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (int i = 0; i < 30; i++) {
                TextMessage m = s.createTextMessage("s" + i);
                m.setStringProperty("color", i % 2 == 0 ? "red" : "blue");
                m.setStringProperty("JMSXGroupID", "g" + i); // the record key: spreads them over the partitions
                p.send(m);
            }
            Set<String> got = new java.util.HashSet<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Message m = red.receive(200);
                if (m != null) {
                    got.add(((TextMessage) m).getText() + "/" + m.getStringProperty("color"));
                }
                assertThat(got).hasSize(15);
            });
            assertThat(got).allSatisfy(v -> assertThat(v).endsWith("/red"));
            assertThat(coloursByPartition(queue, 30))
                    .as("every partition, each led by its broker, has messages of both colours")
                    .hasSize(3)
                    .allSatisfy((partition, colours) -> assertThat(colours).containsOnly("red", "blue"));
        }
    }

    @Test
    @Order(1)
    void consumersOnEveryBrokerGetEachMessageOnceAndALeaderLossLosesNothing() throws Exception {
        clients.prepareTopic(QUEUE, 3);
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> unflagged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> consumers = new ArrayList<>();
        for (int broker = 1; broker <= 3; broker++) {
            String url = "herald://" + clients.cluster().bootstrap(broker) + "?brokerLossTimeoutMs=60000";
            Thread t = new Thread(() -> consume(url, stop, deliveries, unflagged, errors), "queue-consumer-" + broker);
            t.start();
            consumers.add(t);
        }
        try {
            send("a", PER_PHASE);
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> !errors.isEmpty() || received(deliveries, "a").size() == PER_PHASE);
            // a duplicate would arrive right behind the last message: nothing more may come for a while
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        assertThat(errors).isEmpty();
                        assertThat(deliveries.entrySet().stream()
                                        .filter(e -> e.getValue() > 1)
                                        .map(Map.Entry::getKey)
                                        .toList())
                                .as("delivered more than once while every broker lives")
                                .isEmpty();
                    });

            send("b", PER_PHASE);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !errors.isEmpty() || received(deliveries, "b").size() >= PER_PHASE / 3);
            int victim = describe().partitions().get(0).leader().id();
            clients.cluster().kill(victim);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> !errors.isEmpty() || received(deliveries, "b").size() == PER_PHASE);
        } finally {
            stop.set(true);
            for (Thread t : consumers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertThat(errors).isEmpty();
        assertThat(received(deliveries, "a")).hasSize(PER_PHASE);
        assertThat(received(deliveries, "b")).as("nothing lost").hasSize(PER_PHASE);
        assertThat(unflagged)
                .as("messages delivered again without JMSRedelivered and a delivery count above 1")
                .isEmpty();
    }

    /** Receives and acknowledges until {@code stop}, counting deliveries; a broker lost on the way is not an error. */
    private static void consume(
            String url,
            AtomicBoolean stop,
            Map<String, Integer> deliveries,
            ConcurrentLinkedQueue<String> unflagged,
            ConcurrentLinkedQueue<Throwable> errors) {
        try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
            c.start();
            while (!stop.get()) {
                Message m;
                try {
                    m = consumer.receive(200);
                    if (m == null) {
                        continue;
                    }
                    String text = ((TextMessage) m).getText();
                    if (deliveries.merge(text, 1, Integer::sum) > 1
                            && (!m.getJMSRedelivered() || m.getIntProperty("JMSXDeliveryCount") < 2)) {
                        unflagged.add(text);
                    }
                    m.acknowledge();
                } catch (JMSException e) {
                    // a broker was killed: the consumer carries on with the new leaders
                }
            }
        } catch (JMSException | RuntimeException e) {
            errors.add(e);
        }
    }

    private static void send(String prefix, int count) throws JMSException {
        try (Connection c =
                new HeraldConnectionFactory("herald://" + clients.cluster().bootstrap()).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(QUEUE));
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage(prefix + i));
            }
        }
    }

    private static Set<String> received(Map<String, Integer> deliveries, String prefix) {
        Set<String> out = ConcurrentHashMap.newKeySet();
        IntStream.range(0, PER_PHASE)
                .mapToObj(i -> prefix + i)
                .filter(deliveries::containsKey)
                .forEach(out::add);
        return out;
    }

    /** The {@code color} properties (record headers) of the first {@code count} records of each partition. */
    private static Map<Integer, Set<String>> coloursByPartition(String topic, int count) {
        Map<Integer, Set<String>> colours = new java.util.HashMap<>();
        try (KafkaConsumer<String, String> reader = clients.reader()) {
            reader.assign(List.of(0, 1, 2).stream()
                    .map(p -> new TopicPartition(topic, p))
                    .toList());
            reader.seekToBeginning(reader.assignment());
            int[] read = {0};
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                    colours.computeIfAbsent(r.partition(), p -> new java.util.HashSet<>())
                            .add(new String(r.headers().lastHeader("color").value(), StandardCharsets.UTF_8));
                    read[0]++;
                }
                return read[0] >= count;
            });
        }
        return colours;
    }

    private static TopicDescription describe() throws Exception {
        return describe(QUEUE);
    }

    private static TopicDescription describe(String topic) throws Exception {
        return clients.admin()
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
    }
}
