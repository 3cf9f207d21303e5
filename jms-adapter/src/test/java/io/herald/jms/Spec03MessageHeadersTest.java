package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conformance, Jakarta Messaging 3.1 §3.4 "Message header fields": what send sets, what the receiver sees, through a
 * real broker. Each test names the section whose rule it checks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Spec03MessageHeadersTest {

    @RegisterExtension
    static final BrokerClientExtension herald = new BrokerClientExtension();

    private static Queue queue;
    private static MessageConsumer consumer;

    @BeforeAll
    static void prepare() throws Exception {
        queue = herald.queue("spec3-headers");
        consumer = herald.session().createConsumer(queue);
    }

    private static Message receive() throws Exception {
        Message m = consumer.receive(20_000);
        assertThat(m).as("message received").isNotNull();
        return m;
    }

    /**
     * §3.4.3 JMSMessageID: set by send (a value set before is ignored), starts with "ID:", unique per message, and
     * the receiver sees the same value.
     */
    @Test
    void sendAssignsAUniqueMessageIdWithTheIdPrefix() throws Exception {
        MessageProducer producer = herald.session().createProducer(queue);
        TextMessage first = herald.session().createTextMessage("one");
        first.setJMSMessageID("ID:set-by-the-client");
        TextMessage second = herald.session().createTextMessage("two");
        producer.send(first);
        producer.send(second);

        assertThat(first.getJMSMessageID()).startsWith("ID:").isNotEqualTo("ID:set-by-the-client");
        assertThat(second.getJMSMessageID()).startsWith("ID:").isNotEqualTo(first.getJMSMessageID());
        assertThat(receive().getJMSMessageID()).isEqualTo(first.getJMSMessageID());
        assertThat(receive().getJMSMessageID()).isEqualTo(second.getJMSMessageID());
    }

    /**
     * §3.4.3 and §3.4.4: with setDisableMessageID/setDisableMessageTimestamp the provider either accepts the hint (ID
     * null, timestamp 0) or ignores it (normal values); either way sender and receiver agree.
     */
    @Test
    void disabledMessageIdAndTimestampAreNullAndZeroOrNormal() throws Exception {
        MessageProducer producer = herald.session().createProducer(queue);
        producer.setDisableMessageID(true);
        producer.setDisableMessageTimestamp(true);
        assertThat(producer.getDisableMessageID()).isTrue();
        assertThat(producer.getDisableMessageTimestamp()).isTrue();
        Message sent = herald.session().createMessage();
        producer.send(sent);

        if (sent.getJMSMessageID() != null) {
            assertThat(sent.getJMSMessageID()).startsWith("ID:");
        }
        assertThat(sent.getJMSTimestamp() == 0 || sent.getJMSTimestamp() > 0).isTrue();
        Message got = receive();
        assertThat(got.getJMSMessageID()).isEqualTo(sent.getJMSMessageID());
        assertThat(got.getJMSTimestamp()).isEqualTo(sent.getJMSTimestamp());
    }

    /** §3.4.4 JMSTimestamp: a time between the call of send and its return, in Java millis; the receiver sees it. */
    @Test
    void timestampLiesBetweenTheCallAndTheReturnOfSend() throws Exception {
        MessageProducer producer = herald.session().createProducer(queue);
        Message sent = herald.session().createMessage();
        sent.setJMSTimestamp(1L);
        long before = System.currentTimeMillis();
        producer.send(sent);
        long after = System.currentTimeMillis();

        assertThat(sent.getJMSTimestamp()).isBetween(before, after);
        assertThat(receive().getJMSTimestamp()).isEqualTo(sent.getJMSTimestamp());
    }

    /**
     * §3.4.9 JMSExpiration: zero when the time-to-live is zero; otherwise the send time plus the time-to-live, and the
     * receiver sees the same value.
     */
    @Test
    void expirationIsZeroWithoutTimeToLiveAndSendTimePlusTimeToLiveWithIt() throws Exception {
        MessageProducer producer = herald.session().createProducer(queue);
        Message forever = herald.session().createMessage();
        forever.setJMSExpiration(12345L);
        producer.send(forever);
        assertThat(forever.getJMSExpiration()).isZero();
        assertThat(receive().getJMSExpiration()).isZero();

        Message limited = herald.session().createMessage();
        long before = System.currentTimeMillis();
        producer.send(limited, DeliveryMode.PERSISTENT, 4, 60_000);
        long after = System.currentTimeMillis();
        assertThat(limited.getJMSExpiration()).isBetween(before + 60_000, after + 60_000);
        assertThat(receive().getJMSExpiration()).isEqualTo(limited.getJMSExpiration());
    }

    /**
     * §3.4.2 JMSDeliveryMode, §3.4.10 JMSPriority and §3.4.11: values set on the message before send are ignored and
     * overwritten by the ones of the sending method; the receiver sees those.
     */
    @Test
    void deliveryModeAndPriorityComeFromTheSendMethodNotFromTheMessage() throws Exception {
        MessageProducer producer = herald.session().createProducer(queue);
        Message sent = herald.session().createMessage();
        sent.setJMSDeliveryMode(DeliveryMode.PERSISTENT);
        sent.setJMSPriority(9);
        producer.send(sent, DeliveryMode.NON_PERSISTENT, 2, 0);

        assertThat(sent.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(sent.getJMSPriority()).isEqualTo(2);
        Message got = receive();
        assertThat(got.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(got.getJMSPriority()).isEqualTo(2);
    }

    /** §3.4.1 JMSDestination: ignored on send, then the destination of the sending method, equal on receipt. */
    @Test
    void destinationIsTheOneSentTo() throws Exception {
        MessageProducer producer = herald.session().createProducer(null);
        Message sent = herald.session().createMessage();
        sent.setJMSDestination(herald.session().createQueue("somewhere-else"));
        producer.send(queue, sent);

        assertThat(sent.getJMSDestination()).isEqualTo(queue);
        assertThat(receive().getJMSDestination()).isEqualTo(queue);
    }

    /**
     * §3.4.13 JMSDeliveryTime: the send time plus the producer's delivery delay (the send time itself without one); the
     * receiver sees the same value.
     */
    @Test
    void deliveryTimeIsSendTimePlusDeliveryDelay() throws Exception {
        MessageProducer producer = herald.session().createProducer(queue);
        Message now = herald.session().createMessage();
        long before = System.currentTimeMillis();
        producer.send(now);
        long after = System.currentTimeMillis();
        assertThat(now.getJMSDeliveryTime()).isBetween(before, after);
        assertThat(receive().getJMSDeliveryTime()).isEqualTo(now.getJMSDeliveryTime());

        producer.setDeliveryDelay(300);
        Message later = herald.session().createMessage();
        before = System.currentTimeMillis();
        producer.send(later);
        after = System.currentTimeMillis();
        assertThat(later.getJMSDeliveryTime()).isBetween(before + 300, after + 300);
        Message got = receive();
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(later.getJMSDeliveryTime());
        assertThat(got.getJMSDeliveryTime()).isEqualTo(later.getJMSDeliveryTime());
    }

    /**
     * §3.4.5 JMSCorrelationID (as String and as bytes), §3.4.6 JMSReplyTo and §3.4.8 JMSType: set by the client and
     * carried unchanged to the receiver.
     */
    @Test
    void clientSetHeadersArriveUnchanged() throws Exception {
        MessageProducer producer = herald.session().createProducer(queue);
        Queue replyTo = herald.session().createQueue("spec3-replies");
        Message text = herald.session().createMessage();
        text.setJMSCorrelationID("order-42");
        text.setJMSReplyTo(replyTo);
        text.setJMSType("car");
        producer.send(text);
        Message bytes = herald.session().createMessage();
        bytes.setJMSCorrelationIDAsBytes("native".getBytes(StandardCharsets.UTF_8));
        producer.send(bytes);
        Message none = herald.session().createMessage();
        producer.send(none);

        Message got = receive();
        assertThat(got.getJMSCorrelationID()).isEqualTo("order-42");
        assertThat(got.getJMSReplyTo()).isEqualTo(replyTo);
        assertThat(got.getJMSType()).isEqualTo("car");
        assertThat(receive().getJMSCorrelationIDAsBytes()).isEqualTo("native".getBytes(StandardCharsets.UTF_8));
        Message empty = receive();
        assertThat(empty.getJMSCorrelationID()).isNull();
        assertThat(empty.getJMSReplyTo()).isNull();
        assertThat(empty.getJMSType()).isNull();
    }

    /**
     * §3.4.7 JMSRedelivered and §3.5.11 JMSXDeliveryCount: false and 1 on first delivery; after recover, true and 2
     * (a redelivered message always has a count of 2 or more).
     */
    @Test
    void redeliveredFlagAndDeliveryCountFollowRecovery() throws Exception {
        Queue q = herald.queue("spec3-redelivered");
        try (Session client = herald.connection().createSession(false, Session.CLIENT_ACKNOWLEDGE)) {
            client.createProducer(q).send(client.createTextMessage("again"));
            MessageConsumer c = client.createConsumer(q);
            Message first = c.receive(20_000);
            assertThat(first.getJMSRedelivered()).isFalse();
            assertThat(first.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            client.recover();
            Message second = c.receive(20_000);
            assertThat(second).isNotNull();
            assertThat(second.getJMSMessageID()).isEqualTo(first.getJMSMessageID());
            assertThat(second.getJMSRedelivered()).isTrue();
            assertThat(second.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            second.acknowledge();
        }
    }

    /** §3.10: the header fields of a received message can be changed (only body and properties are read-only). */
    @Test
    void headersOfAReceivedMessageAreWritable() throws Exception {
        herald.session().createProducer(queue).send(herald.session().createBytesMessage());
        BytesMessage got = (BytesMessage) receive();
        got.setJMSType("changed");
        got.setJMSCorrelationID("changed");
        got.setJMSPriority(7);
        assertThat(got.getJMSType()).isEqualTo("changed");
        assertThat(got.getJMSCorrelationID()).isEqualTo("changed");
        assertThat(got.getJMSPriority()).isEqualTo(7);
    }
}
