package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conformance, Jakarta Messaging 3.1 chapter 6 "Connecting to a Jakarta Messaging provider": connections (client
 * identifier, starting and stopping, metadata, closing) and sessions (modes, transactions, acknowledgement, closing),
 * classic API and JMSContext, through a real broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Spec06ConnectionsAndSessionsTest {

    @RegisterExtension
    static final BrokerClientExtension herald = new BrokerClientExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * §6.1.2 Client identifier: set immediately after creation it is the connection's; after any other action, or
     * when the factory configured one, setClientID throws IllegalStateException (IllegalStateRuntimeException on a
     * JMSContext).
     */
    @Test
    void clientIdCanOnlyBeSetFirst() throws Exception {
        String id = unique("spec6-client");
        try (Connection c = herald.factory().createConnection()) {
            c.setClientID(id);
            assertThat(c.getClientID()).isEqualTo(id);
        }
        try (Connection c = herald.factory().createConnection()) {
            c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> c.setClientID(unique("spec6-late"))).isInstanceOf(IllegalStateException.class);
        }
        String configured = unique("spec6-configured");
        try (Connection c = herald.factory("clientId=" + configured).createConnection()) {
            assertThat(c.getClientID()).isEqualTo(configured);
            assertThatThrownBy(() -> c.setClientID(unique("spec6-override"))).isInstanceOf(IllegalStateException.class);
        }
        try (JMSContext context = herald.factory().createContext()) {
            context.createProducer();
            assertThatThrownBy(() -> context.setClientID(unique("spec6-ctx")))
                    .isInstanceOf(IllegalStateRuntimeException.class);
        }
    }

    /**
     * §6.1.4 Starting a connection: a new connection is stopped, so nothing is delivered before start; sending works
     * while it is stopped.
     */
    @Test
    void aNewConnectionDeliversNothingUntilStarted() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = herald.queue("spec6-stopped");
            s.createProducer(q).send(s.createTextMessage("waiting"));
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(consumer.receive(300)).isNull();
            c.start();
            assertThat(((TextMessage) consumer.receive(20_000)).getText()).isEqualTo("waiting");
        }
    }

    /**
     * §6.1.5 Pausing delivery of incoming messages: after stop, synchronous receives time out and listeners are not
     * called; stopping a stopped and starting a started connection are ignored; start resumes delivery.
     */
    @Test
    void stopPausesDeliveryAndStartResumesIt() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue sync = herald.queue("spec6-pause-sync");
            Queue async = herald.queue("spec6-pause-async");
            MessageConsumer receiver = s.createConsumer(sync);
            Session listening = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            AtomicInteger heard = new AtomicInteger();
            listening.createConsumer(async).setMessageListener(m -> heard.incrementAndGet());
            c.stop();
            c.stop();
            MessageProducer producer = s.createProducer(null);
            producer.send(sync, s.createTextMessage("held"));
            producer.send(async, s.createTextMessage("held"));
            assertThat(receiver.receive(300)).isNull();
            assertThat(heard).hasValue(0);
            c.start();
            c.start();
            assertThat(receiver.receive(20_000)).isNotNull();
            await().atMost(Duration.ofSeconds(20)).until(() -> heard.get() == 1);
        }
    }

    /** §6.1.6 ConnectionMetaData: the Jakarta Messaging version (3.1) and the provider's name and version. */
    @Test
    void metaDataNamesTheVersion() throws Exception {
        ConnectionMetaData meta = herald.connection().getMetaData();
        assertThat(meta.getJMSVersion()).isEqualTo("3.1");
        assertThat(meta.getJMSMajorVersion()).isEqualTo(3);
        assertThat(meta.getJMSMinorVersion()).isEqualTo(1);
        assertThat(meta.getJMSProviderName()).isNotBlank();
        assertThat(meta.getProviderVersion()).isNotBlank();
    }

    /** §6.1.7 ExceptionListener: the connection returns the listener registered, null when none is. */
    @Test
    void exceptionListenerIsKept() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            assertThat(c.getExceptionListener()).isNull();
            ExceptionListener listener = e -> {};
            c.setExceptionListener(listener);
            assertThat(c.getExceptionListener()).isSameAs(listener);
        }
    }

    /**
     * §6.1.8 Closing a connection: close is idempotent; afterwards the connection, its sessions, producers and
     * consumers throw IllegalStateException (their close is ignored); a received message stays usable except for
     * acknowledge, which throws IllegalStateException; a pending receive returns.
     */
    @Test
    void aClosedConnectionAndItsObjectsThrowIllegalStateException() throws Exception {
        Connection c = herald.factory().createConnection();
        c.start();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = herald.queue("spec6-closed");
        MessageProducer producer = s.createProducer(q);
        producer.send(s.createTextMessage("kept"));
        MessageConsumer consumer = s.createConsumer(q);
        TextMessage received = (TextMessage) consumer.receive(20_000);
        Queue empty = herald.queue("spec6-closed-empty");
        MessageConsumer waiting =
                c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(empty);
        CompletableFuture<Message> pending = BlockedReceive.start(waiting);

        c.close();
        c.close();
        assertThat(pending.get(20, TimeUnit.SECONDS)).isNull();
        assertThatThrownBy(() -> c.createSession(false, Session.AUTO_ACKNOWLEDGE))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(c::getClientID).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.createTextMessage("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.createProducer(q)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> producer.send(received)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> consumer.receive(10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(received::acknowledge).isInstanceOf(IllegalStateException.class);
        assertThat(received.getText()).isEqualTo("kept");
        s.close();
        producer.close();
        consumer.close();
    }

    /**
     * §6.1.8: closing a connection rolls back its transacted sessions' transactions (the consumed message comes again,
     * flagged redelivered; the sent one is never delivered); it does not acknowledge a CLIENT_ACKNOWLEDGE session.
     */
    @Test
    void closingAConnectionRollsBackAndDoesNotAcknowledge() throws Exception {
        Queue inTx = herald.queue("spec6-close-tx");
        Queue outTx = herald.queue("spec6-close-tx-out");
        Queue client = herald.queue("spec6-close-client");
        MessageProducer producer = herald.session().createProducer(null);
        producer.send(inTx, herald.session().createTextMessage("tx"));
        producer.send(client, herald.session().createTextMessage("client"));
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(tx.createConsumer(inTx).receive(20_000)).isNotNull();
            tx.createProducer(outTx).send(tx.createTextMessage("never"));
            Session ack = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            assertThat(ack.createConsumer(client).receive(20_000)).isNotNull();
        }
        Message again = herald.session().createConsumer(inTx).receive(20_000);
        assertThat(again).isNotNull();
        assertThat(again.getJMSRedelivered()).isTrue();
        Message notAcknowledged = herald.session().createConsumer(client).receive(20_000);
        assertThat(notAcknowledged).isNotNull();
        assertThat(notAcknowledged.getJMSRedelivered()).isTrue();
        assertThat(herald.session().createConsumer(outTx).receive(300)).isNull();
    }

    /**
     * §6.2 Sessions: createSession's variants give the modes asked for (getAcknowledgeMode, getTransacted); commit and
     * rollback on a session that is not transacted, and recover on one that is, throw IllegalStateException.
     */
    @Test
    void sessionModes() throws Exception {
        try (Session auto = herald.connection().createSession();
                Session client = herald.connection().createSession(Session.CLIENT_ACKNOWLEDGE);
                Session dups = herald.connection().createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
                Session tx = herald.connection().createSession(true, Session.AUTO_ACKNOWLEDGE);
                Session tx2 = herald.connection().createSession(Session.SESSION_TRANSACTED)) {
            assertThat(auto.getAcknowledgeMode()).isEqualTo(Session.AUTO_ACKNOWLEDGE);
            assertThat(auto.getTransacted()).isFalse();
            assertThat(client.getAcknowledgeMode()).isEqualTo(Session.CLIENT_ACKNOWLEDGE);
            assertThat(dups.getAcknowledgeMode()).isEqualTo(Session.DUPS_OK_ACKNOWLEDGE);
            assertThat(tx.getTransacted()).isTrue();
            assertThat(tx.getAcknowledgeMode()).isEqualTo(Session.SESSION_TRANSACTED);
            assertThat(tx2.getTransacted()).isTrue();
            assertThatThrownBy(auto::commit).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(client::rollback).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(tx::recover).isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * §6.2.7 Transactions: messages sent in a transaction are delivered only after commit and destroyed by rollback;
     * messages consumed in a rolled back transaction are recovered (redelivered, flagged); commit starts the next.
     */
    @Test
    void transactionsGroupSendsAndReceives() throws Exception {
        Queue q = herald.queue("spec6-tx");
        MessageConsumer plain = herald.session().createConsumer(q);
        try (Session tx = herald.connection().createSession(Session.SESSION_TRANSACTED)) {
            MessageProducer producer = tx.createProducer(q);
            producer.send(tx.createTextMessage("rolled back"));
            tx.rollback();
            producer.send(tx.createTextMessage("committed"));
            assertThat(plain.receive(300)).isNull();
            tx.commit();
            assertThat(((TextMessage) plain.receive(20_000)).getText()).isEqualTo("committed");
            assertThat(plain.receive(200)).isNull();

            Queue input = herald.queue("spec6-tx-in");
            herald.session().createProducer(input).send(herald.session().createTextMessage("work"));
            MessageConsumer consumer = tx.createConsumer(input);
            Message first = consumer.receive(20_000);
            assertThat(first.getJMSRedelivered()).isFalse();
            tx.rollback();
            Message second = consumer.receive(20_000);
            assertThat(second.getJMSMessageID()).isEqualTo(first.getJMSMessageID());
            assertThat(second.getJMSRedelivered()).isTrue();
            assertThat(second.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            tx.commit();
        }
    }

    /**
     * §6.2.10 Message acknowledgment: in CLIENT_ACKNOWLEDGE acknowledging one message acknowledges every message the
     * session delivered (on all its consumers); recover redelivers the unacknowledged ones flagged; in AUTO mode
     * acknowledge is ignored.
     */
    @Test
    void clientAcknowledgeAcknowledgesEverythingTheSessionDelivered() throws Exception {
        Queue a = herald.queue("spec6-ack-a");
        Queue b = herald.queue("spec6-ack-b");
        MessageProducer producer = herald.session().createProducer(null);
        producer.send(a, herald.session().createTextMessage("a1"));
        producer.send(b, herald.session().createTextMessage("b1"));
        producer.send(a, herald.session().createTextMessage("a2"));
        try (Session client = herald.connection().createSession(Session.CLIENT_ACKNOWLEDGE)) {
            MessageConsumer onA = client.createConsumer(a);
            MessageConsumer onB = client.createConsumer(b);
            Message a1 = onA.receive(20_000);
            Message b1 = onB.receive(20_000);
            assertThat(((TextMessage) a1).getText()).isEqualTo("a1");
            a1.acknowledge(); // acknowledges b1 too
            Message a2 = onA.receive(20_000);
            client.recover();
            Message a2again = onA.receive(20_000);
            assertThat(((TextMessage) a2again).getText()).isEqualTo("a2");
            assertThat(a2again.getJMSRedelivered()).isTrue();
            assertThat(onB.receive(300)).as("b1 was acknowledged with a1").isNull();
            a2again.acknowledge();
            assertThat(b1).isNotNull();
            assertThat(a2).isNotNull();
        }
        Queue auto = herald.queue("spec6-ack-auto");
        herald.session().createProducer(auto).send(herald.session().createTextMessage("auto"));
        Message m = herald.session().createConsumer(auto).receive(20_000);
        m.acknowledge(); // ignored, no exception
    }

    /**
     * §6.2.10 asks providers for a way to limit a CLIENT_ACKNOWLEDGE client's over-run. Documented limit (docs/jms.md,
     * "Limits worth knowing"): such a consumer holds at most {@code prefetch} unacknowledged messages; beyond that
     * receive returns null until the session acknowledges.
     */
    @Test
    void clientAcknowledgeHoldsAtMostPrefetchUnacknowledgedMessages() throws Exception {
        Queue q = herald.queue("spec6-overrun");
        MessageProducer producer = herald.session().createProducer(q);
        for (int i = 0; i < 3; i++) {
            producer.send(herald.session().createTextMessage("m" + i));
        }
        try (Connection c = herald.factory("prefetch=2").createConnection()) {
            c.start();
            Session client = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = client.createConsumer(q);
            assertThat(consumer.receive(20_000)).isNotNull();
            Message second = consumer.receive(20_000);
            assertThat(second).isNotNull();
            assertThat(consumer.receive(300)).isNull();
            second.acknowledge();
            Message third = consumer.receive(20_000);
            assertThat(((TextMessage) third).getText()).isEqualTo("m2");
            third.acknowledge();
        }
    }

    /**
     * §6.2.10 recover restarts the session after its last acknowledged message, flagging what it delivers again.
     * Documented limit (docs/jms.md, "Limits worth knowing"): recover also gives back messages fetched but not yet
     * delivered, and those too come back flagged JMSRedelivered with a delivery count one higher.
     */
    @Test
    void recoverAlsoGivesBackPrefetchedMessages() throws Exception {
        Queue q = herald.queue("spec6-recover");
        MessageProducer producer = herald.session().createProducer(q);
        producer.send(herald.session().createTextMessage("seen"));
        producer.send(herald.session().createTextMessage("prefetched"));
        try (Session client = herald.connection().createSession(Session.CLIENT_ACKNOWLEDGE)) {
            MessageConsumer consumer = client.createConsumer(q);
            assertThat(((TextMessage) consumer.receive(20_000)).getText()).isEqualTo("seen");
            client.recover();
            Message seen = consumer.receive(20_000);
            Message prefetched = consumer.receive(20_000);
            assertThat(((TextMessage) seen).getText()).isEqualTo("seen");
            assertThat(seen.getJMSRedelivered()).isTrue();
            assertThat(seen.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(((TextMessage) prefetched).getText()).isEqualTo("prefetched");
            assertThat(prefetched.getJMSRedelivered()).isTrue();
            assertThat(prefetched.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            prefetched.acknowledge();
        }
    }

    /**
     * §6.2.15 Closing a session: close is idempotent and closes its producers and consumers (IllegalStateException
     * afterwards); a transacted session's close rolls back, a CLIENT_ACKNOWLEDGE session's close does not acknowledge.
     */
    @Test
    void closingASessionClosesItsObjectsAndRollsBack() throws Exception {
        Queue q = herald.queue("spec6-session-close");
        herald.session().createProducer(q).send(herald.session().createTextMessage("once"));
        Session tx = herald.connection().createSession(Session.SESSION_TRANSACTED);
        MessageConsumer consumer = tx.createConsumer(q);
        MessageProducer producer = tx.createProducer(q);
        assertThat(consumer.receive(20_000)).isNotNull();
        producer.send(tx.createTextMessage("never"));
        tx.close();
        tx.close();
        assertThatThrownBy(() -> consumer.receive(10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> producer.send(herald.session().createMessage()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(consumer::getMessageSelector).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class);
        consumer.close();
        producer.close();

        MessageConsumer next = herald.session().createConsumer(q);
        Message again = next.receive(20_000);
        assertThat(((TextMessage) again).getText()).isEqualTo("once");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(next.receive(300)).isNull();
    }

    /**
     * §6.1.4 and §8.4: a JMSContext starts its connection when the first consumer is created, unless setAutoStart(false)
     * (then only start() does).
     */
    @Test
    void contextAutoStart() throws Exception {
        Queue q = herald.queue("spec6-autostart");
        try (JMSContext context = herald.factory().createContext()) {
            context.setAutoStart(false);
            assertThat(context.getAutoStart()).isFalse();
            context.createProducer().send(q, "held");
            jakarta.jms.JMSConsumer consumer = context.createConsumer(q);
            assertThat(consumer.receive(300)).isNull();
            context.start();
            assertThat(consumer.receiveBody(String.class, 20_000)).isEqualTo("held");
        }
        try (JMSContext context = herald.factory().createContext()) {
            assertThat(context.getAutoStart()).isTrue();
            context.createProducer().send(q, "at once");
            assertThat(context.createConsumer(q).receiveBody(String.class, 20_000))
                    .isEqualTo("at once");
        }
    }

    /**
     * §6.1.8 and §6.2.15 for JMSContext: contexts made with createContext share the connection, which closes with
     * the last of them; a closed context throws IllegalStateRuntimeException (its close is ignored).
     */
    @Test
    void contextsShareTheirConnectionUntilTheLastCloses() throws Exception {
        Queue q = herald.queue("spec6-shared-context");
        JMSContext first = herald.factory().createContext();
        JMSContext second = first.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
        assertThat(second.getSessionMode()).isEqualTo(JMSContext.CLIENT_ACKNOWLEDGE);
        first.close();
        first.close();
        assertThatThrownBy(first::createProducer).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> first.createQueue("x")).isInstanceOf(IllegalStateRuntimeException.class);
        JMSProducer producer = second.createProducer();
        producer.send(q, "still connected");
        Message m = second.createConsumer(q).receive(20_000);
        assertThat(m.getBody(String.class)).isEqualTo("still connected");
        second.acknowledge();
        second.close();
        assertThatThrownBy(() -> second.createConsumer(q)).isInstanceOf(IllegalStateRuntimeException.class);
    }
}
