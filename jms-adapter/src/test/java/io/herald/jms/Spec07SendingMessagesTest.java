package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conformance, Jakarta Messaging 3.1 chapter 7 "Sending messages": producers, synchronous and asynchronous send,
 * delivery options, JMSProducer properties and headers, delivery mode, time-to-live and delivery delay, through a
 * real broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Spec07SendingMessagesTest {

    @RegisterExtension
    static final BrokerClientExtension herald = new BrokerClientExtension();

    /**
     * §7.1 Producers: a producer without destination needs one on every send (UnsupportedOperationException without,
     * InvalidDestinationException for null); a producer with a destination refuses another one
     * (UnsupportedOperationException).
     */
    @Test
    void producersWithAndWithoutDestination() throws Exception {
        Queue q = herald.queue("spec7-producers");
        MessageProducer anonymous = herald.session().createProducer(null);
        assertThat(anonymous.getDestination()).isNull();
        assertThatThrownBy(() -> anonymous.send(herald.session().createMessage()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> anonymous.send(null, herald.session().createMessage()))
                .isInstanceOf(InvalidDestinationException.class);
        MessageProducer bound = herald.session().createProducer(q);
        assertThat(bound.getDestination()).isEqualTo(q);
        assertThatThrownBy(() ->
                        bound.send(herald.queue("spec7-other"), herald.session().createMessage()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> herald.context().createProducer().send(null, "body"))
                .isInstanceOf(InvalidDestinationRuntimeException.class);
    }

    /**
     * §7.4 Setting message delivery options: a producer's defaults are PERSISTENT, priority 4, time-to-live 0, no
     * delivery delay, ids and timestamps on; what the producer sets applies to its messages, the send method's
     * parameters override it for one message; an unknown delivery mode or a priority outside 0-9 is refused.
     */
    @Test
    void producerDeliveryOptions() throws Exception {
        Queue q = herald.queue("spec7-options");
        MessageProducer producer = herald.session().createProducer(q);
        assertThat(producer.getDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(producer.getPriority()).isEqualTo(Message.DEFAULT_PRIORITY).isEqualTo(4);
        assertThat(producer.getTimeToLive()).isZero();
        assertThat(producer.getDeliveryDelay()).isZero();
        assertThat(producer.getDisableMessageID()).isFalse();
        assertThat(producer.getDisableMessageTimestamp()).isFalse();
        assertThatThrownBy(() -> producer.setPriority(10)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> producer.setPriority(-1)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> producer.setDeliveryMode(3)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> producer.send(herald.session().createMessage(), DeliveryMode.PERSISTENT, 10, 0))
                .isInstanceOf(JMSException.class);

        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        producer.setPriority(7);
        producer.setTimeToLive(60_000);
        Message byProducer = herald.session().createMessage();
        producer.send(byProducer);
        Message byMethod = herald.session().createMessage();
        producer.send(byMethod, DeliveryMode.PERSISTENT, 1, 0);

        MessageConsumer consumer = herald.session().createConsumer(q);
        Message first = consumer.receive(20_000);
        assertThat(first.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(first.getJMSPriority()).isEqualTo(7);
        assertThat(first.getJMSExpiration()).isEqualTo(byProducer.getJMSTimestamp() + 60_000);
        Message second = consumer.receive(20_000);
        assertThat(second.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(second.getJMSPriority()).isEqualTo(1);
        assertThat(second.getJMSExpiration()).isZero();

        JMSProducer simple = herald.context().createProducer();
        assertThat(simple.getDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(simple.getPriority()).isEqualTo(4);
        assertThatThrownBy(() -> simple.setPriority(10)).isInstanceOf(JMSRuntimeException.class);
        assertThatThrownBy(() -> simple.setDeliveryMode(0)).isInstanceOf(JMSRuntimeException.class);
    }

    /**
     * §7.5 Setting message properties and §7.6 Setting message headers: properties, JMSCorrelationID, JMSType and
     * JMSReplyTo set on a JMSProducer override the message's own; the JMSProducer reads its properties with the
     * conversions of §3.5.4.
     */
    @Test
    void jmsProducerPropertiesAndHeadersOverrideTheMessage() throws Exception {
        Queue q = herald.queue("spec7-overrides");
        Queue replyTo = herald.queue("spec7-replies");
        TextMessage m = herald.context().createTextMessage("body");
        m.setStringProperty("colour", "red");
        m.setStringProperty("kept", "yes");
        m.setJMSCorrelationID("message");
        m.setJMSType("message");
        JMSProducer producer = herald.context()
                .createProducer()
                .setProperty("colour", "blue")
                .setProperty("count", 5)
                .setProperty("text", "12")
                .setJMSCorrelationID("producer")
                .setJMSType("producer")
                .setJMSReplyTo(replyTo);
        assertThat(producer.getLongProperty("count")).isEqualTo(5L);
        assertThat(producer.getStringProperty("count")).isEqualTo("5");
        assertThat(producer.getIntProperty("text")).isEqualTo(12);
        assertThatThrownBy(() -> producer.getBooleanProperty("count"))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThat(producer.propertyExists("colour")).isTrue();
        assertThat(producer.getPropertyNames()).containsExactlyInAnyOrder("colour", "count", "text");
        assertThatThrownBy(() -> producer.setProperty("list", List.of()))
                .isInstanceOf(MessageFormatRuntimeException.class);
        producer.send(q, m);

        Message got = herald.context().createConsumer(q).receive(20_000);
        assertThat(got.getStringProperty("colour")).isEqualTo("blue");
        assertThat(got.getStringProperty("kept")).isEqualTo("yes");
        assertThat(got.getIntProperty("count")).isEqualTo(5);
        assertThat(got.getJMSCorrelationID()).isEqualTo("producer");
        assertThat(got.getJMSType()).isEqualTo("producer");
        assertThat(got.getJMSReplyTo()).isEqualTo(replyTo);
        producer.clearProperties();
        assertThat(producer.getPropertyNames()).isEmpty();
    }

    /** §7.10 JMSProducer method chaining: every setter returns the same JMSProducer. */
    @Test
    void jmsProducerSettersChain() {
        JMSProducer producer = herald.context().createProducer();
        assertThat(producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT)
                        .setPriority(3)
                        .setTimeToLive(1000)
                        .setDeliveryDelay(0)
                        .setDisableMessageID(true)
                        .setDisableMessageTimestamp(true)
                        .setProperty("a", true)
                        .setJMSType("t")
                        .setAsync(null))
                .isSameAs(producer);
        assertThat(producer.getTimeToLive()).isEqualTo(1000);
        assertThat(producer.getDisableMessageID()).isTrue();
    }

    /**
     * §7.8 Message time-to-live: a message whose time-to-live has passed before it is consumed is not delivered (not
     * simply ignored); the next message is.
     */
    @Test
    void expiredMessagesAreNotDelivered() throws Exception {
        Queue q = herald.queue("spec7-ttl");
        MessageProducer producer = herald.session().createProducer(q);
        TextMessage expiring = herald.session().createTextMessage("expires");
        producer.send(expiring, DeliveryMode.PERSISTENT, 4, 1);
        producer.send(herald.session().createTextMessage("lives"));
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > expiring.getJMSExpiration());
        MessageConsumer consumer = herald.session().createConsumer(q);
        assertThat(((TextMessage) consumer.receive(20_000)).getText()).isEqualTo("lives");
        assertThat(consumer.receive(200)).isNull();
    }

    /**
     * §7.9 Message delivery delay: a message is not delivered before its delivery time (send time plus the producer's
     * delivery delay), then it is.
     */
    @Test
    void deliveryDelayHoldsAQueueMessageBack() throws Exception {
        Queue q = herald.queue("spec7-delay");
        MessageConsumer consumer = herald.session().createConsumer(q);
        MessageProducer producer = herald.session().createProducer(q);
        producer.setDeliveryDelay(1000);
        assertThat(producer.getDeliveryDelay()).isEqualTo(1000);
        TextMessage m = herald.session().createTextMessage("later");
        producer.send(m);
        assertThat(consumer.receive(300)).isNull();
        Message got = consumer.receive(20_000);
        assertThat(got).isNotNull();
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(m.getJMSDeliveryTime());
    }

    /**
     * §7.3 Asynchronous send: the CompletionListener is called, not on the sending thread, once per message and in
     * the order of the sends (§7.3.3, §7.3.8); the headers are set when it is (§7.3.6); the message arrives.
     */
    @Test
    void asynchronousSendCompletesInOrderOnAnotherThread() throws Exception {
        Queue q = herald.queue("spec7-async");
        MessageProducer producer = herald.session().createProducer(q);
        List<String> completed = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(5);
        List<TextMessage> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TextMessage m = herald.session().createTextMessage("a" + i);
            sent.add(m);
            producer.send(m, new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    try {
                        completed.add(((TextMessage) message).getText() + " " + message.getJMSMessageID());
                    } catch (JMSException e) {
                        completed.add(e.toString());
                    }
                    threads.add(Thread.currentThread());
                    done.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                    completed.add("failed " + exception);
                    done.countDown();
                }
            });
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(threads).doesNotContain(Thread.currentThread());
        for (int i = 0; i < 5; i++) {
            assertThat(sent.get(i).getJMSMessageID()).startsWith("ID:");
            assertThat(completed.get(i)).isEqualTo("a" + i + " " + sent.get(i).getJMSMessageID());
        }
        MessageConsumer consumer = herald.session().createConsumer(q);
        for (int i = 0; i < 5; i++) {
            assertThat(((TextMessage) consumer.receive(20_000)).getText()).isEqualTo("a" + i);
        }
    }

    /**
     * §7.3.4 Close, commit or rollback: a CompletionListener must not close its own producer (nor commit or roll back
     * its session); doing so throws IllegalStateException. Closing the producer waits for the callbacks.
     */
    @Test
    void aCompletionListenerCannotCloseItsOwnProducer() throws Exception {
        Queue q = herald.queue("spec7-async-close");
        Session own = herald.connection().createSession(Session.SESSION_TRANSACTED);
        MessageProducer producer = own.createProducer(q);
        List<Exception> refused = new CopyOnWriteArrayList<>();
        CountDownLatch called = new CountDownLatch(1);
        producer.send(own.createTextMessage("x"), new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                for (Runnable attempt : List.<Runnable>of(
                        () -> call(producer::close), () -> call(own::commit), () -> call(own::rollback))) {
                    try {
                        attempt.run();
                    } catch (RuntimeException e) {
                        refused.add((Exception) e.getCause());
                    }
                }
                called.countDown();
            }

            @Override
            public void onException(Message message, Exception exception) {
                called.countDown();
            }
        });
        assertThat(called.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(refused).hasSize(3).allMatch(e -> e instanceof IllegalStateException);
        own.commit();
        producer.close();
        own.close();
        assertThat(Collections.list(herald.session().createBrowser(q).getEnumeration()))
                .hasSize(1);
    }

    private interface Call {
        void call() throws JMSException;
    }

    private static void call(Call c) {
        try {
            c.call();
        } catch (JMSException e) {
            throw new RuntimeException(e);
        }
    }
}
