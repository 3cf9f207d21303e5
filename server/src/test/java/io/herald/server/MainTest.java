package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.server.config.BrokerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The broker's entry point: arguments, configuration loading, start, graceful stop and the exit codes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainTest {

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Logger root;
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO);
        ((Logger) LoggerFactory.getLogger("io.herald")).setLevel(Level.INFO);
        logged.start();
        root.addAppender(logged);
    }

    @AfterEach
    void restoreLogs() {
        root.detachAppender(logged);
        root.setLevel(rootLevel);
        ((Logger) LoggerFactory.getLogger("io.herald")).setLevel(Level.WARN);
    }

    @Test
    void argumentsAreAnOptionalFileAndRepeatableOverrides() {
        ServerArguments args = ServerArguments.parse(
                "config/server.properties", "--override", "num.partitions=3", "--override=log.dirs = /x");

        assertThat(args.configFile()).contains(Path.of("config/server.properties"));
        assertThat(args.overrides())
                .containsExactlyInAnyOrderEntriesOf(Map.of("num.partitions", "3", "log.dirs", "/x"));
        assertThat(ServerArguments.parse().configFile()).isEmpty();
        assertThat(ServerArguments.parse("--help").help()).isTrue();
        assertThat(ServerArguments.parse("-V").version()).isTrue();
    }

    @Test
    void wrongArgumentsAreRejectedWithAMessageForTheUser() {
        assertThatThrownBy(() -> ServerArguments.parse("--override"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> ServerArguments.parse("--override", "novalue")).hasMessageContaining("novalue");
        assertThatThrownBy(() -> ServerArguments.parse("a.properties", "b.properties"))
                .hasMessageContaining("a.properties")
                .hasMessageContaining("b.properties");
        assertThatThrownBy(() -> ServerArguments.parse("--daemon")).hasMessageContaining("Unknown option: --daemon");
    }

    @Test
    void overridesReplaceTheSettingsOfTheFile() throws Exception {
        Path file = tmp.resolve("server.properties");
        Files.writeString(file, "# a comment\nnum.partitions=4\nlog.dirs=/from/file\nlog.retention.hours = 2  \n");

        BrokerConfig config = Main.loadConfig(
                new ServerArguments(Optional.of(file), Map.of("log.dirs", "/from/override"), false, false));

        assertThat(config.get(BrokerConfig.NUM_PARTITIONS)).isEqualTo(4);
        assertThat(config.logDirs()).containsExactly(Path.of("/from/override"));
        assertThat(config.topicDefaults().retentionMs()).isEqualTo(2 * 3600_000L);
    }

    @Test
    void withoutAFileTheEmbeddedDefaultsApply() throws Exception {
        BrokerConfig config = Main.loadConfig(ServerArguments.parse());

        assertThat(config.explicitSettings()).isEmpty();
        assertThat(config.listeners().get(0).port()).isEqualTo(9092);
        assertThat(config.logDirs()).containsExactly(Path.of("data"));
    }

    @Test
    void aMissingFileAndInvalidValuesAreReportedByName() throws Exception {
        Path missing = tmp.resolve("nope.properties");
        assertThatThrownBy(() -> Main.loadConfig(ServerArguments.parse(missing.toString())))
                .isInstanceOf(Main.ConfigurationException.class)
                .hasMessageContaining("not found")
                .hasMessageContaining(missing.toString());

        Path file = tmp.resolve("server.properties");
        Files.writeString(file, "num.partitions=zero\n");
        assertThatThrownBy(() ->
                        Main.loadConfig(ServerArguments.parse(file.toString(), "--override", "num.io.threads=-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("num.partitions")
                .hasMessageContaining("num.io.threads");
    }

    @Test
    void usageErrorsNameTheProgramAndPointToTheHelp() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Main.reportUsageError(new PrintStream(bytes, true, StandardCharsets.UTF_8), "Unknown option: --x");

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("herald-server: Unknown option: --x")
                .contains("herald-server --help");
    }

    @Test
    void theBrokerLogsWhereItListensAndStopsCleanly() throws Exception {
        Path data = tmp.resolve("data");
        Main.BrokerProcess broker = new Main.BrokerProcess(config(data, Map.of("no.such.key", "1")));

        assertThat(broker.start()).isTrue();
        try {
            String listening = messages().stream()
                    .filter(m -> m.contains("is listening on"))
                    .findFirst()
                    .orElseThrow();
            assertThat(listening)
                    .containsPattern("PLAINTEXT://127\\.0\\.0\\.1:[1-9]\\d*")
                    .contains(data.toString());
            int port = Integer.parseInt(listening.replaceAll(".*127\\.0\\.0\\.1:(\\d+).*", "$1"));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(s.isConnected()).isTrue();
            }
            assertThat(logged.list)
                    .anyMatch(e -> e.getLevel() == Level.WARN
                            && e.getFormattedMessage().contains("no.such.key"));
        } finally {
            broker.stop();
        }

        assertThat(data.resolve(".herald-clean-shutdown")).exists();
        assertThat(messages()).anyMatch(m -> m.contains("shut down cleanly"));
        broker.stop(); // a second stop (signal during the hook) is harmless
    }

    @Test
    void aStopBeforeTheStartMeansTheBrokerNeverStarts() {
        Main.BrokerProcess broker = new Main.BrokerProcess(config(tmp.resolve("data"), Map.of()));
        broker.stop();

        assertThat(broker.run()).isEqualTo(Main.EXIT_OK);
        assertThat(tmp.resolve("data")).doesNotExist();
    }

    @Test
    void aPortInUseFailsTheStartWithExitCodeOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Main.BrokerProcess broker = new Main.BrokerProcess(
                    config(tmp.resolve("data"), Map.of("listeners", "PLAINTEXT://127.0.0.1:" + taken.getLocalPort())));

            assertThat(broker.run()).isEqualTo(Main.EXIT_FAILURE);
        }
        assertThat(logged.list)
                .anyMatch(e ->
                        e.getLevel() == Level.ERROR && e.getFormattedMessage().startsWith("Herald failed to start"));
    }

    private List<String> messages() {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static BrokerConfig config(Path data, Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", data.toString());
        settings.put("num.network.threads", "1");
        settings.put("num.io.threads", "2");
        settings.putAll(extra);
        return BrokerConfig.parse(settings);
    }
}
