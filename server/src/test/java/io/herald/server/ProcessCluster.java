package io.herald.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * N Herald brokers forming one cluster, each a child JVM ({@link HeraldProcess}) on 127.0.0.1 with its own data
 * directory, for tests that kill brokers with SIGKILL ({@link #kill}) and restart them ({@link #start(int)}). Every
 * broker keeps its Kafka and cluster ports across restarts (chosen free when the cluster is made), so clients'
 * bootstrap lists stay valid. A child's output goes to {@code broker-<id>.log} in its directory; a child exits when
 * the test JVM closes its standard input, so none outlives the test.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
public final class ProcessCluster implements AutoCloseable {

    private final Path root;
    private final int size;
    private final Map<String, String> settings;
    private final PerBroker perBroker;
    private final int[] kafkaPorts;
    private final int[] clusterPorts;
    private final Map<Integer, Process> processes = new HashMap<>();
    private String listener = "PLAINTEXT";
    /** Where each broker's current life begins in its log file. */
    private final Map<Integer, Long> lifeStarts = new HashMap<>();

    /** Settings of one broker. */
    @FunctionalInterface
    public interface PerBroker {
        /** The settings of broker {@code id}, whose Kafka listener must stay on 127.0.0.1:{@code kafkaPort}. */
        Map<String, String> settings(int id, int kafkaPort);
    }

    private ProcessCluster(Path root, int size, Map<String, String> settings, PerBroker perBroker) throws IOException {
        this.root = root;
        this.size = size;
        this.settings = Map.copyOf(settings);
        this.perBroker = perBroker;
        this.kafkaPorts = freePorts(size);
        this.clusterPorts = freePorts(size);
    }

    /**
     * Settings for tests: failure detection, ISR shrink and Raft member replacement in seconds rather than the
     * production defaults, so a test sees a failover in a few seconds.
     */
    public static Map<String, String> fastFailover() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("cluster.failure.timeout.ms", "4000");
        s.put("cluster.cp.member.removal.ms", "6000");
        s.put("replica.lag.time.max.ms", "4000");
        s.put("replica.fetch.backoff.ms", "200");
        s.put("num.network.threads", "1");
        s.put("num.io.threads", "2");
        s.put("group.initial.rebalance.delay.ms", "0");
        s.put("offsets.topic.num.partitions", "3");
        return s;
    }

    /** Starts {@code size} brokers (node ids 1..size) with {@code settings} and waits until each serves. */
    public static ProcessCluster start(Path root, int size, Map<String, String> settings) throws IOException {
        return start(root, size, settings, (id, kafkaPort) -> Map.of());
    }

    /**
     * As {@link #start(Path, int, Map)}, each broker also getting the settings {@code perBroker} returns for it (they
     * win over the cluster's own: listeners, cluster addresses).
     */
    public static ProcessCluster start(Path root, int size, Map<String, String> settings, PerBroker perBroker)
            throws IOException {
        ProcessCluster c = configure(root, size, settings, "PLAINTEXT", perBroker);
        try {
            c.startAll();
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * A cluster not started yet, its brokers listening on one listener named {@code listener} (a security protocol
     * name, e.g. {@code SASL_SSL}) with the settings of {@link #start(Path, int, Map, PerBroker)}: files can go into
     * the data directories before {@link #startAll}.
     */
    public static ProcessCluster configure(
            Path root, int size, Map<String, String> settings, String listener, PerBroker perBroker)
            throws IOException {
        ProcessCluster c = new ProcessCluster(root, size, settings, perBroker);
        c.listener = listener;
        return c;
    }

    /** The directory broker {@code id} keeps its log in ({@code log.dirs}). */
    public Path logDir(int id) {
        return dataDir(id).resolve("data");
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    public int size() {
        return size;
    }

    /** The port of broker {@code id}'s Kafka listener. */
    public int kafkaPort(int id) {
        return kafkaPorts[id - 1];
    }

    public String bootstrap() {
        List<String> all = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            all.add("127.0.0.1:" + kafkaPorts[id - 1]);
        }
        return String.join(",", all);
    }

    /** Broker {@code id}'s address alone, for a client that must first reach that broker. */
    public String bootstrap(int id) {
        return "127.0.0.1:" + kafkaPorts[id - 1];
    }

    /** Client properties listing every broker. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        return p;
    }

    public Path dataDir(int id) {
        return root.resolve("broker-" + id);
    }

    public boolean isRunning(int id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /** Starts broker {@code id} again (after {@link #kill} or {@link #stop}) and waits until it serves. */
    public void start(int id) throws IOException {
        launch(id);
        awaitServing(id);
    }

    /** Starts every broker that is not running, together (a majority must be up before any serves), and waits. */
    public void startAll() throws IOException {
        List<Integer> started = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            if (!isRunning(id)) {
                launch(id);
                started.add(id);
            }
        }
        for (int id : started) {
            awaitServing(id);
        }
    }

    /** SIGKILL: the broker dies at once, without flushing or leaving the cluster. */
    public void kill(int id) throws InterruptedException {
        Process p = processes.remove(id);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A clean stop: the broker closes its standard input, flushes its logs and leaves the cluster. */
    public void stop(int id) throws InterruptedException {
        Process p = processes.remove(id);
        if (p != null) {
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void launch(int id) throws IOException {
        Path dir = dataDir(id);
        Files.createDirectories(dir);
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
        String members = java.util.Arrays.stream(clusterPorts)
                .mapToObj(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(","));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                System.getProperty("java.class.path"),
                HeraldProcess.class.getName(),
                "node.id=" + id,
                "listeners=" + listener + "://127.0.0.1:" + kafkaPorts[id - 1],
                "log.dirs=" + logDir(id),
                "cluster.members=" + members,
                "cluster.host=127.0.0.1",
                "cluster.port=" + clusterPorts[id - 1]));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        perBroker.settings(id, kafkaPorts[id - 1]).forEach((k, v) -> command.add(k + "=" + v));
        // One file over all of a broker's lives (each restart appends), so a kept log tells the whole story.
        Path out = dir.resolve("broker-" + id + ".log");
        lifeStarts.put(id, Files.exists(out) ? Files.size(out) : 0L);
        Files.writeString(
                out,
                "---- broker " + id + " starts ----\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .start();
        processes.put(id, p);
    }

    /** Waits until broker {@code id} serves and votes in the consistent store (so the cluster can lose another). */
    private void awaitServing(int id) throws IOException {
        awaitLine(id, HeraldProcess.PORT_LINE, "serve");
        awaitLine(id, HeraldProcess.VOTES_LINE, "vote in the cluster's consistent store");
    }

    private void awaitLine(int id, String line, String what) throws IOException {
        Path out = dataDir(id).resolve("broker-" + id + ".log");
        long from = lifeStarts.getOrDefault(id, 0L);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        byte[] all = Files.readAllBytes(out);
                        int start = (int) Math.min(from, all.length);
                        String text = new String(all, start, all.length - start, StandardCharsets.UTF_8);
                        if (text.contains(line)) {
                            return true;
                        }
                        Process p = processes.get(id);
                        if (p == null || !p.isAlive()) {
                            throw new IOException(
                                    "Broker " + id + " exited before it could " + what + "; its output:\n" + text);
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IOException("Broker " + id + " did not " + what + " within 150 s", e);
        }
    }

    @Override
    public void close() {
        String keep = System.getProperty("herald.cluster.logs");
        for (Process p : processes.values()) {
            p.destroyForcibly();
        }
        for (Process p : processes.values()) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        if (keep != null) {
            copyLogs(Path.of(keep));
        }
    }

    /** Keeps the brokers' output ({@code -Dherald.cluster.logs=<dir>}) for a look after the test. */
    private void copyLogs(Path target) {
        try {
            Path into = Files.createDirectories(target.resolve("cluster-" + System.nanoTime()));
            for (int id = 1; id <= size; id++) {
                Path log = dataDir(id).resolve("broker-" + id + ".log");
                if (Files.exists(log)) {
                    Files.copy(log, into.resolve(log.getFileName()));
                }
            }
        } catch (IOException e) {
            System.err.println("Copying the brokers' logs failed: " + e);
        }
    }

    private static final String LOGBACK = """
            <configuration>
                <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>
                </appender>
                <logger name="io.herald.server.cluster" level="INFO"/>
                <logger name="io.herald.server.replication" level="INFO"/>
                <logger name="io.herald.server.share" level="INFO"/>
                <logger name="com.hazelcast" level="WARN"/>
                <logger name="com.hazelcast.cp" level="INFO"/>
                <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;
}
