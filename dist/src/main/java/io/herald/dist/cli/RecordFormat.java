package io.herald.dist.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * How {@code herald consume} prints a record: a template of literal text and fields in braces, e.g.
 * {@code "{partition}:{offset} {key}={value}"}. Fields: {@value #FIELD_NAMES}. {@code {{} and {@code }}} are literal
 * braces. Keys, values and header values are printed as UTF-8 text, {@code null} for a missing one; headers as
 * {@code k1:v1,k2:v2} or {@code NO_HEADERS}, as Kafka's console consumer prints them.
 *
 * <p>Thread-safety: immutable.
 */
final class RecordFormat {

    static final String FIELD_NAMES = "topic, partition, offset, timestamp, timestampType, key, value, headers";
    private static final List<String> FIELDS = List.of(FIELD_NAMES.split(", "));

    /** A piece of the template: literal text, or a field (then {@code field} is its name). */
    private record Part(String literal, String field) {}

    private final List<Part> parts;

    private RecordFormat(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses a template; backslash escapes (\t, \n) are expanded first.
     *
     * @throws IllegalArgumentException for an unknown field or an unclosed brace
     */
    static RecordFormat parse(String template) {
        String text = Escapes.unescape(template);
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c) {
                literal.append(c);
                i += 2;
            } else if (c == '{') {
                int end = text.indexOf('}', i);
                String name = end < 0 ? null : text.substring(i + 1, end);
                if (name == null || !FIELDS.contains(name)) {
                    throw new IllegalArgumentException("Unknown field "
                            + (end < 0 ? "(unclosed '{')" : "{" + name + "}") + " in --format; fields: "
                            + FIELD_NAMES + " (write {{ for a literal brace)");
                }
                flush(literal, parts);
                parts.add(new Part(null, name));
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, parts);
        return new RecordFormat(parts);
    }

    /**
     * Kafka's console consumer layout: the chosen fields in the order timestamp, partition, offset, headers, key, then
     * the value, separated by {@code separator} (as typed: backslash escapes are expanded).
     */
    static RecordFormat of(
            boolean timestamp, boolean partition, boolean offset, boolean headers, boolean key, String separator) {
        StringJoiner template = new StringJoiner(escapeBraces(separator));
        if (timestamp) {
            template.add("{timestampType}:{timestamp}");
        }
        if (partition) {
            template.add("Partition:{partition}");
        }
        if (offset) {
            template.add("Offset:{offset}");
        }
        if (headers) {
            template.add("{headers}");
        }
        if (key) {
            template.add("{key}");
        }
        template.add("{value}");
        return parse(template.toString());
    }

    String format(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part.literal() != null ? part.literal() : field(part.field(), record));
        }
        return out.toString();
    }

    private static String field(String name, ConsumerRecord<byte[], byte[]> r) {
        return switch (name) {
            case "topic" -> r.topic();
            case "partition" -> String.valueOf(r.partition());
            case "offset" -> String.valueOf(r.offset());
            case "timestamp" -> String.valueOf(r.timestamp());
            case "timestampType" -> r.timestampType().toString();
            case "key" -> text(r.key());
            case "value" -> text(r.value());
            case "headers" -> headers(r);
            default -> throw new IllegalStateException(name);
        };
    }

    private static String headers(ConsumerRecord<byte[], byte[]> r) {
        StringJoiner joined = new StringJoiner(",");
        for (Header h : r.headers()) {
            joined.add(h.key() + ":" + text(h.value()));
        }
        return joined.length() == 0 ? "NO_HEADERS" : joined.toString();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), null));
            literal.setLength(0);
        }
    }

    private static String escapeBraces(String text) {
        return text.replace("{", "{{").replace("}", "}}");
    }
}
