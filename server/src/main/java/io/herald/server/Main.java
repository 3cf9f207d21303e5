package io.herald.server;

import io.herald.server.config.BrokerConfig;
import io.herald.server.config.Listener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's entry point, {@code herald-server [config/server.properties] [--override key=value ...]}.
 *
 * <p>It reads the configuration (the embedded defaults of {@link BrokerConfig} when no file is given), starts a
 * {@link HeraldServer}, logs where it listens and where its data is, and runs until the process is asked to stop. A
 * shutdown hook stops the broker gracefully: sockets closed, I/O threads stopped, logs flushed and checkpointed, the
 * clean-shutdown marker written. SIGTERM and SIGINT (Ctrl-C) end the process with exit code 0 after that hook ran
 * ({@link SignalExit}); without it the JVM would report 143 or 130 for a shutdown that went well.
 *
 * <p>Exit codes: {@value #EXIT_OK} stopped cleanly; {@value #EXIT_FAILURE} failed to start (port in use, data
 * directory locked or unreadable); {@value #EXIT_USAGE} wrong arguments, unreadable configuration file or invalid
 * configuration (the message names every invalid key). Configuration keys that Herald does not know are not an error:
 * the broker logs a WARN naming them and starts.
 *
 * <p>Thread-safety: {@link #main} is called once by the JVM.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        ServerArguments arguments;
        BrokerConfig config;
        try {
            arguments = ServerArguments.parse(args);
            if (arguments.help()) {
                System.out.println(ServerArguments.USAGE);
                return;
            }
            if (arguments.version()) {
                System.out.println("Herald " + version());
                return;
            }
            config = loadConfig(arguments);
        } catch (ConfigurationException | IllegalArgumentException e) {
            reportUsageError(System.err, e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }

        BrokerProcess broker = new BrokerProcess(config);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "herald-shutdown"));
        SignalExit.install(EXIT_OK, "TERM", "INT");
        int code = broker.run();
        if (code != EXIT_OK) {
            System.exit(code);
        }
    }

    static void reportUsageError(PrintStream err, String message) {
        err.println("herald-server: " + message);
        err.println("Run 'herald-server --help' for usage.");
    }

    /**
     * The configuration the arguments describe: the file's settings (or none), then the overrides.
     *
     * @throws ConfigurationException if the file cannot be read
     * @throws IllegalArgumentException naming the invalid keys, if any value is invalid
     */
    static BrokerConfig loadConfig(ServerArguments arguments) throws ConfigurationException {
        Map<String, String> settings = new LinkedHashMap<>();
        if (arguments.configFile().isPresent()) {
            settings.putAll(readProperties(arguments.configFile().get()));
        }
        settings.putAll(arguments.overrides());
        return BrokerConfig.parse(settings);
    }

    private static Map<String, String> readProperties(Path file) throws ConfigurationException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("Configuration file not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read configuration file " + file.toAbsolutePath() + ": " + e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            settings.put(name, properties.getProperty(name));
        }
        return settings;
    }

    /** The version from the jar's manifest, or a placeholder when running from classes (IDE, tests). */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** A configuration file that cannot be read. */
    static final class ConfigurationException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigurationException(String message) {
            super(message);
        }
    }

    /**
     * The running broker as the process sees it: started by the main thread, stopped by the shutdown hook. A stop that
     * arrives while the broker starts waits for the start to finish and then stops it, so that no signal leaves a
     * half-started broker behind.
     *
     * <p>Thread-safety: {@link #start} and {@link #stop} are synchronized; {@link #run} is called by one thread.
     */
    static final class BrokerProcess {

        private static final Logger log = LoggerFactory.getLogger(Main.class);

        private final BrokerConfig config;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private HeraldServer server;
        private boolean stopping;

        BrokerProcess(BrokerConfig config) {
            this.config = config;
        }

        /** Starts the broker and waits until {@link #stop} stopped it; returns the exit code. */
        int run() {
            try {
                if (!start()) {
                    return EXIT_OK;
                }
            } catch (IOException e) {
                log.error("Herald failed to start: {}", describe(e));
                log.debug("Start failure", e);
                return EXIT_FAILURE;
            } catch (RuntimeException e) {
                log.error("Herald failed to start: {}", describe(e), e);
                return EXIT_FAILURE;
            }
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return EXIT_OK;
        }

        /** Starts the broker unless a stop came first; returns whether it started. */
        synchronized boolean start() throws IOException {
            if (stopping) {
                return false;
            }
            log.info(
                    "Starting Herald {} on Java {} ({})",
                    version(),
                    Runtime.version(),
                    System.getProperty("java.home"));
            server = HeraldServer.start(config);
            log.info(
                    "Herald {} is listening on {}; data in {}",
                    version(),
                    config.listeners().stream().map(this::bound).collect(Collectors.joining(", ")),
                    config.logDirs().stream()
                            .map(p -> p.toAbsolutePath().normalize().toString())
                            .collect(Collectors.joining(", ")));
            return true;
        }

        private String bound(Listener listener) {
            Listener b = listener.withPort(server.boundPort(listener.name()));
            return b.host().isEmpty() ? b.withHost("0.0.0.0").toString() : b.toString();
        }

        /** Stops the broker gracefully (idempotent); called by the shutdown hook. */
        synchronized void stop() {
            stopping = true;
            try {
                if (server != null) {
                    log.info("Shutting down Herald: closing sockets, flushing and checkpointing the logs");
                    server.close();
                    server = null;
                    log.info("Herald shut down cleanly");
                }
            } finally {
                stopped.countDown();
            }
        }

        private static String describe(Throwable e) {
            String message = e.getMessage();
            return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
        }
    }
}
