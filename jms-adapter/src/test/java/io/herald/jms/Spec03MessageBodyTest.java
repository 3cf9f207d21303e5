package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance, Jakarta Messaging 3.1 §3.9-§3.12 (access to sent messages, received messages, the five message bodies,
 * conversions of StreamMessage and MapMessage, foreign messages) and the body accessors of Message (getBody,
 * isBodyAssignableTo), through a real broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Spec03MessageBodyTest {

    @RegisterExtension
    static final BrokerClientExtension herald = new BrokerClientExtension();

    private static Queue queue;
    private static MessageProducer producer;
    private static MessageConsumer consumer;

    /** The value types of table 3-7, in the order of its rows and columns. */
    private static final List<String> TYPES =
            List.of("boolean", "byte", "short", "char", "int", "long", "float", "double", "String", "byte[]");

    /** Table 3-7: the column types a value written as the row type can be read as. */
    private static final Map<String, Set<String>> READABLE_AS = Map.of(
            "boolean", Set.of("boolean", "String"),
            "byte", Set.of("byte", "short", "int", "long", "String"),
            "short", Set.of("short", "int", "long", "String"),
            "char", Set.of("char", "String"),
            "int", Set.of("int", "long", "String"),
            "long", Set.of("long", "String"),
            "float", Set.of("float", "double", "String"),
            "double", Set.of("double", "String"),
            "String", Set.of("boolean", "byte", "short", "int", "long", "float", "double", "String"),
            "byte[]", Set.of("byte[]"));

    private static MapMessage typedMap;
    private static StreamMessage typedStream;

    @BeforeAll
    static void prepare() throws Exception {
        queue = herald.queue("spec3-body");
        producer = herald.session().createProducer(queue);
        consumer = herald.session().createConsumer(queue);
        MapMessage map = herald.session().createMapMessage();
        for (String type : TYPES) {
            put(map, type);
        }
        typedMap = (MapMessage) roundTrip(map);
        StreamMessage stream = herald.session().createStreamMessage();
        for (String type : TYPES) {
            write(stream, type);
        }
        typedStream = (StreamMessage) roundTrip(stream);
    }

    private static Message roundTrip(Message m) throws Exception {
        producer.send(m);
        Message got = consumer.receive(20_000);
        assertThat(got).as("message received").isNotNull();
        return got;
    }

    /** Entry {@code <type>} holds the value 1 ('1', "1", {1}, true) written as that type. */
    private static void put(MapMessage m, String type) throws JMSException {
        switch (type) {
            case "boolean" -> m.setBoolean(type, true);
            case "byte" -> m.setByte(type, (byte) 1);
            case "short" -> m.setShort(type, (short) 1);
            case "char" -> m.setChar(type, '1');
            case "int" -> m.setInt(type, 1);
            case "long" -> m.setLong(type, 1L);
            case "float" -> m.setFloat(type, 1f);
            case "double" -> m.setDouble(type, 1d);
            case "String" -> m.setString(type, "1");
            default -> m.setBytes(type, new byte[] {1});
        }
    }

    private static void write(StreamMessage m, String type) throws JMSException {
        switch (type) {
            case "boolean" -> m.writeBoolean(true);
            case "byte" -> m.writeByte((byte) 1);
            case "short" -> m.writeShort((short) 1);
            case "char" -> m.writeChar('1');
            case "int" -> m.writeInt(1);
            case "long" -> m.writeLong(1L);
            case "float" -> m.writeFloat(1f);
            case "double" -> m.writeDouble(1d);
            case "String" -> m.writeString("1");
            default -> m.writeBytes(new byte[] {1});
        }
    }

    private static Object get(MapMessage m, String type, String name) throws JMSException {
        return switch (type) {
            case "boolean" -> m.getBoolean(name);
            case "byte" -> m.getByte(name);
            case "short" -> m.getShort(name);
            case "char" -> m.getChar(name);
            case "int" -> m.getInt(name);
            case "long" -> m.getLong(name);
            case "float" -> m.getFloat(name);
            case "double" -> m.getDouble(name);
            case "String" -> m.getString(name);
            default -> m.getBytes(name);
        };
    }

    private static Object read(StreamMessage m, String type) throws JMSException {
        return switch (type) {
            case "boolean" -> m.readBoolean();
            case "byte" -> m.readByte();
            case "short" -> m.readShort();
            case "char" -> m.readChar();
            case "int" -> m.readInt();
            case "long" -> m.readLong();
            case "float" -> m.readFloat();
            case "double" -> m.readDouble();
            case "String" -> m.readString();
            default -> {
                byte[] buffer = new byte[8];
                int n = m.readBytes(buffer);
                yield java.util.Arrays.copyOf(buffer, n);
            }
        };
    }

    /** What reading the value 1 written as {@code row} as {@code column} gives, per table 3-7. */
    private static void assertConverted(String row, String column, Object value) {
        switch (column) {
            case "boolean" -> assertThat(value).isEqualTo(row.equals("boolean"));
            case "char" -> assertThat(value).isEqualTo('1');
            case "String" ->
                assertThat(value)
                        .isEqualTo(
                                row.equals("boolean")
                                        ? "true"
                                        : Set.of("float", "double").contains(row) ? "1.0" : "1");
            case "byte[]" -> assertThat((byte[]) value).containsExactly(1);
            default -> assertThat(((Number) value).doubleValue()).isEqualTo(1.0);
        }
    }

    static Stream<Arguments> conversionTable() {
        return TYPES.stream().flatMap(row -> TYPES.stream().map(column -> Arguments.of(row, column)));
    }

    /**
     * §3.11.3 Conversions provided by StreamMessage and MapMessage, table 3-7, for a received MapMessage: marked cells
     * convert, unmarked cells throw MessageFormatException.
     */
    @ParameterizedTest(name = "written as {0}, read as {1}")
    @MethodSource("conversionTable")
    void mapMessageConversionTable(String row, String column) throws Exception {
        if (READABLE_AS.get(row).contains(column)) {
            assertConverted(row, column, get(typedMap, column, row));
        } else {
            assertThatThrownBy(() -> get(typedMap, column, row)).isInstanceOf(MessageFormatException.class);
        }
    }

    /**
     * §3.11.3 table 3-7 for a received StreamMessage; a read that throws MessageFormatException leaves the read pointer
     * where it was, so the same value can be read again as another type.
     */
    @ParameterizedTest(name = "written as {0}, read as {1}")
    @MethodSource("conversionTable")
    void streamMessageConversionTable(String row, String column) throws Exception {
        typedStream.reset();
        for (String before : TYPES.subList(0, TYPES.indexOf(row))) {
            read(typedStream, before);
        }
        if (READABLE_AS.get(row).contains(column)) {
            assertConverted(row, column, read(typedStream, column));
        } else {
            assertThatThrownBy(() -> read(typedStream, column)).isInstanceOf(MessageFormatException.class);
            assertConverted(row, row, read(typedStream, row));
        }
    }

    /**
     * §3.11.3: String to numeric throws java.lang.NumberFormatException when valueOf refuses the String; a
     * StreamMessage keeps its read pointer then; null reads as valueOf(null), and as char throws NullPointerException;
     * a MapMessage name never set reads as null.
     */
    @Test
    void unparsableStringsAndNullsInMapAndStream() throws Exception {
        MapMessage map = herald.session().createMapMessage();
        map.setString("word", "twelve");
        map.setString("nothing", null);
        MapMessage gotMap = (MapMessage) roundTrip(map);
        assertThatThrownBy(() -> gotMap.getInt("word")).isExactlyInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> gotMap.getDouble("word")).isExactlyInstanceOf(NumberFormatException.class);
        assertThat(gotMap.getBoolean("word")).isFalse();
        assertThatThrownBy(() -> gotMap.getLong("nothing")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> gotMap.getChar("nothing")).isInstanceOf(NullPointerException.class);
        assertThat(gotMap.getString("never-set")).isNull();
        assertThat(gotMap.getBytes("never-set")).isNull();
        assertThat(gotMap.itemExists("never-set")).isFalse();

        StreamMessage stream = herald.session().createStreamMessage();
        stream.writeString("twelve");
        stream.writeObject(null);
        StreamMessage gotStream = (StreamMessage) roundTrip(stream);
        assertThatThrownBy(gotStream::readShort).isExactlyInstanceOf(NumberFormatException.class);
        assertThat(gotStream.readString()).isEqualTo("twelve");
        assertThatThrownBy(gotStream::readChar).isInstanceOf(NullPointerException.class);
        assertThat(gotStream.readObject()).isNull();
        assertThatThrownBy(gotStream::readObject).isInstanceOf(MessageEOFException.class);
    }

    /**
     * StreamMessage: write-only until reset or sent (MessageNotReadableException), readBytes hands a byte[] value
     * out in pieces until it returns less than the buffer holds, the end of the stream throws MessageEOFException, reset rewinds.
     */
    @Test
    void streamMessageReadAndWriteModes() throws Exception {
        StreamMessage m = herald.session().createStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.writeInt(7);
        assertThatThrownBy(m::readInt).isInstanceOf(MessageNotReadableException.class);
        StreamMessage got = (StreamMessage) roundTrip(m);
        byte[] buffer = new byte[2];
        assertThat(got.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(1, 2);
        assertThat(got.readBytes(buffer)).isEqualTo(2);
        assertThat(got.readBytes(buffer)).isEqualTo(1);
        assertThat(buffer[0]).isEqualTo((byte) 5); // fewer than the buffer holds: the field is done
        assertThat(got.readInt()).isEqualTo(7);
        assertThatThrownBy(got::readInt).isInstanceOf(MessageEOFException.class);
        assertThatThrownBy(() -> got.writeInt(1)).isInstanceOf(MessageNotWriteableException.class);
        got.reset();
        assertThat(got.readObject()).isEqualTo(new byte[] {1, 2, 3, 4, 5});

        m.reset();
        assertThat(m.readObject()).isEqualTo(new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> m.writeInt(1)).isInstanceOf(MessageNotWriteableException.class);
    }

    /**
     * BytesMessage: getBodyLength and reads need read-only mode (MessageNotReadableException before reset), reset
     * rewinds, the end of the body throws MessageEOFException, writeObject(null) throws NullPointerException (§3.12).
     */
    @Test
    void bytesMessageReadAndWriteModes() throws Exception {
        BytesMessage m = herald.session().createBytesMessage();
        m.writeInt(42);
        m.writeUTF("héllo");
        m.writeBytes(new byte[] {9, 8, 7}, 1, 2);
        assertThatThrownBy(m::getBodyLength).isInstanceOf(MessageNotReadableException.class);
        assertThatThrownBy(m::readInt).isInstanceOf(MessageNotReadableException.class);
        assertThatThrownBy(() -> m.writeObject(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.writeObject(List.of())).isInstanceOf(MessageFormatException.class);

        BytesMessage got = (BytesMessage) roundTrip(m);
        long length = got.getBodyLength();
        assertThat(length).isEqualTo(4 + 2 + "héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2);
        assertThat(got.readInt()).isEqualTo(42);
        assertThat(got.readUTF()).isEqualTo("héllo");
        byte[] rest = new byte[8];
        assertThat(got.readBytes(rest)).isEqualTo(2);
        assertThat(rest[0]).isEqualTo((byte) 8);
        assertThat(got.readBytes(rest)).isEqualTo(-1);
        assertThatThrownBy(got::readByte).isInstanceOf(MessageEOFException.class);
        got.reset();
        assertThat(got.readInt()).isEqualTo(42);
        assertThatThrownBy(() -> got.writeInt(1)).isInstanceOf(MessageNotWriteableException.class);
    }

    /**
     * §3.11.2 Read-only message body: every body type of a received message throws MessageNotWriteableException on
     * write; §3.11.1 clearBody empties the body (as a newly created message), makes it writable and keeps the
     * properties.
     */
    @Test
    void receivedBodiesAreReadOnlyUntilCleared() throws Exception {
        TextMessage text = herald.session().createTextMessage("t");
        text.setStringProperty("kept", "yes");
        TextMessage gotText = (TextMessage) roundTrip(text);
        assertThatThrownBy(() -> gotText.setText("x")).isInstanceOf(MessageNotWriteableException.class);
        gotText.clearBody();
        assertThat(gotText.getText()).isNull();
        assertThat(gotText.getStringProperty("kept")).isEqualTo("yes");
        gotText.setText("x");

        MapMessage map = herald.session().createMapMessage();
        map.setInt("a", 1);
        MapMessage gotMap = (MapMessage) roundTrip(map);
        assertThatThrownBy(() -> gotMap.setInt("b", 2)).isInstanceOf(MessageNotWriteableException.class);
        gotMap.clearBody();
        assertThat(Collections.list(gotMap.getMapNames())).isEmpty();
        gotMap.setInt("b", 2);

        ObjectMessage object = herald.session().createObjectMessage("o");
        ObjectMessage gotObject = (ObjectMessage) roundTrip(object);
        assertThatThrownBy(() -> gotObject.setObject("x")).isInstanceOf(MessageNotWriteableException.class);
        gotObject.clearBody();
        assertThat(gotObject.getObject()).isNull();

        BytesMessage bytes = herald.session().createBytesMessage();
        bytes.writeByte((byte) 1);
        BytesMessage gotBytes = (BytesMessage) roundTrip(bytes);
        assertThatThrownBy(() -> gotBytes.writeByte((byte) 2)).isInstanceOf(MessageNotWriteableException.class);
        gotBytes.clearBody();
        gotBytes.writeByte((byte) 3);
        gotBytes.reset();
        assertThat(gotBytes.getBodyLength()).isEqualTo(1);

        StreamMessage stream = herald.session().createStreamMessage();
        stream.writeInt(1);
        StreamMessage gotStream = (StreamMessage) roundTrip(stream);
        assertThatThrownBy(() -> gotStream.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
        gotStream.clearBody();
        gotStream.writeInt(3);
        gotStream.reset();
        assertThat(gotStream.readInt()).isEqualTo(3);
    }

    /**
     * §3.12: set and write methods copy their input and get and read methods return copies; an ObjectMessage holds a
     * serialized copy of its object taken at setObject.
     */
    @Test
    void bodiesCopyTheirValuesInAndOut() throws Exception {
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        ObjectMessage object = herald.session().createObjectMessage(list);
        list.add("changed after setObject");
        @SuppressWarnings("unchecked")
        List<String> fromMessage = (List<String>) object.getObject();
        assertThat(fromMessage).containsExactly("a");
        fromMessage.add("changed the copy");
        assertThat(object.getObject()).isEqualTo(List.of("a"));

        byte[] bytes = {1, 2};
        MapMessage map = herald.session().createMapMessage();
        map.setBytes("b", bytes);
        bytes[0] = 9;
        assertThat(map.getBytes("b")).containsExactly(1, 2);
        map.getBytes("b")[1] = 9;
        assertThat(map.getBytes("b")).containsExactly(1, 2);

        ObjectMessage got = (ObjectMessage) roundTrip(object);
        assertThat((Serializable) got.getObject()).isEqualTo(List.of("a"));
    }

    /**
     * §3.9 Access to sent messages: after send the client may modify and send the message again; what was sent first
     * is not affected.
     */
    @Test
    void aSentMessageCanBeModifiedAndSentAgain() throws Exception {
        TextMessage m = herald.session().createTextMessage("first");
        m.setIntProperty("n", 1);
        producer.send(m);
        String firstId = m.getJMSMessageID();
        m.setText("second");
        m.setIntProperty("n", 2);
        producer.send(m);

        TextMessage one = (TextMessage) consumer.receive(20_000);
        TextMessage two = (TextMessage) consumer.receive(20_000);
        assertThat(one.getText()).isEqualTo("first");
        assertThat(one.getIntProperty("n")).isEqualTo(1);
        assertThat(one.getJMSMessageID()).isEqualTo(firstId);
        assertThat(two.getText()).isEqualTo("second");
        assertThat(two.getIntProperty("n")).isEqualTo(2);
        assertThat(two.getJMSMessageID()).isNotEqualTo(firstId);
    }

    /**
     * Message.getBody and isBodyAssignableTo (§3.11, §8.6): the body as the asked type when assignable
     * (MessageFormatException otherwise); a message without body returns null for any type; a StreamMessage body is
     * never assignable.
     */
    @Test
    void getBodyAndIsBodyAssignableTo() throws Exception {
        TextMessage text = (TextMessage) roundTrip(herald.session().createTextMessage("t"));
        assertThat(text.isBodyAssignableTo(String.class)).isTrue();
        assertThat(text.isBodyAssignableTo(Object.class)).isTrue();
        assertThat(text.isBodyAssignableTo(Integer.class)).isFalse();
        assertThat(text.getBody(CharSequence.class)).isEqualTo("t");
        assertThatThrownBy(() -> text.getBody(Integer.class)).isInstanceOf(MessageFormatException.class);

        BytesMessage bytes = herald.session().createBytesMessage();
        bytes.writeByte((byte) 5);
        BytesMessage gotBytes = (BytesMessage) roundTrip(bytes);
        assertThat(gotBytes.getBody(byte[].class)).containsExactly(5);
        assertThat(gotBytes.isBodyAssignableTo(String.class)).isFalse();

        MapMessage map = herald.session().createMapMessage();
        map.setInt("a", 1);
        assertThat(((MapMessage) roundTrip(map)).getBody(Map.class)).containsEntry("a", 1);

        ObjectMessage object = (ObjectMessage) roundTrip(herald.session().createObjectMessage(7L));
        assertThat(object.getBody(Long.class)).isEqualTo(7L);
        assertThat(object.isBodyAssignableTo(String.class)).isFalse();

        Message empty = roundTrip(herald.session().createMessage());
        assertThat(empty.isBodyAssignableTo(String.class)).isTrue();
        assertThat(empty.getBody(String.class)).isNull();
        assertThat(((TextMessage) roundTrip(herald.session().createTextMessage())).getBody(Integer.class))
                .isNull();

        StreamMessage stream = herald.session().createStreamMessage();
        stream.writeInt(1);
        StreamMessage gotStream = (StreamMessage) roundTrip(stream);
        assertThat(gotStream.isBodyAssignableTo(Object.class)).isFalse();
        assertThatThrownBy(() -> gotStream.getBody(Object.class)).isInstanceOf(MessageFormatException.class);
    }

    /**
     * §3.11.4 Messages for non-Jakarta-Messaging clients: a message keeps its full form between JMS clients (a
     * MapMessage arrives as a MapMessage, and so on for each type).
     */
    @Test
    void eachBodyTypeArrivesAsTheSameType() throws Exception {
        assertThat(roundTrip(herald.session().createMessage()))
                .isNotInstanceOfAny(
                        TextMessage.class,
                        BytesMessage.class,
                        MapMessage.class,
                        ObjectMessage.class,
                        StreamMessage.class);
        assertThat(roundTrip(herald.session().createTextMessage("x"))).isInstanceOf(TextMessage.class);
        assertThat(roundTrip(herald.session().createBytesMessage())).isInstanceOf(BytesMessage.class);
        assertThat(roundTrip(herald.session().createMapMessage())).isInstanceOf(MapMessage.class);
        assertThat(roundTrip(herald.session().createObjectMessage())).isInstanceOf(ObjectMessage.class);
        assertThat(roundTrip(herald.session().createStreamMessage())).isInstanceOf(StreamMessage.class);
    }
}
