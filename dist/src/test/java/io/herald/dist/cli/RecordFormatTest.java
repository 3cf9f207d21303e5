package io.herald.dist.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordFormatTest {

    private static ConsumerRecord<byte[], byte[]> record(String key, String value, RecordHeader... headers) {
        return new ConsumerRecord<>(
                "t",
                3,
                42L,
                1700000000000L,
                TimestampType.LOG_APPEND_TIME,
                -1,
                -1,
                key == null ? null : key.getBytes(UTF_8),
                value == null ? null : value.getBytes(UTF_8),
                new RecordHeaders(headers),
                Optional.empty());
    }

    @Test
    void templatesMixLiteralTextAndFields() {
        RecordFormat format =
                RecordFormat.parse("{topic}-{partition}@{offset} {timestampType}/{timestamp} {key}={value}");

        assertThat(format.format(record("k", "v"))).isEqualTo("t-3@42 LogAppendTime/1700000000000 k=v");
    }

    @Test
    void missingKeysValuesAndHeadersPrintLikeKafkasConsoleConsumer() {
        RecordFormat format = RecordFormat.parse("{key}|{value}|{headers}");

        assertThat(format.format(record(null, null))).isEqualTo("null|null|NO_HEADERS");
        assertThat(format.format(
                        record("k", "v", new RecordHeader("a", "1".getBytes(UTF_8)), new RecordHeader("b", null))))
                .isEqualTo("k|v|a:1,b:null");
    }

    @Test
    void doubledBracesAndBackslashEscapesAreLiterals() {
        assertThat(RecordFormat.parse("{{\"v\": \"{value}\"}}\\t!").format(record("k", "x")))
                .isEqualTo("{\"v\": \"x\"}\t!");
    }

    @Test
    void unknownFieldsAndUnclosedBracesAreRejectedWithTheListOfFields() {
        assertThatThrownBy(() -> RecordFormat.parse("{val}"))
                .hasMessageContaining("Unknown field {val}")
                .hasMessageContaining(RecordFormat.FIELD_NAMES);
        assertThatThrownBy(() -> RecordFormat.parse("{value")).hasMessageContaining("unclosed");
    }

    @Test
    void theFlagLayoutPutsTheChosenFieldsBeforeTheValue() {
        ConsumerRecord<byte[], byte[]> r = record("k", "v", new RecordHeader("h", "x".getBytes(UTF_8)));

        assertThat(RecordFormat.of(false, false, false, false, false, "\\t").format(r))
                .isEqualTo("v");
        assertThat(RecordFormat.of(true, true, true, true, true, "\\t").format(r))
                .isEqualTo("LogAppendTime:1700000000000\tPartition:3\tOffset:42\th:x\tk\tv");
        assertThat(RecordFormat.of(false, false, false, false, true, "{}").format(r))
                .isEqualTo("k{}v");
    }

    @Test
    void escapesExpandOnlyTheKnownSequences() {
        assertThat(Escapes.unescape("a\\tb\\nc\\\\d\\xe\\")).isEqualTo("a\tb\nc\\d\\xe\\");
    }
}
