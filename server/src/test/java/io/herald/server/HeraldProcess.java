package io.herald.server;

import io.herald.server.config.BrokerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A broker in a process of its own, for tests that kill it with SIGKILL: {@code main} takes {@code key=value}
 * settings, starts a {@link HeraldServer} on 127.0.0.1 with an ephemeral port, prints {@code PORT <port>} (and
 * {@code VOTES} once it votes in the cluster's consistent store) and serves until its standard input closes (so it never outlives the test that started it) or it is killed.
 */
public final class HeraldProcess {

    public static final String PORT_LINE = "PORT ";
    /** Printed once the broker votes in the cluster's consistent store (at once for a broker without a cluster). */
    public static final String VOTES_LINE = "VOTES";

    private HeraldProcess() {}

    /**
     * Starts a broker process with its data in {@code data}/broker and {@code settings}; its standard error goes to a
     * file in {@code data}, its standard output to the caller ({@link #port} reads it).
     */
    public static Process launch(Path data, Map<String, String> settings) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                HeraldProcess.class.getName(),
                "log.dirs=" + data.resolve("broker")));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        Files.createDirectories(data);
        return new ProcessBuilder(command)
                .redirectError(
                        data.resolve("broker-" + System.nanoTime() + ".stderr").toFile())
                .start();
    }

    /** The Kafka port a {@link #launch launched} broker printed once it served. */
    public static int port(Process process) throws IOException {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(PORT_LINE)) {
                return Integer.parseInt(line.substring(PORT_LINE.length()).trim());
            }
        }
        throw new IOException("The broker process exited before it printed its port");
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        for (String a : args) {
            int eq = a.indexOf('=');
            settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
        HeraldServer server = HeraldServer.start(BrokerConfig.parse(settings));
        System.out.println(
                PORT_LINE + server.boundPort(server.config().listeners().get(0).name()));
        System.out.flush();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-process-votes");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleWithFixedDelay(
                () -> {
                    if (server.cluster().votes()) {
                        System.out.println(VOTES_LINE);
                        System.out.flush();
                        watch.shutdown();
                    }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
        InputStream in = System.in;
        while (in.read() >= 0) {
            // serve until the parent closes our stdin
        }
        server.close();
    }
}
