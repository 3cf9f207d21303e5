package io.herald.security.tls;

/**
 * One {@code ssl.*} setting: its Kafka name, its default as written in a properties file ({@code ""} when there is
 * none) and what it means. {@link SslSettings#KEYS} lists them all; docs/configuration.md documents them.
 *
 * <p>Thread-safety: immutable.
 */
public record SslKey(String name, String defaultValue, String doc) {}
