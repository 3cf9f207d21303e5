package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conformance, Jakarta Messaging 3.1 §3.5 "Message properties": names, values, the conversion table of §3.5.4, read-only
 * properties of a received message, JMSX properties. Messages come from a session on a real broker; those whose
 * received state matters travel through it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Spec03MessagePropertiesTest {

    @RegisterExtension
    static final BrokerClientExtension herald = new BrokerClientExtension();

    private static Queue queue;
    private static MessageConsumer consumer;
    /** A message with property {@code p_<type>} set as each type of table 3-2, before and after the broker. */
    private static Message typed;

    private static Message typedReceived;

    /** The eight property types of §3.5.2, in the order of the rows and columns of table 3-2. */
    private static final List<String> TYPES =
            List.of("boolean", "byte", "short", "int", "long", "float", "double", "String");

    /** Table 3-2: the column types a value set as the row type can be read as. */
    private static final Map<String, Set<String>> READABLE_AS = Map.of(
            "boolean", Set.of("boolean", "String"),
            "byte", Set.of("byte", "short", "int", "long", "String"),
            "short", Set.of("short", "int", "long", "String"),
            "int", Set.of("int", "long", "String"),
            "long", Set.of("long", "String"),
            "float", Set.of("float", "double", "String"),
            "double", Set.of("double", "String"),
            "String", Set.copyOf(TYPES));

    @BeforeAll
    static void prepare() throws Exception {
        queue = herald.queue("spec3-props");
        consumer = herald.session().createConsumer(queue);
        typed = herald.session().createMessage();
        for (String type : TYPES) {
            set(typed, type, "p_" + type);
        }
        typedReceived = roundTrip(typed);
    }

    private static Message roundTrip(Message m) throws Exception {
        herald.session().createProducer(queue).send(m);
        Message got = consumer.receive(20_000);
        assertThat(got).as("message received").isNotNull();
        return got;
    }

    /** Sets property {@code p} of {@code m} with the typed setter of {@code type}; the String form is "1". */
    private static void set(Message m, String type, String p) throws JMSException {
        switch (type) {
            case "boolean" -> m.setBooleanProperty(p, true);
            case "byte" -> m.setByteProperty(p, (byte) 1);
            case "short" -> m.setShortProperty(p, (short) 1);
            case "int" -> m.setIntProperty(p, 1);
            case "long" -> m.setLongProperty(p, 1L);
            case "float" -> m.setFloatProperty(p, 1f);
            case "double" -> m.setDoubleProperty(p, 1d);
            default -> m.setStringProperty(p, "1");
        }
    }

    private static Object get(Message m, String type, String p) throws JMSException {
        return switch (type) {
            case "boolean" -> m.getBooleanProperty(p);
            case "byte" -> m.getByteProperty(p);
            case "short" -> m.getShortProperty(p);
            case "int" -> m.getIntProperty(p);
            case "long" -> m.getLongProperty(p);
            case "float" -> m.getFloatProperty(p);
            case "double" -> m.getDoubleProperty(p);
            default -> m.getStringProperty(p);
        };
    }

    static Stream<Arguments> conversionTable() {
        return TYPES.stream().flatMap(row -> TYPES.stream().map(column -> Arguments.of(row, column)));
    }

    /**
     * §3.5.4 Property value conversion, table 3-2: every marked cell converts (a value set as 1 reads as 1, "1", or
     * false for "1" read as boolean), every unmarked cell throws MessageFormatException; before and after the message
     * went through the broker.
     */
    @ParameterizedTest(name = "set as {0}, read as {1}")
    @MethodSource("conversionTable")
    void propertyConversionTable(String row, String column) throws Exception {
        String p = "p_" + row;
        for (Message each : List.of(typed, typedReceived)) {
            if (READABLE_AS.get(row).contains(column)) {
                Object value = get(each, column, p);
                switch (column) {
                    case "boolean" -> assertThat(value).isEqualTo(row.equals("boolean")); // "1" is not "true"
                    case "String" -> assertThat(value).isEqualTo(row.equals("boolean") ? "true" : oneAsString(row));
                    default -> assertThat(((Number) value).doubleValue()).isEqualTo(1.0);
                }
            } else {
                assertThatThrownBy(() -> get(each, column, p)).isInstanceOf(MessageFormatException.class);
            }
        }
    }

    private static String oneAsString(String type) {
        return switch (type) {
            case "float", "double" -> "1.0";
            default -> "1";
        };
    }

    /**
     * §3.5.4: a String that the numeric type's valueOf does not accept throws java.lang.NumberFormatException (not a
     * JMS exception); a String reads as boolean the way Boolean.valueOf does.
     */
    @Test
    void unparsableStringsThrowNumberFormatException() throws Exception {
        Message m = herald.session().createMessage();
        m.setStringProperty("word", "twelve");
        m.setStringProperty("big", "300");
        m.setStringProperty("yes", "TRUE");
        for (String type : List.of("byte", "short", "int", "long", "float", "double")) {
            assertThatThrownBy(() -> get(m, type, "word")).as(type).isExactlyInstanceOf(NumberFormatException.class);
        }
        assertThatThrownBy(() -> m.getByteProperty("big")).isExactlyInstanceOf(NumberFormatException.class);
        assertThat(m.getShortProperty("big")).isEqualTo((short) 300);
        assertThat(m.getBooleanProperty("yes")).isTrue();
        assertThat(m.getBooleanProperty("word")).isFalse();
    }

    /**
     * §3.5.4 and §3.5.8: a property that does not exist reads as null; as a primitive that is valueOf(null): false for
     * boolean, NumberFormatException for the integral types, NullPointerException for float and double.
     */
    @Test
    void missingPropertiesReadAsNull() throws Exception {
        Message m = herald.session().createMessage();
        assertThat(m.propertyExists("absent")).isFalse();
        assertThat(m.getObjectProperty("absent")).isNull();
        assertThat(m.getStringProperty("absent")).isNull();
        assertThat(m.getBooleanProperty("absent")).isFalse();
        for (String type : List.of("byte", "short", "int", "long")) {
            assertThatThrownBy(() -> get(m, type, "absent")).as(type).isInstanceOf(NumberFormatException.class);
        }
        assertThatThrownBy(() -> m.getFloatProperty("absent")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.getDoubleProperty("absent")).isInstanceOf(NullPointerException.class);
    }

    /**
     * §3.5.5 Property values as objects: setObjectProperty takes the boxed property types and String and refuses
     * anything else with MessageFormatException; getObjectProperty returns the boxed type that was set, also after the
     * broker.
     */
    @Test
    void objectPropertiesKeepTheirTypeAndRefuseOtherClasses() throws Exception {
        Message m = herald.session().createMessage();
        List<Object> values = List.of(true, (byte) 2, (short) 3, 4, 5L, 6.5f, 7.25d, "eight");
        for (int i = 0; i < values.size(); i++) {
            m.setObjectProperty("p" + i, values.get(i));
        }
        assertThatThrownBy(() -> m.setObjectProperty("chars", 'c')).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.setObjectProperty("bytes", new byte[] {1}))
                .isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.setObjectProperty("list", List.of(1))).isInstanceOf(MessageFormatException.class);

        Message got = roundTrip(m);
        for (int i = 0; i < values.size(); i++) {
            assertThat(got.getObjectProperty("p" + i)).isEqualTo(values.get(i));
        }
        assertThat(got.getIntProperty("p1")).isEqualTo(2);
        assertThat(got.getDoubleProperty("p5")).isEqualTo(6.5d);
    }

    /**
     * §3.5.1 Property names obey the rules of a selector identifier (§3.8.1.1): a Java identifier start then identifier
     * parts, not NULL, TRUE, FALSE, NOT, AND, OR, BETWEEN, LIKE, IN, IS or ESCAPE; null or empty names are refused.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {"", "1st", "with space", "a-b", "NULL", "true", "Not", "and", "OR", "between", "like", "In"})
    void propertyNamesThatAreNotSelectorIdentifiersAreRefused(String name) throws Exception {
        Message m = herald.session().createMessage();
        assertThatThrownBy(() -> m.setStringProperty(name, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setIntProperty(name, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(m.propertyExists(name)).isFalse();
    }

    /** §3.5.1, §3.8.1.1: identifiers may use '_' and '$', are case sensitive, and may contain keywords as parts. */
    @Test
    void identifierPropertyNamesAreAcceptedAndCaseSensitive() throws Exception {
        Message m = herald.session().createMessage();
        m.setIntProperty("_under", 1);
        m.setIntProperty("$dollar", 2);
        m.setIntProperty("orderId", 3);
        m.setIntProperty("OrderId", 4);
        m.setIntProperty("isNull", 5);
        Message got = roundTrip(m);
        assertThat(got.getIntProperty("_under")).isEqualTo(1);
        assertThat(got.getIntProperty("$dollar")).isEqualTo(2);
        assertThat(got.getIntProperty("orderId")).isEqualTo(3);
        assertThat(got.getIntProperty("OrderId")).isEqualTo(4);
        assertThat(got.getIntProperty("isNull")).isEqualTo(5);
    }

    /**
     * §3.5.3 Using properties and §3.10: the properties of a received message are read-only
     * (MessageNotWriteableException); §3.5.7: clearProperties empties them, makes them writable and leaves the body.
     */
    @Test
    void receivedPropertiesAreReadOnlyUntilCleared() throws Exception {
        TextMessage m = herald.session().createTextMessage("body stays");
        m.setStringProperty("a", "1");
        TextMessage got = (TextMessage) roundTrip(m);
        assertThatThrownBy(() -> got.setStringProperty("a", "2")).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> got.setObjectProperty("b", 1)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(got.getStringProperty("a")).isEqualTo("1");

        got.clearProperties();
        assertThat(got.propertyExists("a")).isFalse();
        assertThat(Collections.list(got.getPropertyNames())).isEmpty();
        got.setStringProperty("a", "2");
        assertThat(got.getStringProperty("a")).isEqualTo("2");
        assertThat(got.getText()).isEqualTo("body stays");
    }

    /**
     * §3.5.6 Property iteration: getPropertyNames names the properties set and none of the header fields; a null
     * value is a property that exists.
     */
    @Test
    void propertyNamesListPropertiesNotHeaders() throws Exception {
        Message m = herald.session().createMessage();
        m.setJMSType("t");
        m.setJMSCorrelationID("c");
        m.setStringProperty("colour", "blue");
        m.setIntProperty("size", 3);
        m.setStringProperty("nothing", null);
        assertThat(Collections.list(m.getPropertyNames())).containsExactlyInAnyOrder("colour", "size", "nothing");
        assertThat(m.propertyExists("nothing")).isTrue();
        assertThat(m.getStringProperty("nothing")).isNull();
        Message got = roundTrip(m);
        List<String> names = Collections.list(got.getPropertyNames());
        assertThat(names).contains("colour", "size");
        assertThat(names).noneMatch(n -> n.startsWith("JMS") && !n.startsWith("JMSX"));
    }

    /**
     * §3.5.9 JMS defined properties: JMSXGroupID and JMSXGroupSeq are set by the client and supported by every
     * provider; ConnectionMetaData lists them and the mandatory JMSXDeliveryCount.
     */
    @Test
    void jmsxGroupPropertiesAreSupported() throws Exception {
        Message m = herald.session().createMessage();
        m.setStringProperty("JMSXGroupID", "basket-7");
        m.setIntProperty("JMSXGroupSeq", 1);
        Message got = roundTrip(m);
        assertThat(got.getStringProperty("JMSXGroupID")).isEqualTo("basket-7");
        assertThat(got.getIntProperty("JMSXGroupSeq")).isEqualTo(1);
        assertThat(got.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        assertThat(Collections.list(herald.connection().getMetaData().getJMSXPropertyNames()))
                .contains("JMSXGroupID", "JMSXGroupSeq", "JMSXDeliveryCount");
    }
}
