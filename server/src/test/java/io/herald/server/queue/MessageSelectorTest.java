package io.herald.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.log.record.Header;
import io.herald.log.record.Record;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JMS selector language (spec section 3.8.1) against records carrying the JMS mapping's headers. */
class MessageSelectorTest {

    /** color='red' (String), qty=5 (int), price=2.5 (double), vip=true (boolean), JMSPriority 7, no 'missing'. */
    private static MessageView view() {
        List<Header> h = new ArrayList<>();
        h.add(header("color", "red"));
        h.add(header("qty", "5"));
        h.add(header("jms.pt.qty", "int"));
        h.add(header("price", "2.5"));
        h.add(header("jms.pt.price", "double"));
        h.add(header("vip", "true"));
        h.add(header("jms.pt.vip", "boolean"));
        h.add(header("code", "AB_C%"));
        h.add(header("jms.priority", "7"));
        h.add(header("jms.delivery.mode", "2"));
        h.add(header("jms.jmstype", "order"));
        h.add(header("jms.message.id", "ID:42"));
        return new MessageView(new Record(3, 1000, null, new byte[0], h), "t", 0, 1);
    }

    private static Header header(String k, String v) {
        return new Header(k, v.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "color = 'red'|true",
                "color <> 'red'|false",
                "qty > 4 AND price < 3|true",
                "qty * 2 + 1 = 11|true",
                "-qty = -5|true",
                "qty / 2 = 2|true",
                "price * 2 = 5.0|true",
                "qty BETWEEN 5 AND 6|true",
                "qty NOT BETWEEN 5 AND 6|false",
                "color IN ('blue', 'red')|true",
                "color NOT IN ('blue', 'red')|false",
                "color LIKE 'r_d'|true",
                "color LIKE 'b%'|false",
                "code LIKE 'AB\\_C\\%' ESCAPE '\\'|true",
                "code NOT LIKE 'A%'|false",
                "vip|true",
                "vip = TRUE AND NOT (qty < 5)|true",
                "missing IS NULL|true",
                "color IS NOT NULL|true",
                "missing = 1|false",
                "NOT (missing = 1)|false",
                "missing = 1 OR qty = 5|true",
                "missing = 1 AND qty = 5|false",
                "JMSPriority >= 5 AND JMSDeliveryMode = 'PERSISTENT'|true",
                "JMSType = 'order' AND JMSMessageID = 'ID:42'|true",
                "JMSTimestamp = 1000|true",
                "color = 5|false",
                "1.5e1 = 15|true",
                "'it''s' = 'it''s'|true",
                "TRUE|true",
                "(qty = 1 OR qty = 5) AND color = 'red'|true"
            })
    void evaluatesAsTheSpecSays(String selector, boolean expected) {
        assertThat(MessageSelector.parse(selector).matches(view())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "color =",
                "color = 'red",
                "qty + 1",
                "'red'",
                "color = 'a' AND",
                "color IN (1, 2)",
                "5 LIKE 'x'",
                "JMSDestination = 'q'",
                "color < 'z'",
                "'a' = 1",
                "NULL = color",
                "qty BETWEEN 'a' AND 'b'",
                "color # 'red'",
                "(qty = 5"
            })
    void rejectsWhatIsNotASelector(String selector) {
        assertThatThrownBy(() -> MessageSelector.parse(selector))
                .isInstanceOf(MessageSelector.InvalidSelectorException.class);
    }
}
