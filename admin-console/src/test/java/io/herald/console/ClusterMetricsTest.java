package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.ProcessCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica, controller and broker-state metrics of a real 3-broker cluster (child JVMs, each with its console), as
 * Prometheus scrapes them from each broker's {@code /metrics}: one active controller in the cluster; when a follower is
 * killed, its partition's leader counts an ISR shrink and an under-replicated partition and the brokers show it
 * offline; when it returns, the leader counts an ISR expansion and nothing is under-replicated any more.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterMetricsTest {

    private static final String TOPIC = "watched";

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Integer> consolePorts = new HashMap<>();

    @Test
    void aFollowerFailureShowsInTheIsrUnderReplicationAndBrokerStateMetrics() throws Exception {
        List<Integer> ports = freePorts(3);
        for (int id = 1; id <= 3; id++) {
            consolePorts.put(id, ports.get(id - 1));
        }
        Map<String, String> settings = new HashMap<>(ProcessCluster.fastFailover());
        settings.put("auto.leader.rebalance.enable", "false");
        try (ProcessCluster cluster = ProcessCluster.start(
                        dir,
                        3,
                        settings,
                        (id, kafkaPort) -> Map.of("admin.listeners", "http://127.0.0.1:" + consolePorts.get(id)));
                Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            int leader = awaitIsr(admin, 3);
            int controller = admin.describeCluster()
                    .controller()
                    .get(30, TimeUnit.SECONDS)
                    .id();
            int follower = IntStream.rangeClosed(1, 3)
                    .filter(id -> id != leader && id != controller)
                    .findFirst()
                    .orElseThrow();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (int id = 1; id <= 3; id++) {
                    String m = scrape(id);
                    assertThat(value(m, "kafka_controller_kafkacontroller_activecontrollercount"))
                            .as("active controller gauge of broker %s", id)
                            .isEqualTo(id == controller ? 1.0 : 0.0);
                    assertThat(value(m, "kafka_server_kafkaserver_brokerstate")).isEqualTo(3.0);
                    assertThat(value(m, "herald_cluster_brokerstate{broker=\"" + follower + "\"}"))
                            .isEqualTo(1.0);
                }
                String atController = scrape(controller);
                assertThat(value(atController, "kafka_controller_kafkacontroller_activebrokercount"))
                        .isEqualTo(3.0);
                assertThat(value(atController, "kafka_controller_kafkacontroller_offlinepartitionscount"))
                        .isEqualTo(0.0);
                assertThat(value(scrape(leader), "kafka_server_replicamanager_leadercount"))
                        .isGreaterThanOrEqualTo(1.0);
                assertThat(value(scrape(leader), "kafka_server_replicamanager_underreplicatedpartitions"))
                        .isEqualTo(0.0);
            });
            double shrinksBefore = value(scrape(leader), "kafka_server_replicamanager_isrshrinks_total");
            double expandsBefore = value(scrape(leader), "kafka_server_replicamanager_isrexpands_total");

            cluster.kill(follower);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                String atLeader = scrape(leader);
                assertThat(value(atLeader, "kafka_server_replicamanager_underreplicatedpartitions"))
                        .isGreaterThanOrEqualTo(1.0);
                assertThat(value(atLeader, "kafka_server_replicamanager_isrshrinks_total"))
                        .isGreaterThan(shrinksBefore);
                String atController = scrape(controller);
                assertThat(value(atController, "herald_cluster_brokerstate{broker=\"" + follower + "\"}"))
                        .isEqualTo(0.0);
                assertThat(value(atController, "kafka_controller_kafkacontroller_fencedbrokercount"))
                        .isEqualTo(1.0);
            });

            cluster.start(follower);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                String atLeader = scrape(leader);
                assertThat(value(atLeader, "kafka_server_replicamanager_underreplicatedpartitions"))
                        .isEqualTo(0.0);
                assertThat(value(atLeader, "kafka_server_replicamanager_isrexpands_total"))
                        .isGreaterThan(expandsBefore);
                assertThat(value(scrape(controller), "herald_cluster_brokerstate{broker=\"" + follower + "\"}"))
                        .isEqualTo(1.0);
            });
        }
    }

    private String scrape(int broker) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePorts.get(broker) + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of one series ({@code name} or {@code name{labels}}) in a Prometheus text exposition. */
    static double value(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("No series " + series + " in:\n" + exposition);
    }

    private static int awaitIsr(Admin admin, int size) {
        int[] leader = new int[1];
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            TopicPartitionInfo p = admin.describeTopics(List.of(TOPIC))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(TOPIC)
                    .partitions()
                    .get(0);
            assertThat(p.leader()).isNotNull();
            assertThat(p.isr()).hasSize(size);
            leader[0] = p.leader().id();
        });
        return leader[0];
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
