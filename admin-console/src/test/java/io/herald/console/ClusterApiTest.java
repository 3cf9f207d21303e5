package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.EmbeddedHerald;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster endpoint, the web UI's files, the JMS and security status, and how {@code admin.listeners} turns the
 * console on and off.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterApiTest {

    @TempDir
    Path dir;

    @Test
    void theClusterShowsTheBrokerAsControllerWithItsVersionUptimeAndDataDirectories() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir)) {
            console.post("/api/topics", "{\"name\": \"t\", \"partitions\": 2}");

            JsonNode view = console.get("/api/cluster").json();

            JsonNode cluster = view.get("cluster");
            assertThat(cluster.get("controllerId").asInt()).isEqualTo(1);
            assertThat(cluster.at("/brokers/0/id").asInt()).isEqualTo(1);
            assertThat(cluster.at("/brokers/0/state").asText()).isEqualTo("running");
            assertThat(cluster.at("/brokers/0/controller").asBoolean()).isTrue();
            assertThat(cluster.at("/brokers/0/port").asInt())
                    .isEqualTo(console.broker().server().boundPort("PLAINTEXT"));
            assertThat(cluster.get("partitions").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(cluster.get("underReplicatedPartitions").asInt()).isZero();
            assertThat(cluster.get("offlinePartitions").asInt()).isZero();
            assertThat(cluster.get("version").asText()).isNotBlank();
            assertThat(cluster.get("clusterId").asText()).isNotBlank();
            assertThat(view.get("uptimeMs").asLong()).isNotNegative();
            JsonNode logDir = view.at("/logDirs/0");
            assertThat(Path.of(logDir.get("path").asText()))
                    .isEqualTo(dir.toAbsolutePath().normalize());
            assertThat(logDir.get("totalBytes").asLong()).isPositive();
            assertThat(logDir.get("partitions").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(logDir.get("error").isNull()).isTrue();
        }
    }

    @Test
    void theWebUiAndItsChartingLibraryAreServedFromTheSamePort() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir)) {
            ConsoleBroker.Response index = console.get("/");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.contentType()).startsWith("text/html");
            assertThat(index.text()).contains("<title>Herald console</title>");
            String chartJs = index.text().replaceAll("(?s).*src=\"(/webjars/chart\\.js/[^\"]+)\".*", "$1");
            assertThat(chartJs).doesNotContain("$").startsWith("/webjars/chart.js/");
            assertThat(console.get(chartJs).status()).isEqualTo(200);
            assertThat(console.get("/style.css").status()).isEqualTo(200);
        }
    }

    @Test
    void jmsIsThereAndSecurityReportsThatItIsOff() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir)) {
            assertThat(console.get("/api/jms").json().get("available").asBoolean())
                    .isTrue();
            assertThat(console.get("/api/security").json().get("reason").asText())
                    .contains("Security is not enabled");
        }
    }

    @Test
    void stoppingTheBrokerStopsTheConsolesThreadsAndFreesItsPort() throws Exception {
        ConsoleBroker console = ConsoleBroker.start(dir);
        int port = console.base().getPort();
        assertThat(consoleThreads()).isNotEmpty();

        console.close();

        await().atMost(Duration.ofSeconds(20)).until(() -> consoleThreads().isEmpty());
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    /** The console's sampler and Undertow's XNIO threads that are alive. */
    private static List<String> consoleThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("herald-console") || n.startsWith("XNIO-"))
                .toList();
    }

    @Test
    void anEmptyAdminListenersSettingLeavesTheConsoleOff() throws Exception {
        try (EmbeddedHerald broker = EmbeddedHerald.start(dir, Map.of("admin.listeners", ""))) {
            assertThat(broker.server().extensions()).noneMatch(AdminConsole.class::isInstance);
        }
    }

    @Test
    void aPortInUseStopsTheBrokerStartWithTheConsolesAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String listener = "http://127.0.0.1:" + taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedHerald.start(dir, Map.of("admin.listeners", listener)))
                    .hasMessageContaining("The admin console cannot listen on " + listener);
        }
    }
}
