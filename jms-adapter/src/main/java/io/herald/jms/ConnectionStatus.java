package io.herald.jms;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * What a connection tells the broker about itself, for the admin console's list of connected JMS clients: carried as
 * the user data of its presence member's subscription (see {@link PresenceAssignor}).
 *
 * <p>Layout: {@code java.util.Properties} text (ISO 8859-1 with {@code \\u} escapes, as {@link Properties#store}
 * writes it) with the keys {@code version} (1), {@code connectionId}, {@code clientId} (absent without one), {@code
 * user} (absent without one), {@code since} (epoch ms when the connection was created), {@code sessions}, {@code
 * producers}, {@code consumers} and {@code consuming} (the destinations its consumers read, comma-separated, each
 * {@code queue:<name>} or {@code topic:<name>}, with {@code /<subscription>} for a durable or shared subscription).
 * The broker reads it with {@code io.herald.server.api.JmsAdmin}.
 *
 * <p>Thread-safety: immutable.
 */
record ConnectionStatus(
        String connectionId,
        String clientId,
        String user,
        long sinceMs,
        int sessions,
        int producers,
        List<String> consuming) {

    byte[] encode() {
        Properties p = new Properties();
        p.setProperty("version", "1");
        p.setProperty("connectionId", connectionId);
        if (clientId != null) {
            p.setProperty("clientId", clientId);
        }
        if (user != null && !user.isEmpty()) {
            p.setProperty("user", user);
        }
        p.setProperty("since", String.valueOf(sinceMs));
        p.setProperty("sessions", String.valueOf(sessions));
        p.setProperty("producers", String.valueOf(producers));
        p.setProperty("consumers", String.valueOf(consuming.size()));
        p.setProperty("consuming", String.join(",", consuming));
        StringWriter w = new StringWriter();
        try {
            p.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
