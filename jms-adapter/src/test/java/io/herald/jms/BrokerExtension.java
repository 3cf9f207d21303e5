package io.herald.jms;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Herald broker (in the test's JVM, on 127.0.0.1 with an ephemeral port and its own data directory) for
 * all tests of a class; register it as a static field with {@code @RegisterExtension}.
 */
final class BrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> overrides;
    private Path dir;
    private EmbeddedHerald broker;

    BrokerExtension() {
        this(Map.of());
    }

    /** A broker with these settings on top of the test defaults. */
    BrokerExtension(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("herald-jms-test");
        Map<String, String> settings = new java.util.HashMap<>(overrides);
        settings.putIfAbsent("share.coordinator.state.topic.num.partitions", "3");
        broker = EmbeddedHerald.start(dir, settings);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    EmbeddedHerald broker() {
        return broker;
    }

    String url() {
        return "herald://" + broker.bootstrap();
    }

    HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory(url());
    }

    HeraldConnectionFactory factory(String options) {
        return new HeraldConnectionFactory(url() + "?" + options);
    }

    /** Sets the record lock duration of queue {@code queue}'s share group (the provider keeps its other configs). */
    void queueLockDuration(String queue, int ms) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.GROUP, "jms.queue." + queue),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("share.record.lock.duration.ms", String.valueOf(ms)),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
