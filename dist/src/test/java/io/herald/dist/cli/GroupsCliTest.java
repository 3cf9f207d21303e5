package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * {@code herald groups list|describe|reset-offsets|delete} and {@code herald consume --group} against the broker's
 * consumer-group coordinator; they pass against a real Kafka broker too ({@code -Dherald.test.bootstrap=host:port},
 * see {@link BrokerTestSupport}).
 */
class GroupsCliTest extends BrokerTestSupport {

    // ---- consumer groups -------------------------------------------------------------------------------------------

    @Test
    void consumeWithAGroupCommitsExactlyThePrintedRecords() throws Exception {
        createTopic("grouped", 1);
        produce("grouped", "a", "b", "c");

        Cli.Result first =
                cli.run("consume", "grouped", "--group", "g1", "--from-beginning", "-n", "2", "--timeout", "20000");
        Cli.Result second = cli.run("consume", "grouped", "--group", "g1", "-n", "1", "--timeout", "20000");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).isEqualTo("a\nb\n");
        assertThat(second.out())
                .as("the group resumes after the committed offset")
                .isEqualTo("c\n");
        assertThat(committed("g1")).containsEntry(new TopicPartition("grouped", 0), 3L);
    }

    @Test
    void groupsListAndDescribeShowTheGroupWithItsLag() throws Exception {
        createTopic("lagging", 2);
        produce("lagging", "x", "y", "z");
        cli.run("consume", "lagging", "--group", "g2", "--from-beginning", "-n", "1", "--timeout", "20000");

        Cli.Result list = cli.run("groups", "list");
        Cli.Result describe = cli.run("groups", "describe", "g2");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.lines().get(0)).matches("GROUP\\s+TYPE\\s+STATE");
        assertThat(list.lines()).anyMatch(l -> l.matches("g2\\s+\\S+\\s+Empty"));
        assertThat(describe.exitCode()).as(describe.toString()).isZero();
        assertThat(describe.lines().get(0)).startsWith("Group g2: state Empty, 0 members");
        assertThat(describe.lines().get(1))
                .matches(
                        "GROUP\\s+TOPIC\\s+PARTITION\\s+CURRENT-OFFSET\\s+LOG-END-OFFSET\\s+LAG\\s+CONSUMER-ID\\s+HOST\\s+CLIENT-ID");
        assertThat(describe.lines()).anyMatch(l -> l.matches("g2\\s+lagging\\s+0\\s+1\\s+3\\s+2\\s+-\\s+-\\s+-"));
    }

    @Test
    void describingAnUnknownGroupSaysSo() {
        Cli.Result result = cli.run("groups", "describe", "no-such-group");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("Group no-such-group does not exist.");
    }

    @Test
    void resetOffsetsIsADryRunUnlessExecuted() throws Exception {
        createTopic("rewind", 1);
        produce("rewind", "r0", "r1", "r2", "r3");
        cli.run("consume", "rewind", "--group", "g3", "--from-beginning", "-n", "4", "--timeout", "20000");
        TopicPartition tp = new TopicPartition("rewind", 0);

        Cli.Result dryRun = cli.run("groups", "reset-offsets", "g3", "--topic", "rewind", "--to-earliest");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.lines()).anyMatch(l -> l.matches("g3\\s+rewind\\s+0\\s+0"));
        assertThat(dryRun.err()).contains("Dry run");
        assertThat(committed("g3")).containsEntry(tp, 4L);

        Cli.Result executed = cli.run("groups", "reset-offsets", "g3", "--all-topics", "--to-offset", "1", "--execute");
        assertThat(executed.exitCode()).as(executed.toString()).isZero();
        assertThat(committed("g3")).containsEntry(tp, 1L);
        assertThat(cli.run("consume", "rewind", "--group", "g3", "-n", "1", "--timeout", "20000")
                        .out())
                .isEqualTo("r1\n");

        cli.run("groups", "reset-offsets", "g3", "--topic", "rewind:0", "--to-latest", "--execute");
        assertThat(committed("g3")).containsEntry(tp, 4L);

        cli.run(
                "groups",
                "reset-offsets",
                "g3",
                "--topic",
                "rewind",
                "--to-datetime",
                "2000-01-01T00:00:00Z",
                "--execute");
        assertThat(committed("g3")).containsEntry(tp, 0L);
    }

    @Test
    void resetOffsetsRefusesAGroupWithActiveMembers() throws Exception {
        createTopic("busy", 1);
        produce("busy", "m");
        try (KafkaConsumer<String, String> member = member("g4")) {
            member.subscribe(List.of("busy"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
            });

            Cli.Result result =
                    cli.run("groups", "reset-offsets", "g4", "--topic", "busy", "--to-earliest", "--execute");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.err()).contains("no active member");
        }
    }

    @Test
    void groupsDeleteRemovesAnInactiveGroup() throws Exception {
        createTopic("forgotten", 1);
        produce("forgotten", "f");
        cli.run("consume", "forgotten", "--group", "g5", "--from-beginning", "-n", "1", "--timeout", "20000");

        Cli.Result deleted = cli.run("groups", "delete", "g5");

        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).isEqualTo("Deleted group g5.\n");
        assertThat(cli.run("groups", "describe", "g5").exitCode()).isEqualTo(1);
        assertThat(cli.run("groups", "delete", "g5").err()).contains("Group g5 does not exist.");
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new java.util.HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    result.put(tp, om.offset());
                }
            });
            return result;
        }
    }

    private static KafkaConsumer<String, String> member(String group) {
        Properties p = clientProperties();
        p.put("group.id", group);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
