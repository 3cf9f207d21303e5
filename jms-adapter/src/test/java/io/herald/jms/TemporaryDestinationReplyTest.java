package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request/reply on a broker that creates topics on use (the default): a reply to a temporary queue whose connection
 * deleted it fails at once with {@code InvalidDestinationException}, blocking or asynchronous — the broker does not
 * bring the queue back, and says it is gone — without the replier asking the broker before any reply.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TemporaryDestinationReplyTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    /** Sends a request of {@code requester} asking for a reply to {@code replies}, as the replier got it. */
    private static Message request(Connection requester, TemporaryQueue replies, Connection replier) throws Exception {
        String service = "service-" + UUID.randomUUID().toString().substring(0, 8);
        Session rs = replier.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer requests = rs.createConsumer(rs.createQueue(service));
        Session qs = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TextMessage request = qs.createTextMessage("ping");
        request.setJMSReplyTo(replies);
        qs.createProducer(qs.createQueue(service)).send(request);
        Message received = requests.receive(30_000);
        assertThat(received).isNotNull();
        assertThat(received.getJMSReplyTo()).isEqualTo(replies);
        return received;
    }

    private static void assertNoTemporaryTopicLeft() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", herald.broker().bootstrap());
        try (Admin admin = Admin.create(p)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("no reply recreated the deleted temporary queue")
                    .noneMatch(n -> n.startsWith(DestinationCheck.TEMPORARY_PREFIX));
        }
    }

    @Test
    void aReplyToATemporaryQueueDeletedWithItsConnectionIsAnInvalidDestination() throws Exception {
        try (Connection replier = herald.factory().createConnection();
                JMSContext context = herald.factory().createContext()) {
            replier.start();
            Destination replyTo;
            try (Connection requester = herald.factory().createConnection()) {
                TemporaryQueue replies =
                        requester.createSession(false, Session.AUTO_ACKNOWLEDGE).createTemporaryQueue();
                replyTo = request(requester, replies, replier).getJMSReplyTo();
            }
            Session s = replier.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(null);

            assertThatThrownBy(() -> producer.send(replyTo, s.createTextMessage("pong")))
                    .isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("deleted");
            assertThatThrownBy(() -> context.createProducer().send(replyTo, "pong"))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
        }
        assertNoTemporaryTopicLeft();
    }

    @Test
    void repliesToATemporaryQueueDeletedAfterAnEarlierReplyFailAtOnce() throws Exception {
        // The replier's producer would retry an unknown topic for 3 x 30 s, longer than this test may run: only the
        // broker's answer that the topic is gone for good lets these sends fail in time.
        try (Connection replier = herald.factory("connectTimeoutMs=30000").createConnection();
                Connection requester = herald.factory().createConnection()) {
            replier.start();
            requester.start();
            TemporaryQueue replies =
                    requester.createSession(false, Session.AUTO_ACKNOWLEDGE).createTemporaryQueue();
            Destination replyTo = request(requester, replies, replier).getJMSReplyTo();
            Session s = replier.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(null);
            producer.send(replyTo, s.createTextMessage("pong"));
            MessageConsumer replyConsumer =
                    requester.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(replies);
            assertThat(((TextMessage) replyConsumer.receive(30_000)).getText()).isEqualTo("pong");
            replyConsumer.close();
            replies.delete();

            assertThatThrownBy(() -> producer.send(replyTo, s.createTextMessage("late pong")))
                    .isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("deleted");
            SendOutcome outcome = new SendOutcome();
            producer.send(replyTo, s.createTextMessage("later pong"), outcome);

            assertThat(outcome.failure().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("deleted");
        }
        assertNoTemporaryTopicLeft();
    }
}
