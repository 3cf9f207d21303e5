package io.herald.server;

import io.herald.server.config.BrokerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
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
