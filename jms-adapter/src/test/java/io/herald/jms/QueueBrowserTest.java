package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jakarta Messaging 3.1 section 4.1.4 (QueueBrowser): a browser shows the messages of a queue in order without
 * consuming them, filtered by its selector.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueBrowserTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void send(Session s, Queue q, String... texts) throws Exception {
        MessageProducer p = s.createProducer(q);
        for (int i = 0; i < texts.length; i++) {
            TextMessage m = s.createTextMessage(texts[i]);
            m.setIntProperty("n", i);
            p.send(m);
        }
    }

    private static List<String> texts(Enumeration<?> e) throws Exception {
        List<String> out = new ArrayList<>();
        for (Object m : Collections.list(e)) {
            out.add(((TextMessage) m).getText());
        }
        return out;
    }

    @Test
    void aBrowserShowsEveryMessageInOrderAndAgainOnASecondEnumeration() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("browsed"));
            send(s, q, "a", "b", "c", "d");
            QueueBrowser b = s.createBrowser(q);

            assertThat(b.getQueue()).isEqualTo(q);
            assertThat(b.getMessageSelector()).isNull();
            assertThat(texts(b.getEnumeration())).containsExactly("a", "b", "c", "d");
            assertThat(texts(b.getEnumeration())).containsExactly("a", "b", "c", "d");
        }
    }

    @Test
    void aBrowsedMessageLooksAsAConsumerWouldReceiveIt() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("looks"));
            TextMessage sent = s.createTextMessage("hello");
            sent.setStringProperty("color", "red");
            sent.setJMSCorrelationID("corr-1");
            s.createProducer(q).send(sent);

            Message m = (Message) s.createBrowser(q).getEnumeration().nextElement();

            assertThat(m.getJMSMessageID()).isEqualTo(sent.getJMSMessageID());
            assertThat(m.getJMSCorrelationID()).isEqualTo("corr-1");
            assertThat(m.getStringProperty("color")).isEqualTo("red");
            assertThat(m.getJMSDestination()).isEqualTo(q);
            assertThat(m.getBody(String.class)).isEqualTo("hello");
        }
    }

    @Test
    void aSelectorShowsOnlyTheMessagesItSelects() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("filtered"));
            send(s, q, "zero", "one", "two", "three", "four");

            QueueBrowser b = s.createBrowser(q, "n > 0 AND n <> 3");

            assertThat(b.getMessageSelector()).isEqualTo("n > 0 AND n <> 3");
            assertThat(texts(b.getEnumeration())).containsExactly("one", "two", "four");
        }
    }

    @Test
    void browsingConsumesNothingAConsumerStillReceivesEveryMessage() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("kept"));
            send(s, q, "a", "b", "c");
            assertThat(texts(s.createBrowser(q).getEnumeration())).containsExactly("a", "b", "c");

            MessageConsumer consumer = s.createConsumer(q);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                received.add(((TextMessage) consumer.receive(20_000)).getText());
            }
            assertThat(received).containsExactly("a", "b", "c");
        }
    }

    @Test
    void consumedMessagesAreNoLongerShown() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("taken"));
            send(s, q, "a", "b", "c", "d");
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(((TextMessage) consumer.receive(20_000)).getText()).isEqualTo("a");
            assertThat(((TextMessage) consumer.receive(20_000)).getText()).isEqualTo("b");
            consumer.close();

            // The acknowledgements reach the broker with the consumer's close; the browser starts at the queue's
            // start offset (DescribeShareGroupOffsets), past what was acknowledged.
            QueueBrowser b = s.createBrowser(q);
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(texts(b.getEnumeration())).containsExactly("c", "d"));
        }
    }

    @Test
    void anEnumerationIsASnapshotOfWhenItBegan() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("snapshot"));
            send(s, q, "before");
            Enumeration<?> e = s.createBrowser(q).getEnumeration();
            send(s, q, "after");

            assertThat(texts(e)).containsExactly("before");
        }
    }

    @Test
    void anEmptyQueueShowsNothing() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("empty"));

            assertThat(s.createBrowser(q).getEnumeration().hasMoreElements()).isFalse();
        }
    }

    @Test
    void anInvalidSelectorIsRefusedAtCreationWithInvalidSelectorException() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("invalid"));

            assertThatThrownBy(() -> s.createBrowser(q, "color = ")).isInstanceOf(InvalidSelectorException.class);
        }
    }

    @Test
    void aClosedBrowserRefusesUseAndItsEnumerationEnds() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("closed"));
            send(s, q, "a", "b");
            QueueBrowser b = s.createBrowser(q);
            Enumeration<?> e = b.getEnumeration();

            b.close();
            b.close();

            assertThat(e.hasMoreElements()).isFalse();
            assertThatThrownBy(b::getEnumeration).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(b::getQueue).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closingTheSessionClosesItsBrowsers() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(unique("session"));
            QueueBrowser b = s.createBrowser(q);

            s.close();

            assertThatThrownBy(b::getEnumeration).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theSimplifiedApiBrowsesToo() throws Exception {
        try (JMSContext ctx = herald.factory().createContext()) {
            Queue q = ctx.createQueue(unique("context"));
            ctx.createProducer().send(q, "x").send(q, "y");

            assertThat(texts(ctx.createBrowser(q).getEnumeration())).containsExactly("x", "y");
            assertThat(texts(ctx.createBrowser(q, "JMSPriority = 4").getEnumeration()))
                    .containsExactly("x", "y");
        }
    }
}
