package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Jakarta Messaging 3.1 section 6.2.7 (transactions): sends invisible until commit, rollback redelivers. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void sendsAcrossSeveralDestinationsAreInvisibleUntilCommitAndDroppedOnRollback() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue a = tx.createQueue(unique("a"));
            Queue b = tx.createQueue(unique("b"));
            MessageProducer p = tx.createProducer(null);
            MessageConsumer ca = plain.createConsumer(a);
            MessageConsumer cb = plain.createConsumer(b);

            p.send(a, tx.createTextMessage("dropped"));
            tx.rollback();
            p.send(a, tx.createTextMessage("to-a"));
            p.send(b, tx.createTextMessage("to-b"));
            assertThat(ca.receive(1000)).isNull();
            tx.commit();
            assertThat(((TextMessage) ca.receive(20_000)).getText()).isEqualTo("to-a");
            assertThat(((TextMessage) cb.receive(20_000)).getText()).isEqualTo("to-b");
            assertThat(ca.receive(500)).isNull();
        }
    }

    @Test
    void receivedMessagesComeBackAfterRollbackAndAreGoneAfterCommit() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue q = tx.createQueue(unique("work"));
            MessageProducer p = tx.createProducer(q);
            p.send(tx.createTextMessage("job"));
            tx.commit();
            MessageConsumer consumer = tx.createConsumer(q);
            Message first = consumer.receive(20_000);
            assertThat(first.getJMSRedelivered()).isFalse();
            tx.rollback();
            Message again = consumer.receive(20_000);
            assertThat(((TextMessage) again).getText()).isEqualTo("job");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            tx.commit();
            assertThat(consumer.receive(1000)).isNull();
        }
    }

    @Test
    void commitAndRollbackOnANonTransactedSessionAreIllegal() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(s::commit).isInstanceOf(jakarta.jms.IllegalStateException.class);
            assertThatThrownBy(s::rollback).isInstanceOf(jakarta.jms.IllegalStateException.class);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            assertThatThrownBy(tx::recover).isInstanceOf(jakarta.jms.IllegalStateException.class);
        }
    }
}
