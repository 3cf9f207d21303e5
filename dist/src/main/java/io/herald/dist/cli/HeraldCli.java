package io.herald.dist.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.ApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code herald}: the command-line tool. The connection options ({@code --bootstrap-server}, {@code --command-config})
 * and {@code --verbose} belong to this top command and are inherited by every subcommand, so they may be given before
 * or after the subcommand's name.
 *
 * <p>Thread-safety: one instance runs one command line on the calling thread.
 */
@Command(
        name = "herald",
        mixinStandardHelpOptions = true,
        versionProvider = HeraldCli.Version.class,
        description = "Manages topics and groups, produces, consumes and measures, against Herald or any Kafka broker;"
                + " creates TLS certificates.",
        subcommands = {
            TopicsCommand.class,
            ClusterCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            GroupsCommand.class,
            PartitionsCommand.class,
            PerfCommand.class,
            UsersCommand.class,
            AclsCommand.class,
            CertsCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", "Exit codes: 0 success, 1 error, 2 wrong usage."})
public final class HeraldCli implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_ERROR = 1;
    static final int EXIT_USAGE = 2;

    /** The system property that config/logback-cli.xml reads for the level of the Kafka clients' loggers. */
    static final String KAFKA_LOG_LEVEL_PROPERTY = "herald.cli.kafka.log.level";

    @Option(
            names = "--bootstrap-server",
            paramLabel = "HOST:PORT[,...]",
            scope = ScopeType.INHERIT,
            description = "Broker(s) to connect to (default: bootstrap.servers of --command-config, else "
                    + ClientConfig.DEFAULT_BOOTSTRAP + ").")
    String bootstrapServer;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "A properties file of Kafka client settings (security, timeouts, ...).")
    Path commandConfig;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Print stack traces of errors and the Kafka clients' INFO log.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    HeraldCli(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        int code = run(Terminal.system(), args);
        System.exit(code);
    }

    /** Runs one command line and returns its exit code. */
    static int run(Terminal terminal, String... args) {
        HeraldCli cli = new HeraldCli(terminal);
        CommandLine commandLine = new CommandLine(cli)
                .setOut(terminal.out())
                .setErr(terminal.err())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(HeraldCli::usageError)
                .setExecutionExceptionHandler((e, cl, parseResult) -> cli.error(e));
        try {
            return commandLine.execute(args);
        } finally {
            terminal.out().flush();
            terminal.err().flush();
        }
    }

    /** {@code herald} without a command: the help, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(terminal.err());
        return EXIT_USAGE;
    }

    Terminal terminal() {
        return terminal;
    }

    ClientConfig clientConfig() {
        return new ClientConfig(bootstrapServer, commandConfig);
    }

    /** Raises the Kafka clients' log level if --verbose was given; call before the first client is created. */
    void applyLogLevel() {
        if (verbose && System.getProperty(KAFKA_LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(KAFKA_LOG_LEVEL_PROPERTY, "INFO");
        }
    }

    private int error(Exception e) {
        PrintWriter err = terminal.err();
        err.println("Error: " + Errors.describe(e, clientConfig().bootstrapForMessages()));
        if (verbose) {
            e.printStackTrace(err);
        } else if (!(e instanceof CliException) && !(Errors.unwrap(e) instanceof ApiException)) {
            err.println("(run with --verbose for details)");
        }
        return EXIT_ERROR;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String message = e.getMessage();
        err.println(message.startsWith("Error: ") ? message : "Error: " + message);
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        return EXIT_USAGE;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HeraldCli.class.getPackage().getImplementationVersion();
            return new String[] {"herald " + (v == null ? "(development build)" : v)};
        }
    }

    /** Standard input, output and error of a command line, and how it learns of Ctrl-C. */
    record Terminal(InputStream in, PrintWriter out, PrintWriter err, Interrupts interrupts) {

        static Terminal system() {
            return new Terminal(
                    System.in,
                    new PrintWriter(System.out, false, StandardCharsets.UTF_8),
                    new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                    Interrupts.shutdownHooks());
        }
    }
}
