package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.server.HeraldProcess;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jakarta Messaging 3.1 section 6.1.8 (ExceptionListener): a connection that loses its broker tells its listener,
 * once per outage, and works again when the broker is back. The broker runs in a child JVM that is killed with
 * SIGKILL, so nothing closes its sockets politely.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerLossTest {

    /** A broker in its own process on {@code port} with its data in {@code dir}; killed by {@link #kill}. */
    private static final class ChildBroker implements AutoCloseable {
        private final Process process;

        ChildBroker(Path dir, int port) throws IOException {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            process = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            HeraldProcess.class.getName(),
                            "listeners=PLAINTEXT://127.0.0.1:" + port,
                            "log.dirs=" + dir,
                            "admin.listeners=",
                            "num.network.threads=2",
                            "num.io.threads=4",
                            "share.coordinator.state.topic.num.partitions=3")
                    .redirectErrorStream(true)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith(HeraldProcess.PORT_LINE));
            assertThat(line).as("the child broker started").isNotNull();
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the child's output pipe from filling up
                    }
                } catch (IOException e) {
                    // the child died
                }
            });
            drain.setDaemon(true);
            drain.start();
        }

        /** SIGKILL: no clean shutdown, connections simply vanish. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theExceptionListenerHearsOnceThatTheBrokerWasKilledAndTheConnectionWorksWhenItIsBack(@TempDir Path dir)
            throws Exception {
        int port = freePort();
        List<JMSException> heard = new CopyOnWriteArrayList<>();
        ChildBroker broker = new ChildBroker(dir, port);
        Connection c = new HeraldConnectionFactory(
                        "herald://127.0.0.1:" + port + "?brokerLossTimeoutMs=1000&connectTimeoutMs=5000")
                .createConnection();
        try {
            c.setExceptionListener(heard::add);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("loss-" + port));
            p.send(s.createTextMessage("before"));

            broker.kill();
            await().atMost(Duration.ofSeconds(60)).until(() -> !heard.isEmpty());
            assertThat(heard.get(0)).hasMessageContaining("127.0.0.1:" + port);
            assertThat(heard.get(0).getCause()).isNotNull();
            assertThat(((HeraldConnection) c).brokersReachable()).isFalse();

            broker = new ChildBroker(dir, port);
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .untilAsserted(() -> p.send(s.createTextMessage("after")));
            // the monitor must have seen the broker back, else the next kill is the same outage to it
            await().atMost(Duration.ofSeconds(60)).until(((HeraldConnection) c)::brokersReachable);
            assertThat(heard).as("one report per outage").hasSize(1);

            broker.kill();
            await().atMost(Duration.ofSeconds(60)).until(() -> heard.size() == 2);
        } finally {
            broker.close();
            c.close();
        }
    }

    @Test
    void theBrokerLossTimeoutIsAnOptionOfTheUrlTheSetterAndSetOptionAndMustBePositive() {
        HeraldConnectionFactory f =
                new HeraldConnectionFactory("herald://127.0.0.1:1?brokerLossTimeoutMs=2500&clientId=app");
        assertThat(f.getBootstrapServers()).isEqualTo("127.0.0.1:1");
        f.setBrokerLossTimeoutMs(100);
        f.setOption("brokerLossTimeoutMs", "200");
        assertThatThrownBy(() -> new HeraldConnectionFactory("herald://127.0.0.1:1?brokerLossTimeoutMs=0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.setOption("brokerLossTimeoutMs", "soon"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConnectionWhoseBrokerStaysUpHearsNothingAndClosesItsMonitor(@TempDir Path dir) throws Exception {
        int port = freePort();
        List<JMSException> heard = new CopyOnWriteArrayList<>();
        try (ChildBroker broker = new ChildBroker(dir, port)) {
            Connection c = new HeraldConnectionFactory("herald://127.0.0.1:" + port + "?brokerLossTimeoutMs=500")
                    .createConnection();
            c.setExceptionListener(heard::add);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("steady-" + port)).send(s.createTextMessage("x"));
            c.close();

            assertThat(heard).isEmpty();
            assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(t -> t.getName().startsWith("herald-jms-broker-monitor-") && t.isAlive());
        }
    }
}
