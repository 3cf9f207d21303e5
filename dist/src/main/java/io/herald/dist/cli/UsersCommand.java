package io.herald.dist.cli;

import io.herald.security.sasl.CredentialStore;
import io.herald.security.sasl.ScramCredential;
import io.herald.server.security.BrokerSecurity;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald users add|list|delete}: SASL/SCRAM users, through the Admin API (AlterUserScramCredentials, which
 * sends only the salted password) — or, with {@code --data-dir}, written straight into a stopped broker's credential
 * file, to create the first administrator before the broker ever starts (as {@code kafka-storage format --add-scram}).
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "users",
        description = "Adds, lists and deletes SASL/SCRAM users.",
        mixinStandardHelpOptions = true,
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Delete.class})
final class UsersCommand extends CliCommand.Group {

    private static List<ScramMechanism> mechanisms(List<String> names) {
        List<ScramMechanism> out = new ArrayList<>();
        for (String n : names) {
            ScramMechanism m = ScramMechanism.fromMechanismName(n);
            if (m == ScramMechanism.UNKNOWN) {
                throw new CliException("Unknown SCRAM mechanism " + n + "; use SCRAM-SHA-256 or SCRAM-SHA-512.");
            }
            out.add(m);
        }
        return out;
    }

    @Command(
            name = "add",
            description = "Adds a user or changes its password (both SCRAM mechanisms unless --mechanism is given).",
            mixinStandardHelpOptions = true)
    static final class Add extends CliCommand {

        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Option(
                names = "--password",
                required = true,
                interactive = true,
                arity = "0..1",
                description = "The password (prompted for when the option has no value).")
        char[] password;

        @Option(
                names = "--mechanism",
                split = ",",
                paramLabel = "SCRAM-SHA-256|SCRAM-SHA-512",
                description = "Mechanisms to set (default: both).")
        List<String> mechanismNames = List.of("SCRAM-SHA-256", "SCRAM-SHA-512");

        @Option(
                names = "--iterations",
                defaultValue = "8192",
                description = "PBKDF2 iterations, 4096 to 16384 (default: ${DEFAULT-VALUE}).")
        int iterations;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "Write into the credential file of a STOPPED broker's first data directory instead of"
                        + " using the Admin API (to create the first administrator).")
        Path dataDir;

        @Override
        int run() throws Exception {
            String secret = new String(password);
            List<ScramMechanism> wanted = mechanisms(mechanismNames);
            if (dataDir != null) {
                writeOffline(secret, wanted);
            } else {
                List<UserScramCredentialAlteration> changes = new ArrayList<>();
                wanted.forEach(m -> changes.add(
                        new UserScramCredentialUpsertion(user, new ScramCredentialInfo(m, iterations), secret)));
                try (Admin admin = clients().admin()) {
                    admin.alterUserScramCredentials(changes).all().get();
                }
            }
            out().println("User " + user + ": " + String.join(", ", mechanismNames) + " set.");
            return HeraldCli.EXIT_OK;
        }

        private void writeOffline(String secret, List<ScramMechanism> wanted) throws IOException {
            if (!Files.isDirectory(dataDir)) {
                throw new CliException("Data directory " + dataDir + " does not exist.");
            }
            // The broker holds the credentials in memory and rewrites the file on its next change: refuse while it
            // runs (it holds the directory's lock file).
            Path lock = dataDir.resolve(".lock");
            if (Files.exists(lock)) {
                boolean free;
                try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE);
                        FileLock held = ch.tryLock()) {
                    free = held != null;
                } catch (OverlappingFileLockException e) {
                    free = false; // held by this very JVM (an embedded broker)
                }
                if (!free) {
                    throw new CliException("A broker is running on " + dataDir
                            + "; add users through it (without --data-dir) or stop it first.");
                }
            }
            CredentialStore store = CredentialStore.open(BrokerSecurity.credentialsFile(dataDir));
            for (ScramMechanism m : wanted) {
                io.herald.security.sasl.ScramMechanism ours = io.herald.security.sasl.ScramMechanism.forName(
                                m.mechanismName())
                        .orElseThrow();
                try {
                    store.put(user, ScramCredential.fromPassword(ours, secret, iterations));
                } catch (IllegalArgumentException e) {
                    throw new CliException(e.getMessage(), e);
                }
            }
        }
    }

    @Command(name = "list", description = "Lists users and their SCRAM mechanisms.", mixinStandardHelpOptions = true)
    static final class ListUsers extends CliCommand {

        @Override
        int run() throws Exception {
            try (Admin admin = clients().admin()) {
                Map<String, UserScramCredentialsDescription> users =
                        new TreeMap<>(admin.describeUserScramCredentials().all().get());
                Table table = new Table("USER", "MECHANISM", "ITERATIONS");
                users.forEach((name, d) -> d.credentialInfos()
                        .forEach(c -> table.row(name, c.mechanism().mechanismName(), String.valueOf(c.iterations()))));
                if (table.size() > 0) {
                    table.print(out());
                }
            }
            return HeraldCli.EXIT_OK;
        }
    }

    @Command(name = "delete", description = "Deletes a user's SCRAM credentials.", mixinStandardHelpOptions = true)
    static final class Delete extends CliCommand {

        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Option(
                names = "--mechanism",
                split = ",",
                paramLabel = "SCRAM-SHA-256|SCRAM-SHA-512",
                description = "Mechanisms to delete (default: those the user has).")
        List<String> mechanismNames;

        @Override
        int run() throws Exception {
            try (Admin admin = clients().admin()) {
                List<ScramMechanism> wanted;
                if (mechanismNames != null) {
                    wanted = mechanisms(mechanismNames);
                } else {
                    UserScramCredentialsDescription d = admin.describeUserScramCredentials(List.of(user))
                            .description(user)
                            .get();
                    wanted = d.credentialInfos().stream()
                            .map(ScramCredentialInfo::mechanism)
                            .toList();
                }
                List<UserScramCredentialAlteration> changes = new ArrayList<>();
                wanted.forEach(m -> changes.add(new UserScramCredentialDeletion(user, m)));
                admin.alterUserScramCredentials(changes).all().get();
            }
            out().println("User " + user + " deleted.");
            return HeraldCli.EXIT_OK;
        }
    }
}
