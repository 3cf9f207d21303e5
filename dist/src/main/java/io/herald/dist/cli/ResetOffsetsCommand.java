package io.herald.dist.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald groups reset-offsets GROUP}: computes new committed offsets for a group's partitions and, with
 * {@code --execute}, commits them. A dry run (the default) only prints the plan. As with Kafka, offsets can only be
 * reset while the group has no active member, and a target outside a partition's range is clamped to it.
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "reset-offsets",
        description = "Moves a group's committed offsets: prints the plan (default: --dry-run), or applies it with "
                + "--execute while the group has no active member.",
        mixinStandardHelpOptions = true)
final class ResetOffsetsCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group.")
    String group;

    @Option(
            names = {"-t", "--topic"},
            paramLabel = "TOPIC[:P,P...]",
            description = "A topic, or some of its partitions (repeatable).")
    List<String> topics = new ArrayList<>();

    @Option(names = "--all-topics", description = "Every partition the group has a committed offset for.")
    boolean allTopics;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    /** Where the offsets go; exactly one. */
    static final class Target {
        @Option(names = "--to-earliest", required = true, description = "The oldest record of each partition.")
        boolean earliest;

        @Option(names = "--to-latest", required = true, description = "The end of each partition (skip everything).")
        boolean latest;

        @Option(
                names = "--to-offset",
                required = true,
                paramLabel = "N",
                description = "Offset N in each partition (clamped to its range).")
        Long offset;

        @Option(
                names = "--to-datetime",
                required = true,
                paramLabel = "TIME",
                description = "The first record at or after TIME: 2026-01-31T12:00:00[.sss][Z|+01:00] (local time "
                        + "without a zone), a date, or milliseconds since the epoch.")
        String datetime;
    }

    /** Dry run (default) or execute. */
    static final class Mode {
        @Option(names = "--dry-run", description = "Only print the new offsets (the default).")
        boolean dryRun;

        @Option(names = "--execute", description = "Commit the new offsets.")
        boolean execute;
    }

    @Override
    int run() throws Exception {
        if (allTopics == !topics.isEmpty()) {
            throw usage("Give either --topic (repeatable) or --all-topics");
        }
        long timestamp;
        try {
            timestamp = target.datetime == null ? -1 : parseTime(target.datetime);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try (Admin admin = clients().admin()) {
            Set<TopicPartition> partitions = partitions(admin);
            if (partitions.isEmpty()) {
                throw new CliException("Group " + group + " has no committed offsets; name topics with --topic");
            }
            Map<TopicPartition, Long> planned = plan(admin, partitions, timestamp);
            Table table = new Table("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
            planned.forEach((tp, o) -> table.row(group, tp.topic(), tp.partition(), o));
            table.print(out());
            if (!mode.execute) {
                out().flush();
                err().println("Dry run: nothing changed. Add --execute to commit these offsets.");
                return HeraldCli.EXIT_OK;
            }
            requireInactive(admin);
            admin.alterConsumerGroupOffsets(group, GroupsCommand.toCommit(planned))
                    .all()
                    .get();
            out().println("Reset the offsets of group " + group + " for " + planned.size() + " partition"
                    + (planned.size() == 1 ? "." : "s."));
        }
        return HeraldCli.EXIT_OK;
    }

    private Set<TopicPartition> partitions(Admin admin) throws InterruptedException, ExecutionException {
        Set<TopicPartition> result = new TreeSet<>(GroupsCommand.BY_TOPIC_AND_PARTITION);
        if (allTopics) {
            result.addAll(GroupsCommand.committed(admin, group).keySet());
            return result;
        }
        for (String spec : topics) {
            int colon = spec.indexOf(':');
            String topic = colon < 0 ? spec : spec.substring(0, colon);
            TopicDescription d = TopicsCommand.get(
                    topic,
                    admin.describeTopics(TopicCollection.ofTopicNames(List.of(topic)))
                            .topicNameValues()
                            .get(topic));
            if (colon < 0) {
                d.partitions().forEach(p -> result.add(new TopicPartition(topic, p.partition())));
                continue;
            }
            for (String p : spec.substring(colon + 1).split(",")) {
                int n;
                try {
                    n = Integer.parseInt(p.trim());
                } catch (NumberFormatException e) {
                    throw usage("Not a partition number in --topic " + spec + ": " + p);
                }
                if (n < 0 || n >= d.partitions().size()) {
                    throw new CliException("Topic " + topic + " has no partition " + n + " (it has "
                            + d.partitions().size() + ").");
                }
                result.add(new TopicPartition(topic, n));
            }
        }
        return result;
    }

    private Map<TopicPartition, Long> plan(Admin admin, Set<TopicPartition> partitions, long timestamp)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> earliest = GroupsCommand.offsets(admin, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = GroupsCommand.offsets(admin, partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> byTime =
                timestamp < 0 ? Map.of() : GroupsCommand.offsets(admin, partitions, OffsetSpec.forTimestamp(timestamp));
        Map<TopicPartition, Long> result = new TreeMap<>(GroupsCommand.BY_TOPIC_AND_PARTITION);
        for (TopicPartition tp : partitions) {
            long low = earliest.get(tp);
            long high = latest.get(tp);
            long offset;
            if (target.earliest) {
                offset = low;
            } else if (target.latest) {
                offset = high;
            } else if (target.offset != null) {
                offset = Math.max(low, Math.min(high, target.offset));
                if (offset != target.offset) {
                    err().println("Offset " + target.offset + " is outside " + tp + " [" + low + ", " + high
                            + "]; using " + offset);
                }
            } else {
                long found = byTime.getOrDefault(tp, -1L);
                offset = found < 0 ? high : found; // no record at or after the time: the end
            }
            result.put(tp, offset);
        }
        return result;
    }

    private void requireInactive(Admin admin) throws InterruptedException, ExecutionException {
        ConsumerGroupDescription d;
        try {
            d = GroupsCommand.describe(admin, group);
        } catch (CliException doesNotExist) {
            return; // a new group: the offsets create it
        }
        GroupState state = d.groupState();
        if (!d.members().isEmpty() || (state != GroupState.EMPTY && state != GroupState.DEAD)) {
            throw new CliException("Offsets can only be reset while group " + group + " has no active member; it has "
                    + d.members().size() + " (state " + state + "). Stop its consumers first.");
        }
    }

    /**
     * Milliseconds since the epoch of a --to-datetime argument.
     *
     * @throws IllegalArgumentException if the text is none of the accepted forms
     */
    static long parseTime(String text) {
        String t = text.trim();
        if (t.matches("\\d+")) {
            return Long.parseLong(t);
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException notWithOffset) {
            // try the forms without a zone
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            // try the local forms
        }
        try {
            return LocalDateTime.parse(t)
                    .atZone(ZoneId.systemDefault())
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException notLocal) {
            // try a date
        }
        try {
            return LocalDate.parse(t)
                    .atStartOfDay(ZoneId.systemDefault())
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--to-datetime: cannot read '" + text
                    + "'; use 2026-01-31T12:00:00, 2026-01-31T12:00:00Z, 2026-01-31 or epoch milliseconds");
        }
    }
}
