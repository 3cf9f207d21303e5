package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker keeps a queue's message from every consumer until its delivery time (Jakarta Messaging 3.1, section
 * 7.9) and never hands out an expired one (section 3.4.9) — the JMS provider's consumers and a Kafka share consumer
 * on the same queue alike.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeliveryTimeTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aDelayedMessageIsDeliveredAfterLaterOnesAndNotBeforeItsDeliveryTime() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("delayed"));
            MessageConsumer consumer = s.createConsumer(q);
            MessageProducer delayed = s.createProducer(q);
            delayed.setDeliveryDelay(8_000);
            TextMessage later = s.createTextMessage("later");
            delayed.send(later);
            s.createProducer(q).send(s.createTextMessage("now"));

            Message first = consumer.receive(20_000);
            assertThat(((TextMessage) first).getText()).isEqualTo("now");
            Message second = consumer.receive(30_000);
            long receivedAt = System.currentTimeMillis();
            assertThat(((TextMessage) second).getText()).isEqualTo("later");
            assertThat(second.getJMSDeliveryTime()).isEqualTo(later.getJMSDeliveryTime());
            assertThat(receivedAt)
                    .as("not before its delivery time")
                    .isGreaterThanOrEqualTo(later.getJMSDeliveryTime());
        }
    }

    @Test
    void anExpiredMessageReachesNoConsumerNotEvenAKafkaShareConsumer() throws Exception {
        String name = unique("perishable");
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(name);
            s.createConsumer(q).close(); // configures the queue's share group (from the log start)
            MessageProducer producer = s.createProducer(q);
            producer.setTimeToLive(1);
            TextMessage stale = s.createTextMessage("stale");
            producer.send(stale);
            producer.setTimeToLive(0);
            producer.send(s.createTextMessage("fresh"));
            await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > stale.getJMSExpiration());
        }

        Properties p = new Properties();
        p.put("bootstrap.servers", herald.broker().bootstrap());
        p.put("group.id", "jms.queue." + name);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<String> got = new ArrayList<>();
        try (KafkaShareConsumer<byte[], String> kafka = new KafkaShareConsumer<>(p)) {
            kafka.subscribe(List.of(name));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                kafka.poll(Duration.ofMillis(200)).forEach(r -> got.add(r.value()));
                return !got.isEmpty();
            });
            kafka.commitSync();
        }
        assertThat(got).containsExactly("fresh");
    }
}
