package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jakarta Messaging 3.1 §8.3.2-§8.3.4: a consumer that names an existing durable or shared subscription with another
 * topic, selector or noLocal is refused while the subscription has an active consumer, on any connection, and
 * otherwise replaces it: the old subscription's messages are gone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubscriptionChangeTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void publish(Session s, Topic t, String text) throws JMSException {
        MessageProducer p = s.createProducer(t);
        p.send(s.createTextMessage(text));
        p.close();
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    @Test
    void aSharedDurableSubscriptionMovesToAnotherTopicOnlyWhenNoConsumerIsActive() throws Exception {
        String name = unique("moving");
        try (Connection c1 = herald.factory().createConnection();
                Connection c2 = herald.factory().createConnection()) {
            c1.start();
            c2.start();
            Session s1 = c1.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session s2 = c2.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic first = s1.createTopic(unique("first"));
            Topic second = s1.createTopic(unique("second"));
            MessageConsumer active = s1.createSharedDurableConsumer(first, name);
            // another connection, so only the broker knows the subscription's topic
            assertThatThrownBy(() -> s2.createSharedDurableConsumer(second, name))
                    .isInstanceOf(JMSException.class)
                    .hasMessageContaining("active consumer");
            active.close();
            publish(s1, first, "before the change");

            MessageConsumer moved = s2.createSharedDurableConsumer(second, name);
            publish(s1, first, "old topic");
            publish(s1, second, "new topic");
            assertThat(text(moved.receive(10_000))).isEqualTo("new topic");
            assertThat(moved.receive(500)).isNull();
            moved.close();

            // back on the first topic: a new subscription, so what the old one kept there is gone
            MessageConsumer back = s1.createSharedDurableConsumer(first, name);
            publish(s1, first, "after moving back");
            assertThat(text(back.receive(10_000))).isEqualTo("after moving back");
            assertThat(back.receive(500)).isNull();
        }
    }

    @Test
    void aSharedDurableConsumerWithAnotherSelectorIsRefusedWhileTheSameSelectorShares() throws Exception {
        try (Connection c =
                herald.factory("clientId=" + unique("app") + "&prefetch=1").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(unique("orders"));
            MessageConsumer a = s.createSharedDurableConsumer(t, "big", "size > 10");
            assertThatThrownBy(() -> s.createSharedDurableConsumer(t, "big", "size > 20"))
                    .isInstanceOf(JMSException.class)
                    .hasMessageContaining("size > 10");
            assertThatThrownBy(() -> s.createSharedDurableConsumer(t, "big")).isInstanceOf(JMSException.class);
            MessageConsumer b = s.createSharedDurableConsumer(t, "big", "size > 10");
            MessageProducer p = s.createProducer(t);
            for (int i = 0; i < 4; i++) {
                TextMessage m = s.createTextMessage("m" + i);
                m.setIntProperty("size", i % 2 == 0 ? 5 : 50);
                p.send(m);
            }
            int got = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (got < 2 && System.currentTimeMillis() < deadline) {
                for (MessageConsumer mc : new MessageConsumer[] {a, b}) {
                    Message m = mc.receive(100);
                    if (m != null) {
                        assertThat(m.getIntProperty("size")).isEqualTo(50);
                        got++;
                    }
                }
            }
            assertThat(got).isEqualTo(2);
            assertThat(a.receive(300)).isNull();
            assertThat(b.receive(300)).isNull();
        }
    }

    @Test
    void anUnsharedDurableSubscriptionIsReplacedByOneOnAnotherTopicAfterItsConsumerClosed() throws Exception {
        String clientId = unique("mover");
        String firstName = unique("first");
        try (Connection c = herald.factory("clientId=" + clientId).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic first = s.createTopic(firstName);
            s.createDurableConsumer(first, "sub").close();
            publish(s, first, "kept for the old subscription");
        }
        // another connection (the same client id): the old topic is known from the broker only
        try (Connection c = herald.factory("clientId=" + clientId).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic first = s.createTopic(firstName);
            Topic second = s.createTopic(unique("second"));
            MessageConsumer moved = s.createDurableConsumer(second, "sub");
            publish(s, second, "new topic");
            assertThat(text(moved.receive(10_000))).isEqualTo("new topic");
            assertThat(moved.receive(500)).isNull();
            moved.close();
            MessageConsumer back = s.createDurableConsumer(first, "sub");
            publish(s, first, "after moving back");
            assertThat(text(back.receive(10_000))).isEqualTo("after moving back");
            assertThat(back.receive(500)).isNull();
        }
    }

    @Test
    void aJmsContextGetsTheRuntimeExceptionForAnotherTopicWhileActive() {
        String name = unique("ctx");
        try (JMSContext ctx = herald.factory().createContext();
                JMSContext other = herald.factory().createContext()) {
            Topic first = ctx.createTopic(unique("first"));
            Topic second = ctx.createTopic(unique("second"));
            ctx.createSharedDurableConsumer(first, name);
            assertThatThrownBy(() -> other.createSharedDurableConsumer(second, name))
                    .isInstanceOf(JMSRuntimeException.class)
                    .hasMessageContaining("active consumer");
        }
    }

    private static void publish(Session s, Topic t, String text, int a) throws JMSException {
        MessageProducer p = s.createProducer(t);
        TextMessage m = s.createTextMessage(text);
        m.setIntProperty("a", a);
        p.send(m);
        p.close();
    }

    @Test
    void aSharedConsumerWithAnotherSelectorOnAnotherConnectionIsRefusedWhileOneIsActiveAndTheSameOneShares() {
        String durable = unique("durable");
        String nonDurable = unique("non-durable");
        try (JMSContext ctx = herald.factory().createContext();
                JMSContext other = herald.factory().createContext()) {
            Topic t = ctx.createTopic(unique("orders"));
            ctx.createSharedDurableConsumer(t, durable, "a >= 1");
            ctx.createSharedConsumer(t, nonDurable, "a >= 1");

            // no client id: only the broker knows the other connection's selector
            assertThatThrownBy(() -> other.createSharedDurableConsumer(t, durable, "a >= 2"))
                    .isInstanceOf(JMSRuntimeException.class)
                    .hasMessageContaining("active consumer")
                    .hasMessageContaining("a >= 1");
            assertThatThrownBy(() -> other.createSharedDurableConsumer(t, durable))
                    .isInstanceOf(JMSRuntimeException.class);
            assertThatThrownBy(() -> other.createSharedConsumer(t, nonDurable, "a >= 2"))
                    .isInstanceOf(JMSRuntimeException.class)
                    .hasMessageContaining("active consumer");
            other.createSharedDurableConsumer(t, durable, "a >= 1");
            other.createSharedConsumer(t, nonDurable, "a >= 1");
        }
    }

    @Test
    void aSharedDurableSubscriptionReopenedWithAnotherSelectorByAFreshConnectionIsReplaced() throws Exception {
        String name = unique("filtered");
        String topic = unique("orders");
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createSharedDurableConsumer(s.createTopic(topic), name, "a >= 1").close();
            publish(s, s.createTopic(topic), "kept", 5);
        }
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(topic);
            MessageConsumer same = s.createSharedDurableConsumer(t, name, "a >= 1");
            assertThat(text(same.receive(10_000)))
                    .as("the same selector: the same subscription")
                    .isEqualTo("kept");
            same.close();
            publish(s, t, "matches both selectors, kept by the old subscription", 5);
        }
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(topic);
            MessageConsumer replaced = s.createSharedDurableConsumer(t, name, "a >= 2");
            publish(s, t, "after the change", 5);
            assertThat(text(replaced.receive(10_000))).isEqualTo("after the change");
        }
    }

    @Test
    void anUnsharedDurableSubscriptionReopenedWithAnotherNoLocalOrSelectorIsReplaced() throws Exception {
        String clientId = unique("app");
        String topic = unique("news");
        try (Connection c = herald.factory("clientId=" + clientId).createConnection();
                Connection publisher = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session ps = publisher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableSubscriber(s.createTopic(topic), "sub", null, false).close();
            publish(ps, ps.createTopic(topic), "kept before noLocal", 5);
        }
        try (Connection c = herald.factory("clientId=" + clientId).createConnection();
                Connection publisher = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session ps = publisher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(topic);
            MessageConsumer noLocal = s.createDurableSubscriber(t, "sub", null, true);
            publish(ps, ps.createTopic(topic), "after noLocal", 5);
            assertThat(text(noLocal.receive(10_000))).isEqualTo("after noLocal");
            noLocal.close();
            publish(ps, ps.createTopic(topic), "kept before the selector", 5);

            MessageConsumer selective = s.createDurableSubscriber(t, "sub", "a >= 1", true);
            publish(ps, ps.createTopic(topic), "after the selector", 5);
            assertThat(text(selective.receive(10_000))).isEqualTo("after the selector");
        }
    }
}
