package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conformance, Jakarta Messaging 3.1 chapter 4 "Messaging domains": queue and topic semantics, temporary destinations,
 * QueueBrowser, QueueRequestor and subscription names, through a real broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Spec04MessagingDomainsTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static Connection connection;
    private static Connection other;
    private static Session session;
    private static Session otherSession;
    private static QueueConnection queueConnection;

    @BeforeAll
    static void connect() throws Exception {
        connection = herald.factory().createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        other = herald.factory().createConnection();
        other.start();
        otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
        queueConnection = herald.factory().createQueueConnection();
        queueConnection.start();
    }

    @AfterAll
    static void close() throws Exception {
        queueConnection.close();
        other.close();
        connection.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static TextMessage text(String s) throws JMSException {
        return session.createTextMessage(s);
    }

    /**
     * §4.1.2 Queue semantics: a queue may have more than one consumer; each message is delivered to only one of them.
     */
    @Test
    void eachQueueMessageGoesToOneConsumer() throws Exception {
        Queue q = session.createQueue(unique("spec4-competing"));
        MessageConsumer first = session.createConsumer(q);
        MessageConsumer second = otherSession.createConsumer(q);
        MessageProducer producer = session.createProducer(q);
        for (int i = 0; i < 10; i++) {
            producer.send(text("m" + i));
        }
        List<String> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (got.size() < 10 && System.currentTimeMillis() < deadline) {
            for (MessageConsumer c : List.of(first, second)) {
                Message m = c.receive(100);
                if (m != null) {
                    got.add(((TextMessage) m).getText());
                }
            }
        }
        assertThat(got).hasSize(10).doesNotHaveDuplicates();
        assertThat(first.receiveNoWait()).isNull();
        assertThat(second.receiveNoWait()).isNull();
    }

    /**
     * §4.1.2: messages a consumer's selector does not select stay on the queue for other consumers.
     */
    @Test
    void messagesNotSelectedRemainOnTheQueue() throws Exception {
        Queue q = session.createQueue(unique("spec4-remain"));
        MessageProducer producer = session.createProducer(q);
        TextMessage red = text("red");
        red.setStringProperty("colour", "red");
        TextMessage blue = text("blue");
        blue.setStringProperty("colour", "blue");
        producer.send(red);
        producer.send(blue);
        MessageConsumer blueOnly = session.createConsumer(q, "colour = 'blue'");
        assertThat(((TextMessage) blueOnly.receive(20_000)).getText()).isEqualTo("blue");
        MessageConsumer any = otherSession.createConsumer(q);
        assertThat(((TextMessage) any.receive(20_000)).getText()).isEqualTo("red");
    }

    /**
     * §4.1.5 TemporaryQueue, §6.2.2: a temporary queue can be consumed by any session of its connection and only by
     * its connection; other connections may send to it.
     */
    @Test
    void onlyTheOwningConnectionConsumesATemporaryQueue() throws Exception {
        TemporaryQueue temp = session.createTemporaryQueue();
        assertThatThrownBy(() -> otherSession.createConsumer(temp)).isInstanceOf(JMSException.class);
        otherSession.createProducer(temp).send(otherSession.createTextMessage("to temp"));
        Session another = connection.createSession(false, Session.AUTO_ACKNOWLEDGE); // closed with the connection
        MessageConsumer c = another.createConsumer(temp);
        assertThat(((TextMessage) c.receive(20_000)).getText()).isEqualTo("to temp");
    }

    /** §4.2.7 Temporary topics: only the connection that created it consumes a temporary topic. */
    @Test
    void onlyTheOwningConnectionConsumesATemporaryTopic() throws Exception {
        TemporaryTopic temp = session.createTemporaryTopic();
        assertThatThrownBy(() -> otherSession.createConsumer(temp)).isInstanceOf(JMSException.class);
        MessageConsumer c = session.createConsumer(temp);
        otherSession.createProducer(temp).send(otherSession.createTextMessage("to temp topic"));
        assertThat(((TextMessage) c.receive(20_000)).getText()).isEqualTo("to temp topic");
    }

    /**
     * TemporaryQueue.delete and TemporaryTopic.delete (§6.2.2): deleting a temporary destination that still has a
     * consumer throws JMSException; after the consumer is closed it can be deleted.
     */
    @Test
    void aTemporaryDestinationWithAConsumerCannotBeDeleted() throws Exception {
        TemporaryQueue queue = session.createTemporaryQueue();
        MessageConsumer onQueue = session.createConsumer(queue);
        assertThatThrownBy(queue::delete).isInstanceOf(JMSException.class);
        TemporaryTopic topic = session.createTemporaryTopic();
        MessageConsumer onTopic = session.createConsumer(topic);
        assertThatThrownBy(topic::delete).isInstanceOf(JMSException.class);
        onQueue.close();
        onTopic.close();
        queue.delete();
        topic.delete();
    }

    /**
     * §4.1.6 QueueBrowser: browsing shows the queue's messages (only those its selector matches) without removing
     * them; a consumer then receives all of them.
     */
    @Test
    void aBrowserLooksWithoutRemoving() throws Exception {
        Queue q = session.createQueue(unique("spec4-browse"));
        MessageProducer producer = session.createProducer(q);
        for (int i = 0; i < 3; i++) {
            TextMessage m = text("b" + i);
            m.setIntProperty("n", i);
            producer.send(m);
        }
        try (QueueBrowser all = session.createBrowser(q);
                QueueBrowser some = session.createBrowser(q, "n >= 1")) {
            assertThat(all.getQueue()).isEqualTo(q);
            assertThat(some.getMessageSelector()).isEqualTo("n >= 1");
            assertThat(texts(Collections.list(all.getEnumeration()))).containsExactly("b0", "b1", "b2");
            assertThat(texts(Collections.list(some.getEnumeration()))).containsExactly("b1", "b2");
        }
        MessageConsumer c = session.createConsumer(q);
        Set<String> received = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            received.add(((TextMessage) c.receive(20_000)).getText());
        }
        assertThat(received).containsExactlyInAnyOrder("b0", "b1", "b2");
    }

    private static List<String> texts(List<?> messages) throws JMSException {
        List<String> out = new ArrayList<>();
        for (Object m : messages) {
            out.add(((TextMessage) m).getText());
        }
        return out;
    }

    /**
     * §4.1.7 QueueRequestor (and §2.16 request/reply): the request carries a temporary queue as JMSReplyTo, the
     * responder answers there with the request's JMSMessageID as JMSCorrelationID.
     */
    @Test
    void queueRequestorGetsTheReply() throws Exception {
        Queue service = session.createQueue(unique("spec4-service"));
        Session responderSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer replies = responderSession.createProducer(null);
        responderSession.createConsumer(service).setMessageListener(request -> {
            try {
                TextMessage reply = responderSession.createTextMessage("re: " + ((TextMessage) request).getText());
                reply.setJMSCorrelationID(request.getJMSMessageID());
                replies.send(request.getJMSReplyTo(), reply);
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        QueueSession qs = queueConnection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        QueueRequestor requestor = new QueueRequestor(qs, service); // closed with its connection
        TextMessage request = qs.createTextMessage("ping");
        TextMessage reply = (TextMessage) requestor.request(request);
        assertThat(reply.getText()).isEqualTo("re: ping");
        assertThat(reply.getJMSCorrelationID()).isEqualTo(request.getJMSMessageID());
        assertThat(request.getJMSReplyTo()).isInstanceOf(TemporaryQueue.class);
    }

    /**
     * §4.2.2 Topic semantics: each subscription receives its own copy of every message sent after it was created;
     * acknowledging one copy does not acknowledge the other.
     */
    @Test
    void everySubscriptionGetsItsOwnCopy() throws Exception {
        Topic t = session.createTopic(unique("spec4-topic"));
        MessageConsumer one = session.createConsumer(t);
        try (Session client = other.createSession(false, Session.CLIENT_ACKNOWLEDGE)) {
            MessageConsumer two = client.createConsumer(t);
            session.createProducer(t).send(text("news"));
            assertThat(((TextMessage) one.receive(20_000)).getText()).isEqualTo("news");
            Message copy = two.receive(20_000);
            assertThat(((TextMessage) copy).getText()).isEqualTo("news");
            client.recover(); // the second copy is not acknowledged by the first one's AUTO acknowledgement
            Message again = two.receive(20_000);
            assertThat(again).isNotNull();
            assertThat(again.getJMSRedelivered()).isTrue();
            again.acknowledge();
        }
    }

    /**
     * §4.2.4 Subscription name characters and length: Java letters and digits, '_', '.', '-' and up to 128 characters
     * must be allowed.
     */
    @Test
    void subscriptionNamesOfTheRequiredCharactersAndLength() throws Exception {
        Topic t = session.createTopic(unique("spec4-names"));
        String prefix = "Sub_scr.ipt-ion9é";
        String name = prefix + "x".repeat(128 - prefix.length());
        assertThat(name).hasSize(128);
        MessageConsumer shared = session.createSharedDurableConsumer(t, name);
        session.createProducer(t).send(text("named"));
        assertThat(((TextMessage) shared.receive(20_000)).getText()).isEqualTo("named");
        MessageConsumer nonDurable = session.createSharedConsumer(t, name);
        assertThat(nonDurable).isNotNull();
    }
}
