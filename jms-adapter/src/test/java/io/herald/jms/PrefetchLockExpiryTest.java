package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
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
 * A queue consumer that holds prefetched messages past their broker lock does not hand them to its application any
 * more: the broker has given them (or will give them) to a consumer again, flagged redelivered, and a second
 * delivery not flagged redelivered would be a duplicate AUTO_ACKNOWLEDGE does not allow.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PrefetchLockExpiryTest {

    private static final int LOCK_MS = 3_000;

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> texts(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("m" + i);
        }
        return out;
    }

    private static void send(Session session, Queue queue, List<String> texts) throws JMSException {
        MessageProducer p = session.createProducer(queue);
        for (String t : texts) {
            p.send(session.createTextMessage(t));
        }
        p.close();
    }

    private static Map<String, Message> receiveAll(MessageConsumer c, List<String> expected) throws JMSException {
        Map<String, Message> got = new LinkedHashMap<>();
        while (!got.keySet().containsAll(expected)) {
            Message m = c.receive(30_000);
            assertThat(m).as("message after %s", got.keySet()).isNotNull();
            assertThat(got.put(((TextMessage) m).getText(), m))
                    .as("delivered twice")
                    .isNull();
        }
        return got;
    }

    @Test
    void aSlowConsumerDoesNotDeliverPrefetchedMessagesThatAnotherConsumerGotAfterTheLock() throws Exception {
        String name = unique("slow");
        herald.queueLockDuration(name, LOCK_MS);
        try (Connection a = herald.factory().createConnection();
                Connection b = herald.factory().createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = sa.createQueue(name);
            send(sa, q, texts(0, 10));
            a.start();
            MessageConsumer slow = sa.createConsumer(q);
            assertThat(((TextMessage) slow.receive(30_000)).getText()).isEqualTo("m0");
            // `slow` holds m1..m9 prefetched; once their lock ends the broker gives them to `fast`.
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer fast = sb.createConsumer(q);
            b.start();
            Map<String, Message> got = receiveAll(fast, texts(1, 10));
            assertThat(got.values()).allMatch(m -> redelivered(m));

            Message late = slow.receive(1_000);
            assertThat(late)
                    .as("the slow consumer's prefetched copy of a message `fast` got")
                    .isNull();
        }
    }

    @Test
    void prefetchedMessagesPastTheirLockComeBackFlaggedRedeliveredAndNoneIsLost() throws Exception {
        String name = unique("idle");
        herald.queueLockDuration(name, LOCK_MS);
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(name);
            send(s, q, texts(0, 5));
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(((TextMessage) consumer.receive(30_000)).getText()).isEqualTo("m0");
            long receivedAt = System.currentTimeMillis();
            // The application takes longer than the lock before it receives again.
            await().pollDelay(Duration.ofMillis(100))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> System.currentTimeMillis() >= receivedAt + LOCK_MS);

            Map<String, Message> got = receiveAll(consumer, texts(1, 5));
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(texts(1, 5));
            assertThat(got.values()).allMatch(m -> redelivered(m));
            assertThat(consumer.receive(500)).as("m0 stays acknowledged").isNull();
        }
    }

    @Test
    void messagesFetchedInTheBackgroundAfterAnEmptyReceiveAreNotDeliveredPastTheirLock() throws Exception {
        String name = unique("background");
        herald.queueLockDuration(name, LOCK_MS);
        try (Connection a = herald.factory().createConnection();
                Connection b = herald.factory().createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = sa.createQueue(name);
            a.start();
            MessageConsumer idle = sa.createConsumer(q);
            assertThat(idle.receive(300)).isNull();
            // The share consumer goes on fetching after that empty poll: it acquires what is sent now, unseen.
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(sb, q, texts(0, 1));
            MessageConsumer fast = sb.createConsumer(q);
            b.start();
            Map<String, Message> got = receiveAll(fast, texts(0, 1));
            assertThat(redelivered(got.get("m0")))
                    .as("acquired by `idle` first, so `fast` got it after its lock")
                    .isTrue();

            assertThat(idle.receive(1_000))
                    .as("`idle`'s stale copy of a message `fast` got")
                    .isNull();
        }
    }

    private static boolean redelivered(Message m) {
        try {
            return m.getJMSRedelivered() && m.getIntProperty("JMSXDeliveryCount") >= 2;
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
