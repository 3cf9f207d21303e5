package io.herald.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh {@link EmbeddedHerald} (its own data directory) and a real kafka-clients {@link Admin} on it for each test;
 * register it as a field with {@code @RegisterExtension}. Both are closed, and the directory deleted, after the test.
 *
 * <p>Thread-safety: for the test's thread only.
 */
public final class BrokerWithAdmin implements BeforeEachCallback, AfterEachCallback {

    private final Map<String, String> overrides;
    private Path dir;
    private EmbeddedHerald broker;
    private Admin admin;

    /** A broker with the test defaults of {@link EmbeddedHerald}. */
    public BrokerWithAdmin() {
        this(Map.of());
    }

    /** A broker with these settings on top of the test defaults. */
    public BrokerWithAdmin(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("herald-test");
        broker = EmbeddedHerald.start(dir, overrides);
        admin = Admin.create(broker.clientProperties());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    public EmbeddedHerald broker() {
        return broker;
    }

    public Admin admin() {
        return admin;
    }

    /** The broker's data directory. */
    public Path dataDir() {
        return dir;
    }

    /** Restarts the broker cleanly on the same data directory, with a new admin client (its port changes). */
    public void restart() throws Exception {
        admin.close();
        admin = null;
        broker.restart();
        admin = Admin.create(broker.clientProperties());
    }
}
