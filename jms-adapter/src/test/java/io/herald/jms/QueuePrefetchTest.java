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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A queue consumer prefetches a window of records (default 500) and AUTO_ACKNOWLEDGE acknowledgements travel with the
 * next fetch: what the application received stays acknowledged even if it never calls {@code receive} again, and the
 * prefetched messages it never received go to the other consumers (at close at once, else when their lock ends),
 * flagged redelivered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueuePrefetchTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void send(Session session, Queue queue, List<String> texts) throws JMSException {
        MessageProducer p = session.createProducer(queue);
        for (String t : texts) {
            p.send(session.createTextMessage(t));
        }
        p.close();
    }

    private static List<String> texts(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("m" + i);
        }
        return out;
    }

    /** Receives until every text in {@code expected} came; returns text to the message, in arrival order. */
    private static Map<String, Message> receiveAll(MessageConsumer c, List<String> expected) throws JMSException {
        Map<String, Message> got = new LinkedHashMap<>();
        while (!got.keySet().containsAll(expected)) {
            Message m = c.receive(60_000);
            assertThat(m).as("message after %s", got.keySet()).isNotNull();
            got.put(((TextMessage) m).getText(), m);
        }
        return got;
    }

    @Test
    void receivedMessagesStayAcknowledgedWhenTheApplicationStopsReceivingAndThePrefetchedOnesComeBackAfterTheLock()
            throws Exception {
        String name = unique("idle");
        herald.queueLockDuration(name, 3000);
        try (Connection a = herald.factory().createConnection();
                Connection b = herald.factory().createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = sa.createQueue(name);
            send(sa, q, texts(0, 10));
            a.start();
            MessageConsumer first = sa.createConsumer(q);
            for (int i = 0; i < 3; i++) {
                assertThat(((TextMessage) first.receive(30_000)).getText()).isEqualTo("m" + i);
            }
            // `first` now holds m3..m9 prefetched and never calls receive again; its acknowledgements of m0..m2 must
            // reach the broker anyway, or they would come back with m3..m9 when the lock ends.
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer second = sb.createConsumer(q);
            b.start();
            Map<String, Message> got = receiveAll(second, texts(3, 10));
            assertThat(got.keySet()).containsExactlyElementsOf(texts(3, 10));
            for (Message m : got.values()) {
                assertThat(m.getJMSRedelivered()).isTrue();
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            }
            send(sb, q, List.of("end"));
            assertThat(((TextMessage) second.receive(60_000)).getText()).isEqualTo("end");
        }
    }

    @Test
    void closingAConsumerReleasesItsPrefetchedMessagesToTheOthersWithoutWaitingForTheLock() throws Exception {
        String name = unique("handover");
        herald.queueLockDuration(
                name, 600_000); // longer than the test may run: only the release at close can hand them over
        try (Connection a = herald.factory().createConnection();
                Connection b = herald.factory().createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = sa.createQueue(name);
            send(sa, q, texts(0, 50));
            a.start();
            MessageConsumer first = sa.createConsumer(q);
            assertThat(((TextMessage) first.receive(30_000)).getText()).isEqualTo("m0");
            assertThat(((TextMessage) first.receive(30_000)).getText()).isEqualTo("m1");
            first.close();
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer second = sb.createConsumer(q);
            b.start();
            Map<String, Message> got = receiveAll(second, texts(2, 50));
            assertThat(got.keySet()).containsExactlyElementsOf(texts(2, 50));
            assertThat(got.get("m2").getJMSRedelivered())
                    .as("prefetched by the first consumer, so delivered once already")
                    .isTrue();
            send(sb, q, List.of("end"));
            assertThat(((TextMessage) second.receive(60_000)).getText()).isEqualTo("end");
        }
    }

    @Test
    void recoverRedeliversTheReceivedMessagesAndThePrefetchedOnesStayInOrder() throws Exception {
        String name = unique("recover");
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue(name);
            send(s, q, texts(0, 20));
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(((TextMessage) consumer.receive(30_000)).getText()).isEqualTo("m0");
            assertThat(((TextMessage) consumer.receive(30_000)).getText()).isEqualTo("m1");
            s.recover();
            Map<String, Message> got = receiveAll(consumer, texts(0, 20));
            assertThat(got.keySet()).containsExactlyElementsOf(texts(0, 20));
            assertThat(got.get("m0").getJMSRedelivered()).isTrue();
            assertThat(got.get("m0").getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            got.get("m19").acknowledge();
            send(s, q, List.of("end"));
            assertThat(((TextMessage) consumer.receive(60_000)).getText()).isEqualTo("end");
        }
    }
}
