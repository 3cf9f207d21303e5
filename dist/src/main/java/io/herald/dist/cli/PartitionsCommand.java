package io.herald.dist.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald partitions reassign|reassignments|elect-leaders}: moving partitions between brokers and electing
 * leaders, what Kafka's {@code kafka-reassign-partitions} and {@code kafka-leader-election} do, through kafka-clients'
 * {@link Admin} (AlterPartitionReassignments, ListPartitionReassignments, ElectLeaders).
 *
 * <p>Partitions are written {@code <topic>:<partition>}, a reassignment {@code <topic>:<partition>=<broker>,...} with
 * the preferred leader first.
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "partitions",
        description = "Moves partitions between brokers and elects their leaders.",
        mixinStandardHelpOptions = true,
        subcommands = {
            PartitionsCommand.Reassign.class,
            PartitionsCommand.Reassignments.class,
            PartitionsCommand.ElectLeaders.class
        })
final class PartitionsCommand extends CliCommand.Group {

    @Command(
            name = "reassign",
            description = "Starts moving partitions to new replicas (the first is the preferred leader), or cancels"
                    + " moves in progress. The move completes in the background: see 'partitions reassignments'.",
            mixinStandardHelpOptions = true)
    static final class Reassign extends CliCommand {

        @Parameters(
                arity = "1..*",
                paramLabel = "MOVE",
                description = "<topic>:<partition>=<broker>,<broker>,... (with --cancel: <topic>:<partition>)")
        List<String> moves;

        @Option(names = "--cancel", description = "Cancel the moves in progress of these partitions.")
        boolean cancel;

        @Override
        int run() throws Exception {
            Map<TopicPartition, Optional<NewPartitionReassignment>> request = new LinkedHashMap<>();
            for (String move : moves) {
                if (cancel) {
                    request.put(partition(move), Optional.empty());
                } else {
                    int eq = move.lastIndexOf('=');
                    if (eq < 0) {
                        throw usage("'" + move + "' is not <topic>:<partition>=<broker>,<broker>,...");
                    }
                    request.put(
                            partition(move.substring(0, eq)),
                            Optional.of(new NewPartitionReassignment(brokers(move.substring(eq + 1)))));
                }
            }
            int failed = 0;
            try (Admin admin = clients().admin()) {
                var results = admin.alterPartitionReassignments(request).values();
                for (var e : request.entrySet()) {
                    TopicPartition tp = e.getKey();
                    try {
                        results.get(tp).get();
                        out().println(e.getValue()
                                .map(r -> "Moving " + name(tp) + " to " + r.targetReplicas())
                                .orElse("Cancelled the move of " + name(tp)));
                    } catch (ExecutionException ex) {
                        failed++;
                        err().println(name(tp) + ": " + ex.getCause().getMessage());
                    }
                }
            }
            return failed == 0 ? HeraldCli.EXIT_OK : HeraldCli.EXIT_ERROR;
        }

        private List<Integer> brokers(String text) {
            try {
                List<Integer> ids = Arrays.stream(text.split(","))
                        .map(String::trim)
                        .map(Integer::parseInt)
                        .toList();
                if (ids.isEmpty() || Set.copyOf(ids).size() != ids.size()) {
                    throw usage("'" + text + "' must name each broker once");
                }
                return ids;
            } catch (NumberFormatException e) {
                throw usage("'" + text + "' is not a list of broker ids");
            }
        }

        private TopicPartition partition(String text) {
            return PartitionsCommand.partition(this, text);
        }
    }

    @Command(
            name = "reassignments",
            description = "Lists the moves in progress: each partition with its replicas and those being added and"
                    + " removed.",
            mixinStandardHelpOptions = true)
    static final class Reassignments extends CliCommand {

        @Override
        int run() throws Exception {
            try (Admin admin = clients().admin()) {
                Map<TopicPartition, PartitionReassignment> moving =
                        admin.listPartitionReassignments().reassignments().get();
                Table table = new Table("TOPIC", "PARTITION", "REPLICAS", "ADDING", "REMOVING");
                moving.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey(
                                Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition)))
                        .forEach(e -> table.row(
                                e.getKey().topic(),
                                e.getKey().partition(),
                                ids(e.getValue().replicas()),
                                ids(e.getValue().addingReplicas()),
                                ids(e.getValue().removingReplicas())));
                if (moving.isEmpty()) {
                    out().println("No partition is being moved.");
                } else {
                    table.print(out());
                }
            }
            return HeraldCli.EXIT_OK;
        }

        private static String ids(List<Integer> ids) {
            return ids.isEmpty()
                    ? "-"
                    : ids.stream()
                            .map(String::valueOf)
                            .reduce((a, b) -> a + "," + b)
                            .orElseThrow();
        }
    }

    @Command(
            name = "elect-leaders",
            description = "Makes each partition's preferred replica (its first) its leader, or with --unclean elects"
                    + " a replica outside the in-sync set for partitions without a leader (may lose records).",
            mixinStandardHelpOptions = true)
    static final class ElectLeaders extends CliCommand {

        @Parameters(arity = "0..*", paramLabel = "PARTITION", description = "<topic>:<partition>; none: every one")
        List<String> partitions = new ArrayList<>();

        @Option(names = "--unclean", description = "Unclean election instead of preferred.")
        boolean unclean;

        @Override
        int run() throws Exception {
            Set<TopicPartition> which = partitions.isEmpty()
                    ? null
                    : Set.copyOf(
                            partitions.stream().map(p -> partition(this, p)).toList());
            int failed = 0;
            try (Admin admin = clients().admin()) {
                var results = admin.electLeaders(unclean ? ElectionType.UNCLEAN : ElectionType.PREFERRED, which)
                        .partitions()
                        .get();
                List<TopicPartition> sorted = results.keySet().stream()
                        .sorted(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition))
                        .toList();
                for (TopicPartition tp : sorted) {
                    Optional<Throwable> error = results.get(tp);
                    if (error.isEmpty()) {
                        out().println(name(tp) + ": leader elected");
                    } else if (error.get() instanceof ElectionNotNeededException) {
                        out().println(name(tp) + ": already led by its " + (unclean ? "leader" : "preferred replica"));
                    } else {
                        failed++;
                        err().println(name(tp) + ": " + error.get().getMessage());
                    }
                }
            }
            return failed == 0 ? HeraldCli.EXIT_OK : HeraldCli.EXIT_ERROR;
        }
    }

    static TopicPartition partition(CliCommand command, String text) {
        int colon = text.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            return new TopicPartition(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw command.usage("'" + text + "' is not <topic>:<partition>");
        }
    }

    static String name(TopicPartition tp) {
        return tp.topic() + ":" + tp.partition();
    }
}
