package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Errors an application sees (chapter 10 of the spec), asynchronous sends (7.3), listeners (8.7), temporary
 * destinations and request/reply (6.2.12).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ErrorsAndAsyncTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anInvalidSelectorIsRefusedAtConsumerCreationWithInvalidSelectorException() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createConsumer(s.createQueue(unique("q")), "color = "))
                    .isInstanceOf(InvalidSelectorException.class)
                    .hasMessageContaining("unexpected end of selector");
            assertThatThrownBy(() -> s.createConsumer(s.createTopic(unique("t")), "JMSDestination = 'x'"))
                    .isInstanceOf(InvalidSelectorException.class);
            assertThat(s.createConsumer(s.createQueue(unique("q")), "  ")).isNotNull();
        }
    }

    @Test
    void illegalDestinationNamesAreInvalidDestinations() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createQueue("no spaces allowed"))
                    .isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createConsumer(null)).isInstanceOf(InvalidDestinationException.class);
        }
    }

    @Test
    void connectingToABrokerThatIsDownThrowsAJmsExceptionWithTheCause() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        HeraldConnectionFactory f =
                new HeraldConnectionFactory("herald://127.0.0.1:" + port + "?connectTimeoutMs=1500");
        assertThatThrownBy(f::createConnection)
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasCauseInstanceOf(Exception.class);
    }

    @Test
    void anAsynchronousSendReportsToItsCompletionListener() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("async"));
            MessageProducer p = s.createProducer(q);
            CountDownLatch done = new CountDownLatch(10);
            List<Message> completed = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 10; i++) {
                p.send(s.createTextMessage("a" + i), new CompletionListener() {
                    @Override
                    public void onCompletion(Message message) {
                        completed.add(message);
                        done.countDown();
                    }

                    @Override
                    public void onException(Message message, Exception exception) {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(completed).hasSize(10);
            MessageConsumer consumer = s.createConsumer(q);
            for (int i = 0; i < 10; i++) {
                assertThat(consumer.receive(20_000)).isNotNull();
            }
        }
    }

    @Test
    void anAsynchronousSendToABrokerThatWentAwayReportsTheFailureToItsListener() throws Exception {
        BrokerExtension own = new BrokerExtension();
        own.beforeAll(null);
        Connection c = own.factory("connectTimeoutMs=1500").createConnection();
        try {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(unique("gone")));
            p.send(s.createTextMessage("warm-up"));
            own.broker().stop();
            SendOutcome outcome = new SendOutcome();
            p.send(s.createTextMessage("lost?"), outcome);
            assertThat(outcome.failure().get(30, TimeUnit.SECONDS)).isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> p.send(s.createTextMessage("sync"))).isInstanceOf(JMSException.class);
        } finally {
            c.close();
            own.afterAll(null);
        }
    }

    @Test
    void aMessageListenerGetsMessagesOnTheSessionThreadAndAThrowingListenerGetsTheMessageAgain() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("listened"));
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch three = new CountDownLatch(3);
            MessageConsumer consumer = s.createConsumer(q);
            consumer.setMessageListener(m -> {
                try {
                    String text = ((TextMessage) m).getText();
                    seen.add(text + (m.getJMSRedelivered() ? "(again)" : ""));
                    three.countDown();
                    if (text.equals("boom") && !m.getJMSRedelivered()) {
                        throw new RuntimeException("listener failure");
                    }
                } catch (JMSException e) {
                    throw new RuntimeException(e);
                }
            });
            Session ps = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ps.createProducer(q);
            p.send(ps.createTextMessage("ok"));
            p.send(ps.createTextMessage("boom"));
            // a stopped connection delivers nothing: the listener stays silent while the messages wait
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .untilAsserted(
                            () -> assertThat(seen).as("nothing before start").isEmpty());
            c.start();
            assertThat(three.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).containsExactly("ok", "boom", "boom(again)");
        }
    }

    @Test
    void requestReplyThroughATemporaryQueueThatDisappearsWithItsConnection() throws Exception {
        String service = unique("service");
        try (Connection server = herald.factory().createConnection();
                Connection client = herald.factory().createConnection()) {
            server.start();
            client.start();
            Session ss = server.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer replier = ss.createProducer(null);
            ss.createConsumer(ss.createQueue(service)).setMessageListener(request -> {
                try {
                    replier.send(
                            request.getJMSReplyTo(), ss.createTextMessage("re: " + ((TextMessage) request).getText()));
                } catch (JMSException e) {
                    throw new RuntimeException(e);
                }
            });
            Session cs = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = cs.createTemporaryQueue();
            TextMessage request = cs.createTextMessage("ping");
            request.setJMSReplyTo(replies);
            cs.createProducer(cs.createQueue(service)).send(request);
            MessageConsumer replyConsumer = cs.createConsumer(replies);
            TextMessage reply = (TextMessage) replyConsumer.receive(30_000);
            assertThat(reply.getText()).isEqualTo("re: ping");
            replyConsumer.close(); // TemporaryQueue.delete refuses a queue that still has a consumer
            replies.delete();
        }
    }
}
