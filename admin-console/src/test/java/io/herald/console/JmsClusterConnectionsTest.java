package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.jms.HeraldConnectionFactory;
import io.herald.server.ProcessCluster;
import jakarta.jms.Connection;
import jakarta.jms.InvalidClientIDException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JMS connections across a real 2-broker cluster (child JVMs, each with its console): a client id held through one
 * broker is refused through the other, and each broker's console lists every open connection, also those whose
 * {@code jms.owner.*} group the other broker coordinates.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class JmsClusterConnectionsTest {

    @TempDir
    Path dir;

    @Test
    void aClientIdIsHeldClusterWideAndEveryConsoleListsEveryConnection() throws Exception {
        List<Integer> consolePorts = freePorts(2);
        Map<String, String> settings = new HashMap<>(ProcessCluster.fastFailover());
        List<Connection> open = new ArrayList<>();
        try (ProcessCluster cluster = ProcessCluster.start(
                        dir,
                        2,
                        settings,
                        (id, kafkaPort) -> Map.of("admin.listeners", "http://127.0.0.1:" + consolePorts.get(id - 1)));
                Admin admin = Admin.create(cluster.clientProperties())) {
            String viaOne = "herald://" + cluster.bootstrap(1);
            String viaTwo = "herald://" + cluster.bootstrap(2);
            open.add(new HeraldConnectionFactory(viaOne + "?clientId=cluster-app").createConnection());
            assertThatThrownBy(() -> new HeraldConnectionFactory(viaTwo + "?clientId=cluster-app").createConnection())
                    .isInstanceOf(InvalidClientIDException.class);

            // connections until their owner groups are coordinated by both brokers (where a group lives is its hash)
            Set<Integer> coordinators = new HashSet<>(coordinators(admin));
            for (int i = 0; coordinators.size() < 2 && i < 30; i++) {
                open.add(new HeraldConnectionFactory((i % 2 == 0 ? viaOne : viaTwo) + "?clientId=cluster-" + i)
                        .createConnection());
                coordinators = coordinators(admin);
            }
            assertThat(coordinators).as("owner groups on both brokers").containsExactlyInAnyOrder(1, 2);

            Set<String> expected = new HashSet<>();
            for (Connection c : open) {
                expected.add(c.getClientID());
            }
            for (int id = 1; id <= 2; id++) {
                ConsoleClient console = new ConsoleClient(URI.create("http://127.0.0.1:" + consolePorts.get(id - 1)));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode listing = console.get("/api/jms/connections").json();
                    assertThat(listing.get("unreachableBrokers").toString()).isEqualTo("[]");
                    Set<String> listed = new HashSet<>();
                    listing.get("connections")
                            .forEach(c -> listed.add(c.get("clientId").asText()));
                    assertThat(listed).isEqualTo(expected);
                });
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    /** The brokers coordinating the open connections' {@code jms.owner.*} groups. */
    private static Set<Integer> coordinators(Admin admin) throws Exception {
        List<String> owners = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                .map(g -> g.groupId())
                .filter(g -> g.startsWith("jms.owner."))
                .toList();
        Set<Integer> out = new HashSet<>();
        for (ConsumerGroupDescription d : admin.describeConsumerGroups(owners)
                .all()
                .get(30, TimeUnit.SECONDS)
                .values()) {
            out.add(d.coordinator().id());
        }
        return out;
    }

    private static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
        return ports;
    }
}
