package io.herald.log;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key: its name (Kafka's, so existing tools and habits carry over), default, documentation and the
 * rule a value must satisfy.
 *
 * <p>Thread-safety: immutable.
 *
 * @param name the key as it appears in topic configs and {@code server.properties}
 * @param defaultValue the value when the key is not set
 * @param doc what the key does, for the configuration reference
 * @param parser turns the text of a value into its type
 * @param valid the values accepted
 * @param validValues the accepted values, in words, for error messages
 * @param <T> the value's type
 */
public record ConfigKey<T>(
        String name, T defaultValue, String doc, Function<String, T> parser, Predicate<T> valid, String validValues) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(valid, "valid");
    }

    /** Parses and validates {@code text}; the message of the exception names the key and what is accepted. */
    public T parse(String text) {
        T value;
        try {
            value = parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "Invalid value '" + text + "' for configuration " + name + ": expected " + validValues, e);
        }
        if (!valid.test(value)) {
            throw new IllegalArgumentException(
                    "Invalid value '" + text + "' for configuration " + name + ": expected " + validValues);
        }
        return value;
    }

    public static ConfigKey<Long> ofLong(String name, long defaultValue, long min, String doc) {
        return new ConfigKey<>(name, defaultValue, doc, Long::parseLong, v -> v >= min, "a long >= " + min);
    }

    public static ConfigKey<Integer> ofInt(String name, int defaultValue, int min, String doc) {
        return new ConfigKey<>(name, defaultValue, doc, Integer::parseInt, v -> v >= min, "an int >= " + min);
    }
}
