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
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald partitions} against a real 3-broker cluster (child JVMs): a partition moved to other brokers ends on
 * them, in sync, with nothing in progress; a preferred election gives it back to its first replica; and malformed
 * arguments are usage errors.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class PartitionsCliTest {

    @TempDir
    Path dir;

    @Test
    void aPartitionMovesToOtherBrokersAndItsPreferredReplicaIsElected() throws Exception {
        Map<String, String> settings = new HashMap<>(ProcessCluster.fastFailover());
        settings.put("admin.listeners", ""); // the console is on this class path: three would share its port
        settings.put("auto.leader.rebalance.enable", "false");
        try (ProcessCluster cluster = ProcessCluster.start(dir, 3, settings);
                Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("moving", 1, (short) 2)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            TopicPartitionInfo before = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> partition(admin),
                            p -> p.leader() != null && p.isr().size() == 2);
            List<Integer> replicas = before.replicas().stream().map(Node::id).toList();
            int outsider = IntStream.rangeClosed(1, 3)
                    .filter(b -> !replicas.contains(b))
                    .findFirst()
                    .orElseThrow();
            int leader = before.leader().id();
            int stays = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();
            Cli cli = new Cli(cluster.bootstrap());

            Cli.Result moved = cli.run("partitions", "reassign", "moving:0=" + outsider + "," + stays);

            assertThat(moved.exitCode()).as(moved.toString()).isZero();
            assertThat(moved.out()).contains("Moving moving:0 to [" + outsider + ", " + stays + "]");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Cli.Result listed = cli.run("partitions", "reassignments");
                assertThat(listed.exitCode()).as(listed.toString()).isZero();
                assertThat(listed.out()).contains("No partition is being moved.");
                TopicPartitionInfo p = partition(admin);
                assertThat(p.replicas()).extracting(Node::id).containsExactly(outsider, stays);
                assertThat(p.isr()).extracting(Node::id).containsExactlyInAnyOrder(outsider, stays);
            });

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Cli.Result elected = cli.run("partitions", "elect-leaders", "moving:0");
                assertThat(elected.exitCode()).as(elected.toString()).isZero();
                assertThat(partition(admin).leader().id()).isEqualTo(outsider);
            });
            Cli.Result again = cli.run("partitions", "elect-leaders", "moving:0");
            assertThat(again.out()).contains("moving:0: already led by its preferred replica");

            Cli.Result unknown = cli.run("partitions", "reassign", "nosuch:0=1,2");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err()).startsWith("nosuch:0: ");
            assertThat(cli.run("partitions", "reassign", "moving:0=1,1").exitCode())
                    .isEqualTo(2);
            assertThat(cli.run("partitions", "reassign", "moving=1,2").exitCode())
                    .isEqualTo(2);
        }
    }

    private static TopicPartitionInfo partition(Admin admin) throws Exception {
        return admin.describeTopics(List.of("moving"))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get("moving")
                .partitions()
                .get(0);
    }
}
