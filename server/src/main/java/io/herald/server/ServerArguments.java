package io.herald.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of {@code herald-server}: {@code [config/server.properties] [--override key=value ...]}, or
 * {@code --help} / {@code --version}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param configFile the properties file, if one was given; the embedded defaults otherwise
 * @param overrides settings that replace the file's, in the order given
 * @param help whether {@code --help} was given
 * @param version whether {@code --version} was given
 */
record ServerArguments(Optional<Path> configFile, Map<String, String> overrides, boolean help, boolean version) {

    static final String USAGE = """
            Usage: herald-server [CONFIG_FILE] [--override KEY=VALUE]...
            Starts a Herald broker.

              CONFIG_FILE              a server.properties file (Kafka's key names); without one the
                                       embedded defaults apply: listeners=PLAINTEXT://:9092, log.dirs=data
              --override KEY=VALUE     a setting that replaces the file's (repeatable)
              -h, --help               print this help and exit
              -V, --version            print the version and exit

            Exit codes: 0 stopped cleanly (also on SIGTERM or Ctrl-C), 1 failed to start or to run,
                        2 wrong arguments or invalid configuration.""";

    ServerArguments {
        overrides = Map.copyOf(overrides);
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException with a message for the user if the arguments are not valid
     */
    static ServerArguments parse(String... args) {
        Path file = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> help = true;
                case "-V", "--version" -> version = true;
                case "--override" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--override needs a KEY=VALUE argument");
                    }
                    putOverride(overrides, args[++i]);
                }
                default -> {
                    if (arg.startsWith("--override=")) {
                        putOverride(overrides, arg.substring("--override=".length()));
                    } else if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("Unknown option: " + arg);
                    } else if (file != null) {
                        throw new IllegalArgumentException(
                                "Only one configuration file may be given; got " + file + " and " + arg);
                    } else {
                        file = Path.of(arg);
                    }
                }
            }
        }
        return new ServerArguments(Optional.ofNullable(file), overrides, help, version);
    }

    private static void putOverride(Map<String, String> overrides, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--override expects KEY=VALUE, got: " + keyValue);
        }
        overrides.put(
                keyValue.substring(0, eq).trim(), keyValue.substring(eq + 1).trim());
    }
}
