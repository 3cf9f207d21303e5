package io.herald.console;

import java.util.Arrays;
import java.util.List;

/**
 * An address of {@code admin.listeners}: {@code http://host:port}, an empty host for every interface, port 0 for an
 * ephemeral port. The broker's configuration has validated the syntax.
 *
 * <p>Thread-safety: immutable.
 *
 * @param host the host or address to bind, {@code ""} for all
 */
public record AdminListener(String host, int port) {

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
        if (!listener.startsWith("http://")) {
            throw new IllegalArgumentException("Not an http:// listener: " + listener);
        }
        String rest = listener.substring("http://".length());
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("No port in listener: " + listener);
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new AdminListener(host, Integer.parseInt(rest.substring(colon + 1)));
    }

    /** The address to bind. */
    String bindHost() {
        return host.isEmpty() ? "0.0.0.0" : host;
    }
}
