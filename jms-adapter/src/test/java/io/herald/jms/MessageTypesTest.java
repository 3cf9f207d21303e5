package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jakarta Messaging 3.1 chapter 3 (messages): the five body types and plain messages, every header and typed
 * properties with the conversion rules, read-only states, sent and received through a real broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MessageTypesTest {

    @RegisterExtension
    static final BrokerClientExtension herald = new BrokerClientExtension();

    private static Message roundTrip(Message m) throws Exception {
        Queue q = herald.queue("types");
        MessageProducer p = herald.session().createProducer(q);
        p.send(m);
        MessageConsumer c = herald.session().createConsumer(q);
        Message got = c.receive(20_000);
        c.close();
        assertThat(got).isNotNull();
        return got;
    }

    @Test
    void textMessage() throws Exception {
        TextMessage got = (TextMessage) roundTrip(herald.session().createTextMessage("héllo wörld ✓"));
        assertThat(got.getText()).isEqualTo("héllo wörld ✓");
        assertThat(got.getBody(String.class)).isEqualTo("héllo wörld ✓");
        assertThatThrownBy(() -> got.setText("x")).isInstanceOf(MessageNotWriteableException.class);
        got.clearBody();
        got.setText("writable again");
        assertThat(got.getText()).isEqualTo("writable again");
    }

    @Test
    void bytesMessage() throws Exception {
        BytesMessage m = herald.session().createBytesMessage();
        m.writeInt(42);
        m.writeUTF("utf");
        m.writeBytes(new byte[] {1, 2, 3});
        m.writeBoolean(true);
        assertThatThrownBy(m::readInt).isInstanceOf(MessageNotReadableException.class);
        BytesMessage got = (BytesMessage) roundTrip(m);
        assertThat(got.readInt()).isEqualTo(42);
        assertThat(got.readUTF()).isEqualTo("utf");
        byte[] three = new byte[3];
        assertThat(got.readBytes(three)).isEqualTo(3);
        assertThat(three).containsExactly(1, 2, 3);
        assertThat(got.readBoolean()).isTrue();
        assertThatThrownBy(got::readByte).isInstanceOf(jakarta.jms.MessageEOFException.class);
        got.reset();
        assertThat(got.readInt()).isEqualTo(42);
        assertThat(got.getBodyLength()).isEqualTo(4 + 2 + 3 + 3 + 1);
    }

    @Test
    void mapMessageWithConversions() throws Exception {
        MapMessage m = herald.session().createMapMessage();
        m.setInt("int", 7);
        m.setString("num", "12");
        m.setBytes("bytes", new byte[] {9});
        m.setDouble("d", 1.5);
        m.setChar("c", 'z');
        m.setObject("nothing", null);
        MapMessage got = (MapMessage) roundTrip(m);
        assertThat(got.getInt("int")).isEqualTo(7);
        assertThat(got.getLong("int")).isEqualTo(7L);
        assertThat(got.getString("int")).isEqualTo("7");
        assertThat(got.getInt("num")).isEqualTo(12);
        assertThat(got.getBytes("bytes")).containsExactly(9);
        assertThat(got.getDouble("d")).isEqualTo(1.5);
        assertThat(got.getChar("c")).isEqualTo('z');
        assertThat(got.itemExists("nothing")).isTrue();
        assertThat(got.getObject("nothing")).isNull();
        assertThatThrownBy(() -> got.getInt("d")).isInstanceOf(MessageFormatException.class);
        assertThat(Collections.list(got.getMapNames())).contains("int", "num", "bytes", "d", "c");
        assertThat(got.getBody(Map.class)).containsEntry("int", 7);
    }

    @Test
    void streamMessage() throws Exception {
        StreamMessage m = herald.session().createStreamMessage();
        m.writeString("s");
        m.writeInt(5);
        m.writeBytes(new byte[] {4, 5});
        m.writeObject(2.5f);
        StreamMessage got = (StreamMessage) roundTrip(m);
        assertThat(got.readString()).isEqualTo("s");
        assertThat(got.readLong()).isEqualTo(5L);
        byte[] b = new byte[8];
        assertThat(got.readBytes(b)).isEqualTo(2);
        assertThat(got.readDouble()).isEqualTo(2.5);
        assertThatThrownBy(got::readInt).isInstanceOf(jakarta.jms.MessageEOFException.class);
        assertThatThrownBy(() -> got.getBody(Object.class)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void objectMessage() throws Exception {
        ArrayList<String> list = new ArrayList<>(List.of("a", "b"));
        ObjectMessage m = herald.session().createObjectMessage(list);
        list.add("changed after set");
        ObjectMessage got = (ObjectMessage) roundTrip(m);
        assertThat(got.getObject()).isEqualTo(List.of("a", "b"));
        assertThat(got.getBody(List.class)).isEqualTo(List.of("a", "b"));
    }

    @Test
    void plainMessageWithEveryHeaderAndTypedProperties() throws Exception {
        Message m = herald.session().createMessage();
        m.setJMSCorrelationID("corr-1");
        m.setJMSType("order.created");
        Queue replyTo = herald.session().createQueue("replies");
        m.setJMSReplyTo(replyTo);
        m.setBooleanProperty("bool", true);
        m.setByteProperty("byte", (byte) 1);
        m.setShortProperty("short", (short) 2);
        m.setIntProperty("int", 3);
        m.setLongProperty("long", 4L);
        m.setFloatProperty("float", 5.5f);
        m.setDoubleProperty("double", 6.5);
        m.setStringProperty("string", "seven");
        m.setStringProperty("JMSXGroupID", "group-a");
        assertThatThrownBy(() -> m.setObjectProperty("list", List.of())).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.setIntProperty("not valid", 1)).isInstanceOf(IllegalArgumentException.class);
        long before = System.currentTimeMillis();

        Queue q = herald.queue("headers");
        MessageProducer p = herald.session().createProducer(q);
        p.setPriority(7);
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        p.setTimeToLive(60_000);
        p.send(m);
        assertThat(m.getJMSMessageID()).startsWith("ID:");
        MessageConsumer c = herald.session().createConsumer(q);
        Message got = c.receive(20_000);

        assertThat(got.getJMSMessageID()).isEqualTo(m.getJMSMessageID());
        assertThat(got.getJMSTimestamp()).isBetween(before, System.currentTimeMillis());
        assertThat(got.getJMSCorrelationID()).isEqualTo("corr-1");
        assertThat(got.getJMSType()).isEqualTo("order.created");
        assertThat(got.getJMSReplyTo()).isEqualTo(replyTo);
        assertThat(got.getJMSDestination()).isEqualTo(q);
        assertThat(got.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(got.getJMSPriority()).isEqualTo(7);
        assertThat(got.getJMSExpiration()).isEqualTo(got.getJMSTimestamp() + 60_000);
        assertThat(got.getJMSDeliveryTime()).isEqualTo(got.getJMSTimestamp());
        assertThat(got.getJMSRedelivered()).isFalse();
        assertThat(got.getBooleanProperty("bool")).isTrue();
        assertThat(got.getObjectProperty("byte")).isEqualTo((byte) 1);
        assertThat(got.getObjectProperty("short")).isEqualTo((short) 2);
        assertThat(got.getObjectProperty("int")).isEqualTo(3);
        assertThat(got.getObjectProperty("long")).isEqualTo(4L);
        assertThat(got.getObjectProperty("float")).isEqualTo(5.5f);
        assertThat(got.getObjectProperty("double")).isEqualTo(6.5);
        assertThat(got.getStringProperty("string")).isEqualTo("seven");
        assertThat(got.getLongProperty("int")).isEqualTo(3L);
        assertThat(got.getStringProperty("double")).isEqualTo("6.5");
        assertThatThrownBy(() -> got.getIntProperty("long")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> got.getIntProperty("absent")).isInstanceOf(NumberFormatException.class);
        assertThat(got.getStringProperty("absent")).isNull();
        assertThatThrownBy(() -> got.setIntProperty("x", 1)).isInstanceOf(MessageNotWriteableException.class);
        got.clearProperties();
        got.setIntProperty("x", 1);
        assertThat(got.getIntProperty("x")).isEqualTo(1);
    }

    @Test
    void anExpiredMessageIsNeverDelivered() throws Exception {
        Queue q = herald.queue("expiry");
        MessageProducer p = herald.session().createProducer(q);
        TextMessage shortLived = herald.session().createTextMessage("short-lived");
        p.send(shortLived, DeliveryMode.PERSISTENT, 4, 1);
        p.send(herald.session().createTextMessage("lasting"));
        long expiration = shortLived.getJMSExpiration();
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > expiration);
        MessageConsumer c = herald.session().createConsumer(q);
        assertThat(((TextMessage) c.receive(20_000)).getText()).isEqualTo("lasting");
        assertThat(c.receive(500)).isNull();
    }
}
