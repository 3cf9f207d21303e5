package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conformance, Jakarta Messaging 3.1 chapter 8 "Receiving messages": synchronous receives, receiveBody, listeners
 * that throw, closing a consumer, shared subscriptions, through a real broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Spec08ReceivingMessagesTest {

    @RegisterExtension
    static final BrokerClientExtension herald = new BrokerClientExtension();

    /** §8.5 Receiving messages synchronously: receiveNoWait and receive(timeout) return null when nothing comes. */
    @Test
    void receivesReturnNullWhenNothingComes() throws Exception {
        MessageConsumer consumer = herald.session().createConsumer(herald.queue("spec8-empty"));
        assertThat(consumer.receiveNoWait()).isNull();
        long start = System.currentTimeMillis();
        assertThat(consumer.receive(200)).isNull();
        assertThat(System.currentTimeMillis() - start).isGreaterThanOrEqualTo(200);
    }

    /**
     * §8.6 Receiving message bodies synchronously: receiveBody returns the body of a text (String), bytes (byte[]),
     * map (Map) and object (Serializable) message; receiveBodyNoWait returns null when nothing is there.
     */
    @Test
    void receiveBodyReturnsTheBody() throws Exception {
        Queue q = herald.queue("spec8-body");
        JMSConsumer consumer = herald.context().createConsumer(q);
        assertThat(consumer.receiveBodyNoWait(String.class)).isNull();
        herald.context()
                .createProducer()
                .send(q, "text")
                .send(q, new byte[] {1, 2})
                .send(q, Map.of("k", 1))
                .send(q, (Serializable) List.of("object"));
        assertThat(consumer.receiveBody(String.class, 20_000)).isEqualTo("text");
        assertThat(consumer.receiveBody(byte[].class, 20_000)).containsExactly(1, 2);
        assertThat(consumer.receiveBody(Map.class, 20_000)).containsEntry("k", 1);
        assertThat(consumer.receiveBody(Serializable.class)).isEqualTo(List.of("object"));
    }

    /**
     * §8.6: a body that cannot be assigned to the type asked for, a StreamMessage or a message without body throws
     * MessageFormatRuntimeException; in AUTO_ACKNOWLEDGE mode the message is then delivered again before any other,
     * and this is not a redelivery (JMSRedelivered false, JMSXDeliveryCount unchanged).
     */
    @Test
    void receiveBodyOfTheWrongTypeLeavesTheMessageForTheNextReceive() throws Exception {
        Queue q = herald.queue("spec8-wrong-body");
        JMSConsumer consumer = herald.context().createConsumer(q);
        herald.context().createProducer().send(q, "text").send(q, "after");
        assertThatThrownBy(() -> consumer.receiveBody(Integer.class, 20_000))
                .isInstanceOf(MessageFormatRuntimeException.class);
        Message again = consumer.receive(20_000);
        assertThat(again.getBody(String.class)).isEqualTo("text");
        assertThat(again.getJMSRedelivered()).isFalse();
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        assertThat(consumer.receiveBody(String.class, 20_000)).isEqualTo("after");

        StreamMessage stream = herald.context().createStreamMessage();
        stream.writeInt(1);
        herald.context()
                .createProducer()
                .send(q, stream)
                .send(q, herald.context().createMessage());
        assertThatThrownBy(() -> consumer.receiveBody(Object.class, 20_000))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThat(consumer.receive(20_000)).isInstanceOf(StreamMessage.class);
        assertThatThrownBy(() -> consumer.receiveBody(Object.class, 20_000))
                .isInstanceOf(MessageFormatRuntimeException.class);
        Message plain = consumer.receive(20_000);
        assertThat(plain).isNotInstanceOfAny(TextMessage.class, BytesMessage.class, MapMessage.class);
    }

    /**
     * §8.7 Receiving messages asynchronously: a listener that throws a RuntimeException in AUTO_ACKNOWLEDGE mode gets
     * the message again at once, flagged JMSRedelivered with JMSXDeliveryCount 2.
     */
    @Test
    void aListenerThatThrowsGetsTheMessageAgain() throws Exception {
        Queue q = herald.queue("spec8-listener");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Session listening = herald.connection().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            listening.createConsumer(q).setMessageListener(m -> {
                try {
                    seen.add(m.getJMSRedelivered() + "/" + m.getIntProperty("JMSXDeliveryCount"));
                } catch (JMSException e) {
                    seen.add(e.toString());
                }
                if (seen.size() == 1) {
                    throw new RuntimeException("first delivery fails");
                }
            });
            herald.session().createProducer(q).send(herald.session().createTextMessage("retry me"));
            await().atMost(java.time.Duration.ofSeconds(20)).until(() -> seen.size() >= 2);
        }
        assertThat(seen).containsExactly("false/1", "true/2");
    }

    /**
     * §8.8 Closing a consumer: a receive blocked in another thread returns null; afterwards the consumer throws
     * IllegalStateException; its close is idempotent; in CLIENT_ACKNOWLEDGE mode a message received before the close
     * can still be acknowledged (acknowledgement belongs to the session), and then is not delivered again.
     */
    @Test
    void closingAConsumer() throws Exception {
        Queue q = herald.queue("spec8-close");
        herald.session().createProducer(q).send(herald.session().createTextMessage("acked after close"));
        Session client = herald.connection().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = client.createConsumer(q);
        Message m = consumer.receive(20_000);
        assertThat(m).isNotNull();
        MessageConsumer blocked = herald.session().createConsumer(herald.queue("spec8-close-empty"));
        CompletableFuture<Message> pending = BlockedReceive.start(blocked);
        blocked.close();
        assertThat(pending.get(20, TimeUnit.SECONDS)).isNull();
        assertThatThrownBy(() -> blocked.receive(10)).isInstanceOf(IllegalStateException.class);
        blocked.close();

        consumer.close();
        m.acknowledge();
        client.close();
        assertThat(herald.session().createConsumer(q).receive(300)).isNull();
    }

    /**
     * §8.3.2 Shared non-durable subscriptions: consumers on the same subscription name share its messages (each
     * message goes to one of them), while another subscription gets its own copy.
     */
    @Test
    void aSharedSubscriptionSharesItsMessages() throws Exception {
        Topic t = herald.session()
                .createTopic("spec8-shared-" + UUID.randomUUID().toString().substring(0, 8));
        MessageConsumer first = herald.session().createSharedConsumer(t, "workers");
        Session otherSession = herald.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer second = otherSession.createSharedConsumer(t, "workers");
        MessageConsumer everything = otherSession.createConsumer(t);
        MessageProducer producer = herald.session().createProducer(t);
        for (int i = 0; i < 6; i++) {
            producer.send(herald.session().createTextMessage("w" + i));
        }
        List<String> shared = new CopyOnWriteArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (shared.size() < 6 && System.currentTimeMillis() < deadline) {
            for (MessageConsumer c : List.of(first, second)) {
                Message m = c.receive(100);
                if (m != null) {
                    shared.add(((TextMessage) m).getText());
                }
            }
        }
        assertThat(shared).hasSize(6).doesNotHaveDuplicates();
        for (int i = 0; i < 6; i++) {
            assertThat(((TextMessage) everything.receive(20_000)).getText()).isEqualTo("w" + i);
        }
    }
}
