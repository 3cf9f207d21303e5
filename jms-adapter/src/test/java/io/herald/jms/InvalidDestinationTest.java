package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code InvalidDestinationException} (and {@code InvalidDestinationRuntimeException} in the simplified API) at the
 * call for a deleted temporary destination — this connection's or another's — and, on a broker that does not create
 * topics on use, for a destination that does not exist or was deleted; an existing one still loses no message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InvalidDestinationTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension(java.util.Map.of("auto.create.topics.enable", "false"));

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", herald.broker().bootstrap());
        return Admin.create(p);
    }

    private static void createTopic(String name) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDeletedTemporaryQueueOfThisConnectionRefusesSendsProducersAndConsumers() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue tq = s.createTemporaryQueue();
            MessageProducer producer = s.createProducer(tq);
            producer.send(s.createTextMessage("before"));
            tq.delete();

            assertThatThrownBy(() -> producer.send(s.createTextMessage("after")))
                    .isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("deleted");
            assertThatThrownBy(() -> s.createProducer(tq)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createConsumer(tq)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createBrowser(tq)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createProducer(null).send(tq, s.createTextMessage("after")))
                    .isInstanceOf(InvalidDestinationException.class);
        }
    }

    @Test
    void anotherConnectionsDeletedTemporaryTopicRefusesSendsAndConsumersAlsoInTheSimplifiedApi() throws Exception {
        try (Connection owner = herald.factory().createConnection();
                Connection other = herald.factory().createConnection();
                JMSContext context = herald.factory().createContext()) {
            TemporaryTopic tt =
                    owner.createSession(false, Session.AUTO_ACKNOWLEDGE).createTemporaryTopic();
            Session s = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(tt);
            producer.send(s.createTextMessage("while it lives"));
            tt.delete();

            assertThatThrownBy(() -> producer.send(s.createTextMessage("after")))
                    .isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createConsumer(tt)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> context.createProducer().send(tt, "after"))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
            assertThatThrownBy(() -> context.createConsumer(tt)).isInstanceOf(InvalidDestinationRuntimeException.class);
        }
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("no send or consumer recreated the deleted temporary topic")
                    .noneMatch(n -> n.startsWith(DestinationCheck.TEMPORARY_PREFIX));
        }
    }

    @Test
    void aDestinationThatDoesNotExistIsRefusedAtEachCallWhenTheBrokerDoesNotCreateTopics() throws Exception {
        try (Connection c = herald.factory("clientId=" + unique("app")).createConnection();
                JMSContext context = herald.factory().createContext()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue(unique("missing-queue"));
            Topic topic = s.createTopic(unique("missing-topic"));

            assertThatThrownBy(() -> s.createProducer(queue))
                    .isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("does not exist");
            assertThatThrownBy(() -> s.createProducer(null).send(topic, s.createTextMessage("x")))
                    .isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createConsumer(queue)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createBrowser(queue)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createConsumer(topic)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createConsumer(topic, "JMSPriority > 3"))
                    .isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createDurableConsumer(topic, unique("sub")))
                    .isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createSharedConsumer(topic, unique("shared")))
                    .isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> context.createConsumer(queue))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
            assertThatThrownBy(() -> context.createProducer().send(queue, "x"))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
        }
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).noneMatch(n -> n.startsWith("missing-"));
        }
    }

    @Test
    void anExistingTopicWorksAndOnceDeletedASendToItIsRefused() throws Exception {
        String name = unique("existing");
        createTopic(name);
        try (Connection c = herald.factory("connectTimeoutMs=1000").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic(name);
            MessageConsumer subscriber = s.createConsumer(topic);
            MessageProducer producer = s.createProducer(topic);
            producer.send(s.createTextMessage("kept"));
            assertThat(((TextMessage) subscriber.receive(20_000)).getText()).isEqualTo("kept");
            subscriber.close();

            try (Admin admin = admin()) {
                admin.deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> producer.send(s.createTextMessage("gone")))
                    .isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("does not exist");
        }
    }
}
