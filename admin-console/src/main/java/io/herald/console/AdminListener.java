package io.herald.console;

import java.util.Arrays;
import java.util.List;

/**
 * An address of {@code admin.listeners}: {@code http://host:port} or {@code https://host:port}, an empty host for every
 * interface, port 0 for an ephemeral port. The broker's configuration has validated the syntax.
 *
 * <p>Thread-safety: immutable.
 *
 * @param https whether the listener speaks TLS (its keys: {@link ConsoleTls})
 * @param host the host or address to bind, {@code ""} for all
 */
public record AdminListener(boolean https, String host, int port) {

    /** A plain HTTP listener. */
    public AdminListener(String host, int port) {
        this(false, host, port);
    }

    /** The listeners of a setting; none for an empty one (the console is disabled). */
    public static List<AdminListener> parseList(String setting) {
        if (setting == null || setting.isBlank()) {
            return List.of();
        }
        return Arrays.stream(setting.split(","))
                .map(String::trim)
                .map(AdminListener::parse)
                .toList();
    }

    static AdminListener parse(String listener) {
        boolean https = listener.startsWith("https://");
        if (!https && !listener.startsWith("http://")) {
            throw new IllegalArgumentException("Not an http:// or https:// listener: " + listener);
        }
        String rest = listener.substring(listener.indexOf("://") + 3);
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("No port in listener: " + listener);
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new AdminListener(https, host, Integer.parseInt(rest.substring(colon + 1)));
    }

    /** {@code http} or {@code https}. */
    String scheme() {
        return https ? "https" : "http";
    }

    /** The address to bind. */
    String bindHost() {
        return host.isEmpty() ? "0.0.0.0" : host;
    }
}
