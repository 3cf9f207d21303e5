package io.herald.jms;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What a connection factory knows: where the brokers are, who connects, and the tuning options. Built from a URL
 * {@code herald://host:9092,host2:9092?clientId=app&prefetch=20} or from setters.
 *
 * <p>Options (URL query parameters, JNDI properties and setters): {@code clientId}, {@code user} and {@code password}
 * (SASL, SCRAM-SHA-512 unless {@code kafka.sasl.mechanism} says otherwise),
 * {@code prefetch} (records one queue consumer fetches at a time, default 500, at most about 1 MiB), {@code maxDeliveries} (deliveries of a
 * queue message before it goes to {@code DLQ.<queue>}, default 10), {@code connectTimeoutMs} (default 10000), and any
 * kafka-clients setting prefixed {@code kafka.} (passed through).
 *
 * <p>Thread-safety: immutable.
 */
record ClientSettings(
        String bootstrapServers,
        String clientId,
        String user,
        String password,
        int prefetch,
        int maxDeliveries,
        int connectTimeoutMs,
        Map<String, String> kafka) {

    static final String SCHEME = "herald://";

    /**
     * Records a queue or subscription consumer acquires per fetch: Kafka's share consumer default ({@code
     * max.poll.records}), about ActiveMQ Artemis's 1 MiB consumer window for 1 KiB messages. A window is acknowledged
     * with the fetch of the next one, so this is also how many acknowledgements share one broker write.
     */
    static final int DEFAULT_PREFETCH = 500;

    static ClientSettings defaults() {
        return new ClientSettings("localhost:9092", null, null, null, DEFAULT_PREFETCH, 10, 10_000, Map.of());
    }

    /**
     * Parses a {@code herald://} URL.
     *
     * @throws IllegalArgumentException for another scheme, no host, an unknown option or a bad number
     */
    static ClientSettings parse(String url) {
        if (url == null || !url.startsWith(SCHEME)) {
            throw new IllegalArgumentException("A Herald URL starts with herald://, got " + url);
        }
        String rest = url.substring(SCHEME.length());
        int q = rest.indexOf('?');
        String hosts = q < 0 ? rest : rest.substring(0, q);
        if (hosts.endsWith("/")) {
            hosts = hosts.substring(0, hosts.length() - 1);
        }
        if (hosts.isBlank()) {
            throw new IllegalArgumentException("No broker in " + url);
        }
        ClientSettings s = defaults().withBootstrap(hosts);
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                s = s.with(k, v);
            }
        }
        return s;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    ClientSettings withBootstrap(String servers) {
        return new ClientSettings(servers, clientId, user, password, prefetch, maxDeliveries, connectTimeoutMs, kafka);
    }

    /**
     * This with option {@code key} set.
     *
     * @throws IllegalArgumentException for an unknown option or a bad value
     */
    ClientSettings with(String key, String value) {
        try {
            return switch (key) {
                case "clientId" ->
                    new ClientSettings(
                            bootstrapServers, value, user, password, prefetch, maxDeliveries, connectTimeoutMs, kafka);
                case "user" ->
                    new ClientSettings(
                            bootstrapServers,
                            clientId,
                            value,
                            password,
                            prefetch,
                            maxDeliveries,
                            connectTimeoutMs,
                            kafka);
                case "password" ->
                    new ClientSettings(
                            bootstrapServers, clientId, user, value, prefetch, maxDeliveries, connectTimeoutMs, kafka);
                case "prefetch" ->
                    new ClientSettings(
                            bootstrapServers,
                            clientId,
                            user,
                            password,
                            positive(key, value),
                            maxDeliveries,
                            connectTimeoutMs,
                            kafka);
                case "maxDeliveries" ->
                    new ClientSettings(
                            bootstrapServers,
                            clientId,
                            user,
                            password,
                            prefetch,
                            positive(key, value),
                            connectTimeoutMs,
                            kafka);
                case "connectTimeoutMs" ->
                    new ClientSettings(
                            bootstrapServers,
                            clientId,
                            user,
                            password,
                            prefetch,
                            maxDeliveries,
                            positive(key, value),
                            kafka);
                case "bootstrapServers" -> withBootstrap(value);
                default -> {
                    if (!key.startsWith("kafka.")) {
                        throw new IllegalArgumentException("Unknown Herald connection option '" + key + "'");
                    }
                    Map<String, String> k = new LinkedHashMap<>(kafka);
                    k.put(key.substring("kafka.".length()), value);
                    yield new ClientSettings(
                            bootstrapServers,
                            clientId,
                            user,
                            password,
                            prefetch,
                            maxDeliveries,
                            connectTimeoutMs,
                            Map.copyOf(k));
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option " + key + " needs a number, got '" + value + "'", e);
        }
    }

    private static int positive(String key, String value) {
        int v = Integer.parseInt(value);
        if (v < 1) {
            throw new IllegalArgumentException("Option " + key + " must be at least 1, got " + v);
        }
        return v;
    }

    /** {@code s} for a double-quoted JAAS option value: backslashes and quotes escaped. */
    private static String jaasQuoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The kafka-clients properties every client of a connection starts from. */
    Properties kafkaProperties(String kafkaClientId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", kafkaClientId);
        // Herald does not serve client telemetry (KIP-714): without this every client logs that the broker lacks it.
        p.put("enable.metrics.push", "false");
        if (user != null && password != null) {
            // SCRAM unless told otherwise: the password never crosses the wire (PLAIN sends it, in clear without TLS).
            // kafka.security.protocol=SASL_SSL (with the kafka.ssl.* truststore) encrypts the connection.
            String mechanism = kafka.getOrDefault("sasl.mechanism", "SCRAM-SHA-512");
            String module = mechanism.equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put("security.protocol", "SASL_PLAINTEXT");
            p.put("sasl.mechanism", mechanism);
            p.put(
                    "sasl.jaas.config",
                    module + " required username=\"" + jaasQuoted(user) + "\" password=\"" + jaasQuoted(password)
                            + "\";");
        }
        p.putAll(kafka);
        return p;
    }
}
