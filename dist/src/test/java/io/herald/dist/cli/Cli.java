package io.herald.dist.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs {@code herald} command lines in the test's JVM with captured standard streams and an interrupt (Ctrl-C) the
 * test triggers.
 */
final class Cli {

    private final String bootstrap;

    Cli(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** The outcome of one command line. */
    record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    /** Runs {@code args} with {@code --bootstrap-server} of the broker appended, and empty standard input. */
    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        return new Session(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))).run(withBootstrap(args));
    }

    /** A session whose output can be watched while it runs and that can be interrupted, for long-running commands. */
    Session session() {
        return new Session(new ByteArrayInputStream(new byte[0]));
    }

    String[] withBootstrap(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (bootstrap != null) {
            all.add("--bootstrap-server");
            all.add(bootstrap);
        }
        return all.toArray(String[]::new);
    }

    /** One command line's streams and interrupts. */
    final class Session implements Interrupts {

        private final InputStream in;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final List<Runnable> actions = new CopyOnWriteArrayList<>();

        Session(InputStream in) {
            this.in = in;
        }

        Result run(String... args) {
            HeraldCli.Terminal terminal = new HeraldCli.Terminal(
                    in,
                    new PrintWriter(out, true, StandardCharsets.UTF_8),
                    new PrintWriter(err, true, StandardCharsets.UTF_8),
                    this);
            int code = HeraldCli.run(terminal, args);
            return new Result(code, output(), out(err));
        }

        Result runWithBootstrap(String... args) {
            return run(withBootstrap(args));
        }

        /** What the command printed on standard output so far. */
        String output() {
            return out(out);
        }

        /** Runs the registered interrupt actions as the JVM runs shutdown hooks: on another thread, to the end. */
        void interrupt() throws InterruptedException {
            Thread hook = new Thread(() -> actions.forEach(Runnable::run), "test-interrupt");
            hook.start();
            hook.join(15_000);
        }

        boolean hasInterruptHandler() {
            return !actions.isEmpty();
        }

        @Override
        public Registration onInterrupt(Runnable action) {
            actions.add(action);
            return () -> actions.remove(action);
        }

        private static String out(ByteArrayOutputStream bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
