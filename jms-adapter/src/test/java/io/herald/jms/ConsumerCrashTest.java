package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consumer process killed with SIGKILL in the middle of a transaction loses nothing and publishes nothing of the
 * transaction; what it had received comes again, flagged redelivered (JMS 6.2.10: the only duplicates allowed).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsumerCrashTest {

    /** Short locks: the dead consumer's records come back after 3 s instead of 30. */
    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension(Map.of("group.share.record.lock.duration.ms", "3000"));

    @Test
    void aConsumerKilledMidTransactionLosesNothingAndItsSendsNeverAppear() throws Exception {
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue in = s.createQueue("crash-in");
            Queue out = s.createQueue("crash-out");
            MessageProducer p = s.createProducer(in);
            for (String t : List.of("m1", "m2", "m3")) {
                p.send(s.createTextMessage(t));
            }

            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            Process child = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            CrashingConsumer.class.getName(),
                            herald.url(),
                            "crash-in",
                            "crash-out")
                    .redirectErrorStream(true)
                    .start();
            String received;
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                do {
                    line = r.readLine();
                } while (line != null && !line.startsWith("RECEIVED "));
                assertThat(line).as("the child received a message").isNotNull();
                received = line.substring("RECEIVED ".length());
                child.destroyForcibly(); // SIGKILL: no close, no release, no commit
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }

            c.start();
            Session check = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = check.createConsumer(in);
            Map<String, Message> got = new HashMap<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (got.size() < 3 && System.currentTimeMillis() < deadline) {
                Message m = consumer.receive(500);
                if (m != null) {
                    assertThat(got.put(((TextMessage) m).getText(), m))
                            .as("no duplicate")
                            .isNull();
                }
            }
            check.commit();
            assertThat(got.keySet()).containsExactlyInAnyOrder("m1", "m2", "m3");
            assertThat(got.get(received).getJMSRedelivered()).isTrue();
            assertThat(got.get(received).getIntProperty("JMSXDeliveryCount")).isGreaterThanOrEqualTo(2);
            assertThat(consumer.receive(1000)).isNull();
            assertThat(check.createConsumer(out).receive(2000))
                    .as("the dead transaction's send never appears")
                    .isNull();
        }
    }
}
