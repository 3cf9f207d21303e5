package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A non-durable subscriber (a plain consumer, no broker-side hold) keeps a message until its delivery time (Jakarta
 * Messaging 3.1, section 7.9) without holding back the messages sent after it without a delay (section 6.2.9.2 lets
 * a later delivery time come after), for {@code receive} and a {@code MessageListener} alike, across a recover and a
 * connection stop, and within a bound of held messages.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NonDurableDeliveryDelayTest {

    private static final long DELAY_MS = 2_000;

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private record Arrival(String text, boolean redelivered, long atMs) {}

    @Test
    void receiveGetsTheUndelayedMessageFirstAndTheDelayedOneNotBeforeItsTimeAlsoAfterRecover() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic t = s.createTopic(unique("delayed-topic"));
            MessageConsumer subscriber = s.createConsumer(t);
            MessageProducer delayed = s.createProducer(t);
            delayed.setDeliveryDelay(DELAY_MS);
            TextMessage later = s.createTextMessage("later");
            delayed.send(later);
            s.createProducer(t).send(s.createTextMessage("now"));

            Message first = subscriber.receive(20_000);
            assertThat(((TextMessage) first).getText()).isEqualTo("now");
            s.recover(); // the held message must survive a recover, and not come before its time because of it
            Message again = subscriber.receive(20_000);
            assertThat(((TextMessage) again).getText()).isEqualTo("now");
            assertThat(again.getJMSRedelivered()).isTrue();
            again.acknowledge();
            c.stop(); // a stopped connection delivers nothing, and the held message waits through it
            c.start();

            Message second = subscriber.receive(20_000);
            long receivedAt = System.currentTimeMillis();
            assertThat(((TextMessage) second).getText()).isEqualTo("later");
            assertThat(second.getJMSRedelivered()).isFalse();
            assertThat(second.getJMSDeliveryTime()).isEqualTo(later.getJMSDeliveryTime());
            assertThat(receivedAt)
                    .as("not before its delivery time")
                    .isGreaterThanOrEqualTo(later.getJMSDeliveryTime());
            assertThat(later.getJMSDeliveryTime()).isGreaterThanOrEqualTo(later.getJMSTimestamp() + DELAY_MS);
        }
    }

    @Test
    void aListenerGetsTheUndelayedMessageFirstAndTheDelayedOneNotBeforeItsTime() throws Exception {
        List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(unique("delayed-listener"));
            MessageConsumer subscriber = s.createConsumer(t);
            subscriber.setMessageListener(m -> {
                try {
                    arrivals.add(new Arrival(
                            ((TextMessage) m).getText(), m.getJMSRedelivered(), System.currentTimeMillis()));
                } catch (jakarta.jms.JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.start();
            Session senders = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer delayed = senders.createProducer(t);
            delayed.setDeliveryDelay(DELAY_MS);
            TextMessage later = senders.createTextMessage("later");
            delayed.send(later);
            senders.createProducer(t).send(senders.createTextMessage("now"));

            await().atMost(Duration.ofSeconds(20)).until(() -> arrivals.size() >= 2);
            assertThat(arrivals).extracting(Arrival::text).containsExactly("now", "later");
            assertThat(arrivals.get(1).atMs())
                    .as("not before its delivery time")
                    .isGreaterThanOrEqualTo(later.getJMSDeliveryTime());
            assertThat(arrivals).noneMatch(Arrival::redelivered);
        }
    }

    /**
     * Driven on the subscriber's source itself, with a bound of two held records: once two wait, it fetches nothing
     * more (memory stays bounded) and loses nothing; when they are due it goes on with what came meanwhile.
     */
    @Test
    void aFullHoldStopsFetchingUntilTheHeldRecordsAreDueAndLosesNothing() throws Exception {
        String topic = unique("delayed-bound");
        Properties base = new Properties();
        base.put("bootstrap.servers", herald.broker().bootstrap());
        Properties pp = new Properties();
        pp.putAll(base);
        pp.put("key.serializer", ByteArraySerializer.class.getName());
        pp.put("value.serializer", ByteArraySerializer.class.getName());
        try (TopicSource source = new TopicSource(base, topic, null, Duration.ofSeconds(10), 2);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
            long dueAt = System.currentTimeMillis() + DELAY_MS;
            producer.send(record(topic, "held-0", dueAt)).get();
            producer.send(record(topic, "held-1", dueAt)).get();
            assertThat(source.next(1_000)).as("both held").isNull();
            producer.send(record(topic, "behind", 0)).get();
            assertThat(source.next(500))
                    .as("not fetched while the hold is full")
                    .isNull();

            ConsumerRecord<byte[], byte[]> first = source.next(10_000);
            long firstAt = System.currentTimeMillis();
            assertThat(text(first)).isEqualTo("held-0");
            assertThat(firstAt).isGreaterThanOrEqualTo(dueAt);
            assertThat(text(source.next(10_000))).isEqualTo("held-1");
            assertThat(text(source.next(10_000))).isEqualTo("behind");
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String text, long deliveryTime) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, text.getBytes(StandardCharsets.UTF_8));
        if (deliveryTime != 0) {
            r.headers()
                    .add(
                            RecordMapping.DELIVERY_TIME,
                            String.valueOf(deliveryTime).getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    private static String text(ConsumerRecord<byte[], byte[]> r) {
        assertThat(r).isNotNull();
        return new String(r.value(), StandardCharsets.UTF_8);
    }
}
