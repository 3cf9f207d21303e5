package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the broker does about a connection whose process is killed with SIGKILL: Jakarta Messaging 3.1 section 6.2.2
 * (temporary destinations live no longer than their connection: the broker deletes its temporary queues and topics, and
 * only those) and §6.1.2 (its client id, refused to other connections while it lives, is free again once the broker
 * notices it is gone, within the presence member's session timeout).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TemporaryDestinationCrashTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static Set<String> topics(Admin admin) throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theBrokerFreesTheClientIdAndDeletesTheTemporaryDestinationsOfAKilledConnectionAndKeepsThoseOfALiveOne()
            throws Exception {
        try (Connection live = herald.factory().createConnection();
                Admin admin = Admin.create(herald.broker().clientProperties())) {
            Session s = live.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue kept = s.createTemporaryQueue();

            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            Process child = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            TemporaryDestinationHolder.class.getName(),
                            herald.url() + "?clientId=crash-holder")
                    .redirectErrorStream(true)
                    .start();
            String queue;
            String topic;
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                do {
                    line = r.readLine();
                } while (line != null && !line.startsWith("TEMPORARY "));
                assertThat(line)
                        .as("the child created its temporary destinations")
                        .isNotNull();
                String[] names = line.split(" ");
                queue = names[1];
                topic = names[2];
                assertThat(topics(admin)).contains(queue, topic);
                assertThatThrownBy(() -> herald.factory("clientId=crash-holder").createConnection())
                        .as("another process holds the client id")
                        .isInstanceOf(InvalidClientIDException.class);
                child.destroyForcibly(); // SIGKILL: the connection never closes
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }

            // free after the presence member's session timeout (the documented bound), with slack for a slow machine
            Connection successor = await().atMost(Duration.ofMillis(PresenceMember.SESSION_TIMEOUT_MS + 20_000))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreException(InvalidClientIDException.class)
                    .until(() -> herald.factory("clientId=crash-holder").createConnection(), c -> c != null);
            successor.close();

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() ->
                            !topics(admin).contains(queue) && !topics(admin).contains(topic));
            assertThat(topics(admin)).contains(kept.getQueueName());

            s.createProducer(kept).send(s.createTextMessage("still usable"));
            live.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> !topics(admin).contains(kept.getQueueName()));
        }
    }
}
