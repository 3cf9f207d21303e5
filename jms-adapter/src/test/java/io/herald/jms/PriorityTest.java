package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Priority (Jakarta Messaging 3.1, section 3.4.10): of the messages waiting when a consumer fetches, higher priorities
 * are delivered first, and within a priority in the order sent — on a queue and on a durable subscription.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PriorityTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Sends low-1 … low-4 at priority 1, then urgent at 9 and normal at the default 4. */
    private static void sendMixed(Session s, Destination d) throws Exception {
        MessageProducer p = s.createProducer(d);
        for (int i = 1; i <= 4; i++) {
            p.send(s.createTextMessage("low-" + i), DeliveryMode.PERSISTENT, 1, 0);
        }
        p.send(s.createTextMessage("urgent"), DeliveryMode.PERSISTENT, 9, 0);
        p.send(s.createTextMessage("normal"));
    }

    private static List<String> receive(MessageConsumer consumer, int count) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = consumer.receive(20_000);
            assertThat(m).as("message " + (i + 1) + " of " + count).isNotNull();
            out.add(((TextMessage) m).getText());
        }
        return out;
    }

    @Test
    void aQueueDeliversHigherPrioritiesFirst() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var queue = s.createQueue(unique("prioritized"));
            sendMixed(s, queue);

            assertThat(receive(s.createConsumer(queue), 6))
                    .containsExactly("urgent", "normal", "low-1", "low-2", "low-3", "low-4");
        }
    }

    @Test
    void aDurableSubscriptionDeliversHigherPrioritiesFirst() throws Exception {
        try (Connection c = herald.factory("clientId=" + unique("app")).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(unique("alerts"));
            s.createDurableSubscriber(t, "pager").close();
            sendMixed(s, t); // while the subscriber is away

            assertThat(receive(s.createDurableSubscriber(t, "pager"), 6))
                    .containsExactly("urgent", "normal", "low-1", "low-2", "low-3", "low-4");
        }
    }
}
