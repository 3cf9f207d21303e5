package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
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

/** Jakarta Messaging 3.1 chapter 4 (publish/subscribe): subscriptions of every kind, against a real broker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void publish(Session s, Topic t, String... texts) throws Exception {
        MessageProducer p = s.createProducer(t);
        for (String text : texts) {
            p.send(s.createTextMessage(text));
        }
    }

    private static List<String> texts(MessageConsumer c, int n, long timeoutMs) throws Exception {
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            Message m = c.receive(timeoutMs);
            if (m == null) {
                break;
            }
            out.add(((TextMessage) m).getText());
        }
        return out;
    }

    @Test
    void aNonDurableSubscriberSeesOnlyWhatIsPublishedAfterItSubscribed() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(unique("news"));
            publish(s, t, "before");
            MessageConsumer a = s.createConsumer(t);
            MessageConsumer b = s.createConsumer(t);
            publish(s, t, "after1", "after2");
            assertThat(texts(a, 2, 20_000)).containsExactly("after1", "after2");
            assertThat(texts(b, 2, 20_000)).containsExactly("after1", "after2");
            assertThat(a.receive(300)).isNull();
        }
    }

    @Test
    void aDurableSubscriptionKeepsMessagesWhileDisconnectedUntilUnsubscribed() throws Exception {
        String topic = unique("prices");
        try (Connection c = herald.factory("clientId=" + unique("app")).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(topic);
            MessageConsumer sub = s.createDurableSubscriber(t, "audit");
            publish(s, t, "p1");
            assertThat(texts(sub, 1, 20_000)).containsExactly("p1");
            sub.close();

            publish(s, t, "p2", "p3"); // while the subscriber is away

            MessageConsumer back = s.createDurableSubscriber(t, "audit");
            assertThat(texts(back, 2, 20_000)).containsExactly("p2", "p3");
            back.close();
            s.unsubscribe("audit");
            assertThatThrownBy(() -> s.unsubscribe("audit")).isInstanceOf(InvalidDestinationException.class);
        }
    }

    @Test
    void aDurableSubscriptionNeedsAClientId() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createDurableSubscriber(s.createTopic("t"), "x"))
                    .isInstanceOf(jakarta.jms.IllegalStateException.class)
                    .hasMessageContaining("client id");
        }
    }

    @Test
    void consumersOfASharedSubscriptionShareItsMessages() throws Exception {
        String topic = unique("events");
        try (Connection c1 = herald.factory("prefetch=1").createConnection();
                Connection c2 = herald.factory("prefetch=1").createConnection()) {
            c1.start();
            c2.start();
            Session s1 = c1.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session s2 = c2.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s1.createTopic(topic);
            MessageConsumer a = s1.createSharedDurableConsumer(t, "workers");
            MessageConsumer b = s2.createSharedDurableConsumer(t, "workers");
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add("e" + i);
            }
            publish(s1, t, sent.toArray(String[]::new));
            List<String> got = new ArrayList<>();
            int fromA = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (got.size() < 20 && System.currentTimeMillis() < deadline) {
                Message m = a.receive(100);
                if (m != null) {
                    got.add(((TextMessage) m).getText());
                    fromA++;
                }
                m = b.receive(100);
                if (m != null) {
                    got.add(((TextMessage) m).getText());
                }
            }
            assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(fromA).isBetween(1, 19);
        }
    }

    @Test
    void noLocalSubscribersDoNotSeeTheirOwnConnectionsMessages() throws Exception {
        try (Connection mine = herald.factory().createConnection();
                Connection other = herald.factory().createConnection()) {
            mine.start();
            Session s = mine.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(unique("chat"));
            MessageConsumer sub = s.createConsumer(t, null, true);
            publish(s, t, "mine");
            publish(other.createSession(false, Session.AUTO_ACKNOWLEDGE), t, "theirs");
            assertThat(texts(sub, 1, 20_000)).containsExactly("theirs");
            assertThat(sub.receive(300)).isNull();
        }
    }

    @Test
    void recoverOnATopicSubscriberRedeliversWhatWasNotAcknowledged() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic t = s.createTopic(unique("replay"));
            MessageConsumer sub = s.createConsumer(t);
            publish(s, t, "r1", "r2");
            assertThat(texts(sub, 2, 20_000)).containsExactly("r1", "r2");
            s.recover();
            Message again = sub.receive(20_000);
            assertThat(((TextMessage) again).getText()).isEqualTo("r1");
            assertThat(again.getJMSRedelivered()).isTrue();
        }
    }
}
