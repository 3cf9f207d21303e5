package io.herald.console.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Deque;
import java.util.Optional;

/**
 * Path and query parameters and body fields, parsed with a {@link BadRequestException} that names the parameter and
 * what it accepts.
 *
 * <p>Thread-safety: stateless.
 */
public final class Params {

    private Params() {}

    /** A path or query parameter, if given and not blank. */
    public static Optional<String> string(HttpServerExchange exchange, String name) {
        // Undertow's RoutingHandler puts the template's parameters among the path parameters.
        Deque<String> values = exchange.getPathParameters().get(name);
        if (values == null || values.isEmpty()) {
            values = exchange.getQueryParameters().get(name);
        }
        if (values == null || values.isEmpty() || values.getFirst().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(values.getFirst());
    }

    /** A path parameter or required query parameter. */
    public static String required(HttpServerExchange exchange, String name) {
        return string(exchange, name).orElseThrow(() -> new BadRequestException("Parameter '" + name + "' is missing"));
    }

    public static Optional<Long> longValue(HttpServerExchange exchange, String name) {
        return string(exchange, name).map(v -> parseLong(name, v));
    }

    public static int intValue(HttpServerExchange exchange, String name, int defaultValue) {
        return string(exchange, name).map(v -> (int) parseLong(name, v)).orElse(defaultValue);
    }

    public static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException("'" + name + "' must be a whole number, not '" + value + "'");
        }
    }

    /** A time as epoch milliseconds or as an ISO-8601 instant ({@code 2026-11-22T10:00:00Z}). */
    public static long parseTime(String name, String value) {
        String v = value.trim();
        if (v.matches("-?\\d+")) {
            return parseLong(name, v);
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadRequestException("'" + name + "' must be epoch milliseconds or an ISO-8601 time such as"
                    + " 2026-11-22T10:00:00Z, not '" + value + "'");
        }
    }

    /** A text field of a JSON body; empty when absent or null. */
    public static Optional<String> text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isValueNode()) {
            throw new BadRequestException("'" + field + "' must be a string");
        }
        return Optional.of(n.asText());
    }

    /** A whole-number field of a JSON body; empty when absent or null. */
    public static Optional<Long> number(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isIntegralNumber()) {
            return Optional.of(n.asLong());
        }
        if (n.isTextual()) {
            return Optional.of(parseLong(field, n.asText()));
        }
        throw new BadRequestException("'" + field + "' must be a whole number");
    }

    /** A whole-number field that must be within an int range. */
    public static Optional<Integer> intField(JsonNode body, String field, int min, int max) {
        return number(body, field).map(v -> {
            if (v < min || v > max) {
                throw new BadRequestException("'" + field + "' must be between " + min + " and " + max + ", not " + v);
            }
            return v.intValue();
        });
    }
}
