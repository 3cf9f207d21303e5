package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald cluster} and {@code herald topics describe} against a real 3-broker cluster (module server's {@link
 * ProcessCluster}, child JVMs) with one broker killed: it shows as fenced, the partitions it was a follower of are
 * marked under-replicated, and those it was the only replica of are marked offline.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterHealthCliTest {

    @TempDir
    Path dir;

    @Test
    void aKilledBrokerShowsAsFencedAndItsPartitionsAsUnderReplicatedOrOffline() throws Exception {
        Map<String, String> settings = new HashMap<>(ProcessCluster.fastFailover());
        settings.put("admin.listeners", ""); // the console is on this class path: three would share its port
        settings.put("auto.leader.rebalance.enable", "false");
        try (ProcessCluster cluster = ProcessCluster.start(dir, 3, settings);
                Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("replicated", 1, (short) 3), new NewTopic("single", 3, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            TopicPartitionInfo replicated = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> describe(admin, "replicated").partitions().get(0),
                            p -> p.isr().size() == 3);
            int controller = admin.describeCluster()
                    .controller()
                    .get(30, TimeUnit.SECONDS)
                    .id();
            int victim = IntStream.rangeClosed(1, 3)
                    .filter(id -> id != replicated.leader().id() && id != controller)
                    .findFirst()
                    .orElseThrow();
            List<Integer> onVictimOnly = describe(admin, "single").partitions().stream()
                    .filter(p -> p.replicas().size() == 1 && p.replicas().get(0).id() == victim)
                    .map(TopicPartitionInfo::partition)
                    .toList();
            assertThat(onVictimOnly)
                    .as("the single-replica partitions are spread over the brokers")
                    .isNotEmpty();
            Cli cli = new Cli(cluster.bootstrap());

            cluster.kill(victim);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Cli.Result result = cli.run("cluster");
                assertThat(result.exitCode()).as(result.toString()).isZero();
                assertThat(result.lines().get(0)).endsWith("\tController: " + controller);
                assertThat(result.lines())
                        .anySatisfy(l -> assertThat(l.split("\\s+"))
                                .startsWith(String.valueOf(victim))
                                .contains("fenced"))
                        .anySatisfy(l -> assertThat(l.split("\\s+"))
                                .startsWith(String.valueOf(controller))
                                .contains("running", "yes"));
                assertThat(result.lines().get(result.lines().size() - 1))
                        .contains("\tUnder-replicated: 1\t")
                        .endsWith("\tOffline: " + onVictimOnly.size());
            });
            // Each broker answers from its own view, which follows the failure within moments of the others'.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Cli.Result described = cli.run("topics", "describe", "replicated", "single");
                assertThat(described.exitCode()).as(described.toString()).isZero();
                assertThat(described.lines())
                        .anySatisfy(l -> assertThat(l)
                                .startsWith("\tTopic: replicated\tPartition: 0\t")
                                .endsWith("\t(under-replicated)"));
                for (int p : onVictimOnly) {
                    assertThat(described.lines())
                            .anySatisfy(l -> assertThat(l)
                                    .startsWith("\tTopic: single\tPartition: " + p + "\tLeader: none\t")
                                    .endsWith("\t(offline)"));
                }
                assertThat(described.lines().stream().filter(l -> l.endsWith(")")))
                        .as("only the partitions the killed broker leaves unhealthy are marked")
                        .hasSize(1 + onVictimOnly.size());
            });
        }
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
    }
}
