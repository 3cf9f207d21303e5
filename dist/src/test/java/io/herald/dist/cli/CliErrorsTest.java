package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors exit with 2 and a hint, other errors with 1 and one line; stack traces only with --verbose. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliErrorsTest {

    @TempDir
    Path tmp;

    private final Cli cli = new Cli(null);

    @Test
    void withoutACommandTheHelpIsPrintedAsAUsageError() {
        Cli.Result result = cli.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Usage: herald").contains("topics").contains("perf");
    }

    @Test
    void anUnknownCommandGetsASuggestion() {
        Cli.Result result = cli.run("topics", "crate", "x");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("topics create").contains("Run 'herald topics --help' for usage.");
    }

    @Test
    void invalidOptionValuesAreUsageErrors() {
        assertThat(cli.run("produce", "t", "--acks", "2").err()).contains("expected all, -1, 1 or 0");
        assertThat(cli.run("produce", "t", "--acks", "2").exitCode()).isEqualTo(2);
        assertThat(cli.run("produce", "t", "--compression", "brotli").exitCode())
                .isEqualTo(2);
        assertThat(cli.run("perf", "produce", "t", "--num-records", "10").err()).contains("--record-size");
        assertThat(cli.run("groups", "reset-offsets", "g", "--all-topics", "--to-earliest", "--to-latest")
                        .exitCode())
                .isEqualTo(2);
        Cli.Result noTarget = cli.run("groups", "reset-offsets", "g", "--all-topics");
        assertThat(noTarget.exitCode()).isEqualTo(2);
        assertThat(noTarget.err())
                .startsWith("Error: Missing required argument")
                .contains("--to-earliest");
        assertThat(cli.run("groups", "reset-offsets", "g", "--all-topics", "--to-datetime", "yesterday")
                        .err())
                .contains("--to-datetime: cannot read 'yesterday'");
    }

    @Test
    void helpAndVersionSucceed() {
        assertThat(cli.run("--help").exitCode()).isZero();
        assertThat(cli.run("consume", "--help").out())
                .contains("--from-beginning")
                .contains("--format");
        Cli.Result version = cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("herald ");
    }

    @Test
    void anUnreachableBrokerIsAOneLineErrorNamingTheAddress() throws IOException {
        String address = "127.0.0.1:" + closedPort();
        Path config = tmp.resolve("client.properties");
        Files.writeString(config, "default.api.timeout.ms=1500\n");

        Cli.Result result =
                cli.run("topics", "list", "--bootstrap-server", address, "--command-config", config.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .startsWith("Error: timed out waiting for the broker at " + address)
                .doesNotContain("\tat ");
    }

    @Test
    void verbosePrintsTheStackTrace() throws IOException {
        String address = "127.0.0.1:" + closedPort();
        Path config = tmp.resolve("client.properties");
        Files.writeString(config, "default.api.timeout.ms=1500\nbootstrap.servers=" + address + "\n");

        Cli.Result result = cli.run("--verbose", "topics", "list", "--command-config", config.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .contains("timed out waiting for the broker at " + address)
                .contains("\tat ");
    }

    @Test
    void aMissingCommandConfigFileIsNamed() {
        Cli.Result result = cli.run(
                "topics",
                "list",
                "--command-config",
                tmp.resolve("nope.properties").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("Error: --command-config file not found: " + tmp.resolve("nope.properties") + "\n");
    }

    /** A port nothing listens on (bound, then closed). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
