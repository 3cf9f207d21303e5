package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conformance, Jakarta Messaging 3.1 §3.8 "Message selection": the syntax and the semantics of selectors, evaluated by
 * the broker for consumers on a real queue.
 *
 * <p>{@link #selected} sends the messages, then an end marker, and consumes with {@code (selector) OR specEnd = TRUE}:
 * the marker always matches, and for the other messages (where {@code specEnd} is NULL) the disjunction is true exactly
 * when the selector is (TRUE OR UNKNOWN is TRUE, FALSE or UNKNOWN OR UNKNOWN is UNKNOWN), so no test has to wait for a
 * message that must not come.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Spec03MessageSelectorTest {

    @RegisterExtension
    static final BrokerClientExtension herald = new BrokerClientExtension();

    private static Message message() throws JMSException {
        return herald.session().createMessage();
    }

    private static Message with(String name, Object value) throws JMSException {
        Message m = herald.session().createMessage();
        m.setObjectProperty(name, value);
        return m;
    }

    /** The indexes of {@code messages} that {@code selector} selects, in the order sent. */
    private static List<Integer> selected(String selector, Message... messages) throws Exception {
        Queue q = herald.queue("spec3-sel");
        MessageProducer producer = herald.session().createProducer(q);
        for (int i = 0; i < messages.length; i++) {
            messages[i].setIntProperty("specIndex", i);
            producer.send(messages[i], DeliveryMode.PERSISTENT, 4, 0);
        }
        Message end = herald.session().createMessage();
        end.setBooleanProperty("specEnd", true);
        producer.send(end, DeliveryMode.PERSISTENT, 0, 0); // lowest priority: delivered after the others
        List<Integer> got = new ArrayList<>();
        MessageConsumer c = herald.session().createConsumer(q, "(" + selector + ") OR specEnd = TRUE");
        while (true) {
            Message m = c.receive(20_000);
            assertThat(m).as("end marker of " + selector).isNotNull();
            if (m.propertyExists("specEnd")) {
                return got;
            }
            got.add(m.getIntProperty("specIndex"));
        }
    }

    /** The first message a new consumer with {@code selector} on {@code q} receives (left open: closing is not tested here). */
    private static Message firstSelected(Queue q, String selector) throws Exception {
        Message m = herald.session().createConsumer(q, selector).receive(20_000);
        assertThat(m).as("selected by " + selector).isNotNull();
        return m;
    }

    /**
     * §3.8.1.1 literals: strings in single quotes with '' for a quote, exact numerics (Java long), approximate numerics
     * (7E3, 7., -95.7), TRUE/FALSE; exact and approximate values compare by numeric promotion.
     */
    @Test
    void literals() throws Exception {
        assertThat(selected(
                        "name = 'O''Brien' OR qty = 57.0 OR price = 7E3 OR temp < -95.7 OR flag = TRUE",
                        with("name", "O'Brien"),
                        with("qty", 57),
                        with("price", 7000L),
                        with("temp", -100.5f),
                        with("flag", true),
                        with("flag", false),
                        with("name", "OBrien")))
                .containsExactly(0, 1, 2, 3, 4);
    }

    /**
     * §3.8.1.1: identifiers are case sensitive, operator names and literals are not; a boolean property is a
     * conditional expression on its own.
     */
    @Test
    void identifiersAreCaseSensitiveKeywordsAreNot() throws Exception {
        Message upper = with("Size", 3);
        upper.setBooleanProperty("urgent", true);
        assertThat(selected(
                        "size = 3 or (urgent aNd Size = 3 AND urgent = true)", with("size", 3), upper, with("SIZE", 3)))
                .containsExactly(0, 1);
    }

    /**
     * §3.8.1.1 header field references: JMSDeliveryMode (as 'PERSISTENT'/'NON_PERSISTENT', §3.8.1.3), JMSPriority,
     * JMSType, JMSCorrelationID, JMSTimestamp (millis, §3.8.1.3) and JMSMessageID; a null JMSType or
     * JMSCorrelationID is NULL.
     */
    @Test
    void headerFieldsInSelectors() throws Exception {
        Message car = message();
        car.setJMSType("car");
        Message correlated = message();
        correlated.setJMSCorrelationID("order-1");
        Queue q = herald.queue("spec3-sel-headers");
        MessageProducer producer = herald.session().createProducer(q);
        Message nonPersistent = message();
        producer.send(nonPersistent, DeliveryMode.NON_PERSISTENT, 4, 0);
        Message urgent = message();
        producer.send(urgent, DeliveryMode.PERSISTENT, 8, 0);
        producer.send(car);
        producer.send(correlated);
        long now = System.currentTimeMillis();
        assertThat(firstSelected(q, "JMSDeliveryMode = 'NON_PERSISTENT'").getJMSMessageID())
                .isEqualTo(nonPersistent.getJMSMessageID());
        assertThat(firstSelected(q, "JMSPriority > 7 AND JMSDeliveryMode = 'PERSISTENT'")
                        .getJMSMessageID())
                .isEqualTo(urgent.getJMSMessageID());
        assertThat(firstSelected(q, "JMSType = 'car' AND JMSCorrelationID IS NULL")
                        .getJMSMessageID())
                .isEqualTo(car.getJMSMessageID());
        assertThat(firstSelected(
                                q,
                                "JMSCorrelationID = 'order-1' AND JMSType IS NULL AND JMSTimestamp <= " + now
                                        + " AND JMSMessageID = '" + correlated.getJMSMessageID() + "'")
                        .getJMSMessageID())
                .isEqualTo(correlated.getJMSMessageID());
    }

    /**
     * §3.4.3 with §3.8.1.1: a message sent with message ids disabled has a null JMSMessageID, which a selector sees as
     * NULL.
     */
    @Test
    void disabledMessageIdIsNullInSelectors() throws Exception {
        Queue q = herald.queue("spec3-sel-noid");
        MessageProducer producer = herald.session().createProducer(q);
        producer.setDisableMessageID(true);
        producer.send(with("n", 1));
        producer.setDisableMessageID(false);
        producer.send(with("n", 2));
        assertThat(firstSelected(q, "JMSMessageID IS NOT NULL").getIntProperty("n"))
                .isEqualTo(2);
        Message m = herald.session().createConsumer(q, "JMSMessageID IS NULL").receive(20_000);
        assertThat(m.getIntProperty("n")).isEqualTo(1);
        assertThat(m.getJMSMessageID()).isNull();
    }

    /**
     * §3.8.1.2 Null values: a missing property is NULL; comparisons with NULL are UNKNOWN; AND, OR and NOT follow
     * tables 3-4 to 3-6; IS [NOT] NULL turns NULL into TRUE or FALSE; only TRUE selects.
     */
    @Test
    void threeValuedLogic() throws Exception {
        assertThat(selected(
                        "NOT (missing = 1) OR (a = 1 AND missing IS NULL AND NOT (a = 2 AND missing = 1))"
                                + " OR (a = 3 OR missing > 0) OR (a = 4 AND NOT (a = 4 AND missing = 1))",
                        with("a", 1), // NOT U = U; T AND T AND NOT (F AND U) = T
                        with("a", 2), // U; F; F OR U = U; F
                        with("a", 3), // T OR U = T
                        with("a", 4), // NOT (T AND U) = U: T AND U = U
                        message()))
                .containsExactly(0, 2);
        assertThat(selected("missing IS NULL AND a IS NOT NULL", with("a", 1), message()))
                .containsExactly(0);
    }

    /**
     * §3.8.1.1: arithmetic uses Java numeric promotion (int division truncates, a double operand makes it floating),
     * unary minus binds tighter than * and /, which bind tighter than + and -; a String property is not a number
     * (the property conversions do not apply in selectors), and comparing unlike types is FALSE, not UNKNOWN.
     */
    @Test
    void arithmeticAndTypes() throws Exception {
        assertThat(selected("a / 2 = 3 AND a / 2.0 = 3.5 AND 1 + 2 * 3 = 7 AND -a * 2 = -14", with("a", 7)))
                .containsExactly(0);
        assertThat(selected("NumberOfOrders > 1", with("NumberOfOrders", "2"), with("NumberOfOrders", 2)))
                .containsExactly(1);
        assertThat(selected("NOT (s = 1)", with("s", "1"), with("s", 1), message()))
                .containsExactly(0);
    }

    /**
     * §3.8.1.1 [NOT] BETWEEN: "age BETWEEN 15 AND 19" is "age >= 15 AND age <= 19", NOT BETWEEN its negation; on NULL
     * both are UNKNOWN.
     */
    @Test
    void between() throws Exception {
        Message[] ages = {with("age", 15), with("age", 19), with("age", 20), with("age", 14.5), message()};
        assertThat(selected("age BETWEEN 15 AND 19", ages)).containsExactly(0, 1);
        assertThat(selected("age NOT BETWEEN 15 AND 19", ages)).containsExactly(2, 3);
    }

    /** §3.8.1.1 [NOT] IN with string literals; a NULL identifier makes both UNKNOWN. */
    @Test
    void in() throws Exception {
        Message[] countries = {with("Country", "UK"), with("Country", "Peru"), message()};
        assertThat(selected("Country IN ('UK', 'US', 'France')", countries)).containsExactly(0);
        assertThat(selected("Country NOT IN ('UK', 'US', 'France')", countries)).containsExactly(1);
    }

    /**
     * §3.8.1.1 [NOT] LIKE: '_' one character, '%' any sequence, ESCAPE makes them literal; a NULL identifier makes it
     * UNKNOWN.
     */
    @Test
    void like() throws Exception {
        Message[] phones = {with("phone", "123"), with("phone", "12993"), with("phone", "1234"), message()};
        assertThat(selected("phone LIKE '12%3'", phones)).containsExactly(0, 1);
        assertThat(selected("phone NOT LIKE '12%3'", phones)).containsExactly(2);
        assertThat(selected(
                        "word LIKE 'l_se' OR underscored LIKE '\\_%' ESCAPE '\\'",
                        with("word", "lose"),
                        with("word", "loose"),
                        with("underscored", "_foo"),
                        with("underscored", "bar")))
                .containsExactly(0, 2);
    }

    /** §3.8.1.1: an empty selector is no selector (null); every message is delivered. */
    @Test
    void emptySelectorSelectsEverything() throws Exception {
        Queue q = herald.queue("spec3-sel-empty");
        herald.session().createProducer(q).send(with("a", 1));
        MessageConsumer c = herald.session().createConsumer(q, "");
        assertThat(c.getMessageSelector() == null || c.getMessageSelector().isEmpty())
                .isTrue();
        assertThat(c.receive(20_000)).isNotNull();
    }

    /**
     * §3.8.1.1: a syntactically incorrect selector throws InvalidSelectorException when presented (consumer and
     * browser), InvalidSelectorRuntimeException on a JMSContext.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "a =",
                "a == 1",
                "(a = 1",
                "a = 'unterminated",
                "a LIKE 5",
                "a IN (1, 2)",
                "a BETWEEN 1",
                "and = 1",
                "a = 1 AND",
                "a = 1 /* comment */"
            })
    void invalidSelectorsAreRefusedAtCreation(String selector) throws Exception {
        Queue q = herald.session().createQueue("spec3-sel-invalid");
        assertThatThrownBy(() -> herald.session().createConsumer(q, selector))
                .isInstanceOf(InvalidSelectorException.class);
        assertThatThrownBy(() -> herald.session().createBrowser(q, selector))
                .isInstanceOf(InvalidSelectorException.class);
        assertThatThrownBy(() -> herald.context().createConsumer(q, selector))
                .isInstanceOf(InvalidSelectorRuntimeException.class);
    }
}
