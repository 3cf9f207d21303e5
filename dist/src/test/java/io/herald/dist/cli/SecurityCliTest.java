package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald users} and {@code herald acls} against a broker with SASL and ACLs: the first administrator created
 * offline, then users and ACLs managed through the Admin API, checked by what the users can then do.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecurityCliTest {

    @TempDir
    Path data;

    @TempDir
    Path configs;

    @Test
    void firstAdminOfflineThenUsersAndAclsOnline() throws Exception {
        Cli offline = new Cli(null);
        Cli.Result bootstrapAdmin =
                offline.run("users", "add", "admin", "--password", "admin-pw", "--data-dir", data.toString());
        assertThat(bootstrapAdmin.exitCode()).as(bootstrapAdmin.toString()).isZero();

        try (EmbeddedHerald broker = EmbeddedHerald.start(
                data,
                Map.of(
                        "listeners", "SASL_PLAINTEXT://127.0.0.1:0",
                        "authorizer.class.name", "io.herald.security.acl.AclAuthorizer",
                        "super.users", "User:admin"))) {
            Cli cli = new Cli(broker.bootstrap());
            String admin = config("admin", "admin-pw");

            Cli.Result running = offline.run("users", "add", "eve", "--password", "x", "--data-dir", data.toString());
            assertThat(running.exitCode()).isEqualTo(1);
            assertThat(running.err()).contains("A broker is running on");

            assertThat(cli.run("--command-config", admin, "users", "add", "alice", "--password", "alice-pw")
                            .exitCode())
                    .isZero();
            Cli.Result users = cli.run("--command-config", admin, "users", "list");
            assertThat(users.out()).contains("alice", "admin", "SCRAM-SHA-512", "SCRAM-SHA-256");

            String alice = config("alice", "alice-pw");
            assertThat(cli.run("--command-config", admin, "topics", "create", "orders")
                            .exitCode())
                    .isZero();
            Cli.Result denied =
                    cli.runWithInput("k\tv\n", "--command-config", alice, "produce", "orders", "--key-separator", "\t");
            assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(1);

            Cli.Result added = cli.run(
                    "--command-config",
                    admin,
                    "acls",
                    "add",
                    "--topic",
                    "orders",
                    "--principal",
                    "User:alice",
                    "--operation",
                    "WRITE,DESCRIBE");
            assertThat(added.exitCode()).as(added.toString()).isZero();
            assertThat(cli.run("--command-config", admin, "acls", "list", "--topic", "orders")
                            .out())
                    .contains("User:alice", "ALLOW", "WRITE", "topic:orders");

            Cli.Result produced = cli.runWithInput("hello\n", "--command-config", alice, "produce", "orders");
            assertThat(produced.exitCode()).as(produced.toString()).isZero();

            Cli.Result removed = cli.run(
                    "--command-config", admin, "acls", "remove", "--topic", "orders", "--principal", "User:alice");
            assertThat(removed.out()).contains("2 ACL(s) removed.");

            assertThat(cli.run("--command-config", admin, "users", "delete", "alice")
                            .exitCode())
                    .isZero();
            Cli.Result gone = cli.run("--command-config", alice, "topics", "list");
            assertThat(gone.exitCode()).isEqualTo(1);
            assertThat(gone.err()).containsIgnoringCase("authentication failed");
        }
    }

    private String config(String user, String password) throws Exception {
        Path file = configs.resolve(user + ".properties");
        Files.writeString(
                file,
                "security.protocol=SASL_PLAINTEXT\n"
                        + "sasl.mechanism=SCRAM-SHA-512\n"
                        + "request.timeout.ms=10000\n"
                        + "default.api.timeout.ms=15000\n"
                        + "delivery.timeout.ms=15000\n"
                        + "max.block.ms=15000\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";\n");
        return file.toString();
    }
}
