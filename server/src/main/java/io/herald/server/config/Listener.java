package io.herald.server.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One listener of {@code listeners}: {@code NAME://host:port}. The name maps to a security protocol through {@code
 * listener.security.protocol.map} (checked by {@link BrokerConfig}); an empty host binds every interface; port 0 takes
 * an ephemeral port (tests).
 *
 * @param name the listener's name, upper case
 * @param host the host to bind or advertise, possibly empty
 * @param port the port
 */
public record Listener(String name, String host, int port) {

    private static final Pattern FORMAT = Pattern.compile("^([A-Za-z][A-Za-z0-9_]*)://(\\[[^\\]]*\\]|[^:]*):(\\d+)$");

    public Listener {
        name = name.toUpperCase(Locale.ROOT);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Port " + port + " of listener " + name + " is out of range");
        }
    }

    public Listener withHost(String newHost) {
        return new Listener(name, newHost, port);
    }

    public Listener withPort(int newPort) {
        return new Listener(name, host, newPort);
    }

    /** Parses a comma-separated list; {@code key} names the setting in error messages. */
    static List<Listener> parseList(String text, String key) {
        List<Listener> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String part : text.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            Matcher m = FORMAT.matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "Invalid value '" + s + "' in " + key + ": expected NAME://host:port, e.g. PLAINTEXT://:9092");
            }
            String host = m.group(2);
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            Listener l = new Listener(m.group(1), host, Integer.parseInt(m.group(3)));
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("Listener " + l.name() + " appears twice in " + key);
            }
            out.add(l);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(key + " names no listener");
        }
        return out;
    }

    @Override
    public String toString() {
        return name + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
