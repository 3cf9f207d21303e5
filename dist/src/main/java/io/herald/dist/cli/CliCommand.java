package io.herald.dist.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that does something (as opposed to a group of commands such as {@code topics}): it reaches the terminal and
 * the connection options through the top {@link HeraldCli} command.
 *
 * <p>Thread-safety: one instance runs once, on the calling thread.
 */
abstract class CliCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        cli().applyLogLevel();
        return run();
    }

    /** Does the work and returns the exit code; exceptions become one line on standard error and exit code 1. */
    abstract int run() throws Exception;

    final HeraldCli cli() {
        return (HeraldCli) spec.root().userObject();
    }

    final PrintWriter out() {
        return cli().terminal().out();
    }

    final PrintWriter err() {
        return cli().terminal().err();
    }

    final ClientConfig clients() {
        return cli().clientConfig();
    }

    /** A usage error found after parsing (options that exclude each other): exit code 2. */
    final picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * A command that only groups subcommands ({@code topics}, {@code groups}, {@code perf}): without one it prints its
     * help on standard error and exits with 2.
     */
    abstract static class Group implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return HeraldCli.EXIT_USAGE;
        }
    }
}
