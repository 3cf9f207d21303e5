package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jakarta Messaging 3.1 chapter 4 (point-to-point) and 6 (acknowledgement) on queues: every test through the
 * {@code jakarta.jms} API against a real broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void send(Session session, Queue queue, String... texts) throws JMSException {
        MessageProducer p = session.createProducer(queue);
        for (String t : texts) {
            p.send(session.createTextMessage(t));
        }
        p.close();
    }

    private static List<String> receiveTexts(MessageConsumer c, int count, long eachTimeoutMs) throws JMSException {
        List<String> out = new ArrayList<>();
        while (out.size() < count) {
            Message m = c.receive(eachTimeoutMs);
            if (m == null) {
                break;
            }
            out.add(((TextMessage) m).getText());
        }
        return out;
    }

    @Test
    void messagesSentBeforeAnyConsumerExistsAreDeliveredInOrder() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("orders"));
            send(s, q, "a", "b", "c");
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(receiveTexts(consumer, 3, 20_000)).containsExactly("a", "b", "c");
            assertThat(consumer.receive(500)).isNull();
        }
    }

    @Test
    void competingConsumersOnSeveralConnectionsShareTheMessagesAndEachGetsOnlyItsOwn() throws Exception {
        String name = unique("work");
        try (Connection producerConn = herald.factory().createConnection();
                Connection c1 = herald.factory("prefetch=1").createConnection();
                Connection c2 = herald.factory("prefetch=1").createConnection()) {
            Session ps = producerConn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = ps.createQueue(name);
            c1.start();
            c2.start();
            MessageConsumer r1 =
                    c1.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            MessageConsumer r2 =
                    c2.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sent.add("m" + i);
            }
            send(ps, q, sent.toArray(String[]::new));
            List<String> got1 = new ArrayList<>();
            List<String> got2 = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (got1.size() + got2.size() < 40 && System.currentTimeMillis() < deadline) {
                Message m1 = r1.receive(100);
                if (m1 != null) {
                    got1.add(((TextMessage) m1).getText());
                }
                Message m2 = r2.receive(100);
                if (m2 != null) {
                    got2.add(((TextMessage) m2).getText());
                }
            }
            Set<String> all = new HashSet<>(got1);
            all.addAll(got2);
            assertThat(got1.size() + got2.size()).as("no message twice").isEqualTo(40);
            assertThat(all).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(got1).isNotEmpty();
            assertThat(got2).isNotEmpty();
        }
    }

    @Test
    void recoverRedeliversUnacknowledgedMessagesFlaggedWithTheirDeliveryCount() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("recover"));
            send(s, q, "x", "y");
            MessageConsumer consumer = s.createConsumer(q);
            Message first = consumer.receive(20_000);
            Message second = consumer.receive(20_000);
            assertThat(first.getJMSRedelivered()).isFalse();
            assertThat(first.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            assertThat(second).isNotNull();

            s.recover();

            List<Message> again = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                again.add(consumer.receive(20_000));
            }
            assertThat(again).extracting(m -> ((TextMessage) m).getText()).containsExactly("x", "y");
            assertThat(again).allMatch(m -> {
                try {
                    return m.getJMSRedelivered() && m.getIntProperty("JMSXDeliveryCount") == 2;
                } catch (JMSException e) {
                    throw new AssertionError(e);
                }
            });
            again.get(1).acknowledge();
            assertThat(consumer.receive(500)).isNull();
        }
    }

    @Test
    void messagesNotAcknowledgedWhenASessionClosesGoToAnotherConsumer() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s1 = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s1.createQueue(unique("handover"));
            send(s1, q, "once");
            Message m = s1.createConsumer(q).receive(20_000);
            assertThat(m).isNotNull();
            s1.close();

            Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message again = s2.createConsumer(q).receive(20_000);
            assertThat(((TextMessage) again).getText()).isEqualTo("once");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        }
    }

    @Test
    void aMessageDeliveredMaxDeliveriesTimesMovesToTheDeadLetterQueueWithTheReason() throws Exception {
        String name = unique("poison");
        try (Connection c = herald.factory("maxDeliveries=2").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue(name);
            MessageConsumer consumer = s.createConsumer(q);
            send(s, q, "bad");
            for (int i = 1; i <= 2; i++) {
                Message m = consumer.receive(20_000);
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(i);
                s.recover();
            }
            assertThat(consumer.receive(1000)).isNull();

            MessageConsumer dlq = s.createConsumer(s.createQueue("DLQ." + name));
            Message dead = dlq.receive(20_000);
            assertThat(((TextMessage) dead).getText()).isEqualTo("bad");
            assertThat(dead.getStringProperty("JMS_Herald_DLQReason")).isEqualTo("delivery count limit 2 reached");
            assertThat(dead.getStringProperty("JMS_Herald_DLQTopic")).isEqualTo(name);
            dead.acknowledge();
        }
    }

    @Test
    void dupsOkAndAutoAcknowledgedMessagesAreNotDeliveredAgain() throws Exception {
        for (int mode : new int[] {Session.AUTO_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE}) {
            String name = unique("acked");
            try (Connection c = herald.factory().createConnection()) {
                c.start();
                Session s = c.createSession(false, mode);
                Queue q = s.createQueue(name);
                send(s, q, "1", "2");
                MessageConsumer consumer = s.createConsumer(q);
                assertThat(receiveTexts(consumer, 2, 20_000)).containsExactly("1", "2");
                consumer.close();
            }
            try (Connection c = herald.factory().createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertThat(s.createConsumer(s.createQueue(name)).receive(1500)).isNull();
            }
        }
    }

    @Test
    void aStoppedConnectionDeliversNothingUntilStarted() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("stopped"));
            send(s, q, "later");
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(consumer.receive(500)).isNull();
            c.start();
            assertThat(((TextMessage) consumer.receive(20_000)).getText()).isEqualTo("later");
        }
    }
}
