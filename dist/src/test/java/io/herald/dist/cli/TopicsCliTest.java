package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicCollection;
import org.junit.jupiter.api.Test;

/** {@code herald topics create|list|describe|alter|delete} against an in-process broker. */
class TopicsCliTest extends BrokerTestSupport {

    @Test
    void createMakesATopicWithTheGivenPartitions() throws Exception {
        Cli.Result result = cli.run("topics", "create", "orders", "--partitions", "3");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Created topic orders.\n");
        try (Admin admin = admin()) {
            TopicDescription d = admin.describeTopics(TopicCollection.ofTopicNames(java.util.List.of("orders")))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get("orders");
            assertThat(d.partitions()).hasSize(3);
        }
    }

    @Test
    void createWithoutPartitionsUsesTheBrokersDefault() throws Exception {
        assertThat(cli.run("topics", "create", "defaults").exitCode()).isZero();

        try (Admin admin = admin()) {
            Map<String, TopicDescription> d = admin.describeTopics(
                            TopicCollection.ofTopicNames(java.util.List.of("defaults")))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertThat(d.get("defaults").partitions()).hasSize(1); // num.partitions=1
        }
    }

    @Test
    void creatingAnExistingTopicFailsUnlessIfNotExists() throws Exception {
        createTopic("twice", 1);

        Cli.Result again = cli.run("topics", "create", "twice");
        Cli.Result tolerant = cli.run("topics", "create", "twice", "--if-not-exists");

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("Error: ").contains("twice").contains("already exists");
        assertThat(again.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(tolerant.exitCode()).isZero();
        assertThat(tolerant.out()).contains("exists already");
    }

    @Test
    void invalidTopicSettingsAreRefusedByTheBroker() {
        Cli.Result result = cli.run("topics", "create", "bad-config", "--config", "cleanup.policy=sometimes");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("cleanup.policy");
    }

    @Test
    void listPrintsTheNamesSorted() throws Exception {
        createTopic("list-b", 1);
        createTopic("list-a", 1);

        Cli.Result result = cli.run("topics", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.lines()).containsSubsequence("list-a", "list-b");
    }

    @Test
    void describeShowsEveryPartitionWithItsLeaderAndReplicas() throws Exception {
        createTopic("described", 2);

        Cli.Result result = cli.run("topics", "describe", "described");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines().get(0))
                .startsWith("Topic: described\tTopicId: ")
                .contains("PartitionCount: 2\tReplicationFactor: 1\tConfigs: ");
        assertThat(result.lines())
                .contains(
                        "\tTopic: described\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1",
                        "\tTopic: described\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1");
    }

    @Test
    void describeWithTheHealthFiltersShowsOnlyUnderReplicatedOrLeaderlessPartitions() throws Exception {
        createTopic("healthy", 2);

        Cli.Result under = cli.run("topics", "describe", "healthy", "--under-replicated-partitions");
        Cli.Result unavailable = cli.run("topics", "describe", "healthy", "--unavailable-partitions");

        assertThat(under.exitCode()).as(under.toString()).isZero();
        assertThat(under.lines()).noneMatch(l -> l.contains("Partition: "));
        assertThat(unavailable.lines()).noneMatch(l -> l.contains("Partition: "));
    }

    @Test
    void describeOfAMissingTopicSaysSo() {
        Cli.Result result = cli.run("topics", "describe", "no-such-topic");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: Topic no-such-topic does not exist.\n");
    }

    @Test
    void alterWithoutAChangeIsAUsageError() {
        Cli.Result result = cli.run("topics", "alter", "whatever");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Nothing to alter");
    }

    @Test
    void topicsDeleteRemovesTheTopic() throws Exception {
        createTopic("doomed", 1);

        Cli.Result result = cli.run("topics", "delete", "doomed");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Deleted topic doomed.\n");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(cli.run("topics", "list").lines()).doesNotContain("doomed"));
    }

    @Test
    void deletingAMissingTopicFailsUnlessIfExists() {
        Cli.Result strict = cli.run("topics", "delete", "never-existed");
        Cli.Result tolerant = cli.run("topics", "delete", "never-existed", "--if-exists");

        assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(1);
        assertThat(strict.err()).isEqualTo("Error: Topic never-existed does not exist.\n");
        assertThat(tolerant.exitCode()).as(tolerant.toString()).isZero();
    }

    @Test
    void topicsAlterAddsPartitions() throws Exception {
        createTopic("growing", 1);

        Cli.Result result = cli.run("topics", "alter", "growing", "--partitions", "3");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        try (Admin admin = admin()) {
            assertThat(admin.describeTopics(TopicCollection.ofTopicNames(List.of("growing")))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get("growing")
                            .partitions())
                    .hasSize(3);
        }
    }

    @Test
    void topicsAlterSetsAndRemovesSettingsWhichDescribeShows() throws Exception {
        createTopic("tuned", 1);

        Cli.Result set = cli.run(
                "topics", "alter", "tuned", "--config", "retention.ms=60000", "--config", "cleanup.policy=compact");
        Cli.Result described = cli.run("topics", "describe", "tuned");
        Cli.Result removed = cli.run("topics", "alter", "tuned", "--delete-config", "cleanup.policy");
        Cli.Result describedAgain = cli.run("topics", "describe", "tuned");

        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(described.lines().get(0)).endsWith("Configs: cleanup.policy=compact,retention.ms=60000");
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(describedAgain.lines().get(0)).endsWith("Configs: retention.ms=60000");
    }

    @Test
    void topicsCreateWithSettingsShowsThemInDescribe() {
        Cli.Result created = cli.run("topics", "create", "configured", "-p", "2", "-c", "max.message.bytes=2048");

        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(cli.run("topics", "describe", "configured").lines().get(0))
                .contains("PartitionCount: 2")
                .endsWith("Configs: max.message.bytes=2048");
    }
}
