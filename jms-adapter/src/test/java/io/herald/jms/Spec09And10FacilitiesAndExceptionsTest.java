package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conformance, Jakarta Messaging 3.1 chapter 9 "Other Jakarta Messaging facilities" (method inheritance across
 * messaging domains, table 9-1) and chapter 10 "Jakarta Messaging exceptions" (the checked exceptions of the classic
 * API and their unchecked counterparts in the simplified API), through a real broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Spec09And10FacilitiesAndExceptionsTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static QueueConnection queueConnection;
    private static TopicConnection topicConnection;
    private static JMSContext context;

    @BeforeAll
    static void connect() throws Exception {
        queueConnection = herald.factory().createQueueConnection();
        topicConnection = herald.factory().createTopicConnection();
        context = herald.factory().createContext();
    }

    @AfterAll
    static void close() throws Exception {
        context.close();
        topicConnection.close();
        queueConnection.close();
    }

    /**
     * §9.2 Method inheritance across messaging domains, table 9-1: a QueueSession refuses the topic methods it
     * inherits from Session with IllegalStateException.
     */
    @Test
    void aQueueSessionRefusesTopicMethods() throws Exception {
        QueueSession s = queueConnection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = context.createTopic("spec9-topic");
        assertThatThrownBy(() -> s.createDurableSubscriber(t, "d")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.createDurableSubscriber(t, "d", null, false))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.createDurableConsumer(t, "d")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.createSharedConsumer(t, "d")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.createSharedDurableConsumer(t, "d")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::createTemporaryTopic).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.createTopic("t")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.unsubscribe("d")).isInstanceOf(IllegalStateException.class);
        assertThat(s.createQueue("spec9-queue")).isInstanceOf(Queue.class);
    }

    /** §9.2 table 9-1: a TopicSession refuses the queue methods it inherits from Session with IllegalStateException. */
    @Test
    void aTopicSessionRefusesQueueMethods() throws Exception {
        TopicSession s = topicConnection.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = context.createQueue("spec9-queue");
        assertThatThrownBy(() -> s.createBrowser(q)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.createBrowser(q, "a = 1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.createQueue("q")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::createTemporaryQueue).isInstanceOf(IllegalStateException.class);
        assertThat(s.createTopic("spec9-topic")).isInstanceOf(Topic.class);
    }

    /**
     * §10.3 Standard exceptions: InvalidClientIDException for a client id the provider rejects,
     * InvalidDestinationException for a null destination.
     */
    @Test
    void standardCheckedExceptions() throws Exception {
        try (QueueConnection c = herald.factory().createQueueConnection()) {
            assertThatThrownBy(() -> c.setClientID("")).isInstanceOf(InvalidClientIDException.class);
            Session s = c.createSession();
            assertThatThrownBy(() -> s.createConsumer(null)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createProducer(null).send(null, s.createMessage()))
                    .isInstanceOf(InvalidDestinationException.class);
        }
    }

    /**
     * §10.2 JMSException and JMSRuntimeException: the simplified API throws the unchecked counterpart of each
     * checked exception (InvalidClientIDRuntimeException, InvalidDestinationRuntimeException,
     * InvalidSelectorRuntimeException, MessageFormatRuntimeException, MessageNotWriteableRuntimeException,
     * IllegalStateRuntimeException), all of them JMSRuntimeExceptions.
     */
    @Test
    void theSimplifiedApiThrowsTheUncheckedCounterparts() throws Exception {
        try (JMSContext fresh = herald.factory().createContext()) {
            assertThatThrownBy(() -> fresh.setClientID(" ")).isInstanceOf(InvalidClientIDRuntimeException.class);
        }
        Queue q = context.createQueue("spec10-" + UUID.randomUUID().toString().substring(0, 8));
        assertThatThrownBy(() -> context.createProducer().send(null, "x"))
                .isInstanceOf(InvalidDestinationRuntimeException.class);
        assertThatThrownBy(() -> context.createConsumer(null)).isInstanceOf(InvalidDestinationRuntimeException.class);
        assertThatThrownBy(() -> context.createConsumer(q, "a = ")).isInstanceOf(InvalidSelectorRuntimeException.class);
        assertThatThrownBy(() -> context.createProducer().setProperty("bad", new Object()))
                .isInstanceOf(MessageFormatRuntimeException.class);

        context.createProducer().send(q, "read-only properties");
        Message received = context.createConsumer(q).receive(20_000);
        assertThatThrownBy(
                        () -> context.createProducer().setProperty("added", 1).send(q, received))
                .isInstanceOf(MessageNotWriteableRuntimeException.class);

        JMSContext closed = context.createContext(JMSContext.AUTO_ACKNOWLEDGE);
        closed.close();
        assertThatThrownBy(() -> closed.createTextMessage("x"))
                .isInstanceOf(IllegalStateRuntimeException.class)
                .isInstanceOf(JMSRuntimeException.class);
    }
}
