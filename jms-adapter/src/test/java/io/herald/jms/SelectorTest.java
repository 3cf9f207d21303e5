package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jakarta Messaging 3.1 section 3.8 (message selection), evaluated by the broker: a queue message one consumer's
 * selector rejects stays available to the others.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SelectorTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void send(Session s, jakarta.jms.Destination d, String text, String color, int qty)
            throws Exception {
        MessageProducer p = s.createProducer(d);
        TextMessage m = s.createTextMessage(text);
        m.setStringProperty("color", color);
        m.setIntProperty("qty", qty);
        p.send(m);
    }

    @Test
    void queueConsumersWithSelectorsEachGetTheirMessagesAndTheRestStaysQueued() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("sorted"));
            send(s, q, "r1", "red", 1);
            send(s, q, "b1", "blue", 5);
            send(s, q, "g1", "green", 9);
            send(s, q, "r2", "red", 10);
            MessageConsumer reds = s.createConsumer(q, "color = 'red' AND qty < 10");
            MessageConsumer blues = s.createConsumer(q, "color IN ('blue') OR qty BETWEEN 100 AND 200");

            assertThat(((TextMessage) reds.receive(20_000)).getText()).isEqualTo("r1");
            assertThat(reds.receive(1000)).isNull();
            assertThat(((TextMessage) blues.receive(20_000)).getText()).isEqualTo("b1");
            assertThat(blues.receive(1000)).isNull();

            MessageConsumer rest = s.createConsumer(q);
            assertThat(((TextMessage) rest.receive(20_000)).getText()).isEqualTo("g1");
            assertThat(((TextMessage) rest.receive(20_000)).getText()).isEqualTo("r2");
        }
    }

    @Test
    void topicSubscribersWithSelectorsSeeOnlyWhatTheySelect() throws Exception {
        try (Connection c = herald.factory("clientId=" + unique("sel")).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(unique("feed"));
            MessageConsumer big = s.createConsumer(t, "qty > 5");
            MessageConsumer durableLike = s.createDurableSubscriber(t, "likes", "color LIKE 'r%'", false);
            send(s, t, "small-red", "red", 1);
            send(s, t, "big-blue", "blue", 50);
            Message m = big.receive(20_000);
            assertThat(((TextMessage) m).getText()).isEqualTo("big-blue");
            assertThat(big.receive(500)).isNull();
            assertThat(((TextMessage) durableLike.receive(20_000)).getText()).isEqualTo("small-red");
            assertThat(durableLike.receive(500)).isNull();
            durableLike.close();
            s.unsubscribe("likes");
        }
    }
}
