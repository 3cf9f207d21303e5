package io.herald.server;

import io.herald.server.config.BrokerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A broker in the test's JVM on 127.0.0.1 with an ephemeral port and its own data directory, for tests that drive it
 * with the real kafka-clients. Restartable on the same data directory.
 */
public final class EmbeddedHerald implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> overrides;
    private HeraldServer server;

    public EmbeddedHerald(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.overrides = Map.copyOf(overrides);
    }

    public static EmbeddedHerald start(Path dataDir) throws Exception {
        return start(dataDir, Map.of());
    }

    public static EmbeddedHerald start(Path dataDir, Map<String, String> overrides) throws Exception {
        EmbeddedHerald broker = new EmbeddedHerald(dataDir, overrides);
        broker.start();
        return broker;
    }

    public void start() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dataDir.toString());
        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "4");
        settings.put("admin.listeners", ""); // no admin console unless a test asks for one (it needs its jar too)
        settings.putAll(overrides);
        server = HeraldServer.start(BrokerConfig.parse(settings));
    }

    /** Stops the broker cleanly (flush, checkpoint, clean-shutdown marker). */
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public void restart() throws Exception {
        stop();
        start();
    }

    /** The first listener's address. */
    public String bootstrap() {
        return bootstrap(server.config().listeners().get(0).name());
    }

    public String bootstrap(String listener) {
        return "127.0.0.1:" + server.boundPort(listener);
    }

    public HeraldServer server() {
        return server;
    }

    /** Client properties pointing at this broker. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        return p;
    }

    @Override
    public void close() {
        stop();
    }
}
