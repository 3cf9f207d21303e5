package io.herald.dist.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald groups list|describe|reset-offsets|delete}: consumer groups, through kafka-clients' {@link Admin}.
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "groups",
        description = "Lists, describes and deletes consumer groups, and resets their offsets.",
        mixinStandardHelpOptions = true,
        subcommands = {
            GroupsCommand.ListGroups.class,
            GroupsCommand.Describe.class,
            ResetOffsetsCommand.class,
            GroupsCommand.Delete.class
        })
final class GroupsCommand extends CliCommand.Group {

    /** The group's description; "does not exist" for a group the broker does not know. */
    static ConsumerGroupDescription describe(Admin admin, String group)
            throws InterruptedException, ExecutionException {
        try {
            return admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                throw new CliException("Group " + group + " does not exist.", e.getCause());
            }
            throw e;
        }
    }

    /** The committed offsets of {@code group}; partitions without one are left out. */
    static Map<TopicPartition, Long> committed(Admin admin, String group)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> result = new HashMap<>();
        admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .forEach((tp, om) -> {
                    if (om != null) {
                        result.put(tp, om.offset());
                    }
                });
        return result;
    }

    /** The offsets {@code spec} selects, per partition. */
    static Map<TopicPartition, Long> offsets(Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResultInfo> infos =
                admin.listOffsets(request).all().get();
        Map<TopicPartition, Long> result = new HashMap<>();
        infos.forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    @Command(
            name = "list",
            description = "Lists the groups with their type and state.",
            mixinStandardHelpOptions = true)
    static final class ListGroups extends CliCommand {

        @Override
        int run() throws Exception {
            try (Admin admin = clients().admin()) {
                Collection<GroupListing> groups = admin.listGroups().all().get();
                Table table = new Table("GROUP", "TYPE", "STATE");
                groups.stream()
                        .sorted(Comparator.comparing(GroupListing::groupId))
                        .forEach(g -> table.row(
                                g.groupId(),
                                g.type()
                                        .map(t -> t.toString().toLowerCase(java.util.Locale.ROOT))
                                        .orElse("-"),
                                g.groupState().map(GroupState::toString).orElse("-")));
                if (table.size() > 0) {
                    table.print(out());
                }
            }
            return HeraldCli.EXIT_OK;
        }
    }

    @Command(
            name = "describe",
            description = "Shows a group's state, members, committed offsets and lag per partition.",
            mixinStandardHelpOptions = true)
    static final class Describe extends CliCommand {

        @Parameters(paramLabel = "GROUP", arity = "1..*", description = "Groups to describe.")
        List<String> groups = new ArrayList<>();

        @Option(names = "--members", description = "Also list the members and their assigned partitions.")
        boolean members;

        @Override
        int run() throws Exception {
            try (Admin admin = clients().admin()) {
                for (String group : groups) {
                    describeOne(admin, group);
                }
            }
            return HeraldCli.EXIT_OK;
        }

        private void describeOne(Admin admin, String group) throws InterruptedException, ExecutionException {
            ConsumerGroupDescription d = describe(admin, group);
            Map<TopicPartition, Long> committed = committed(admin, group);
            if (d.groupState() == GroupState.DEAD && d.members().isEmpty() && committed.isEmpty()) {
                throw new CliException("Group " + group + " does not exist.");
            }
            Map<TopicPartition, MemberDescription> owners = new HashMap<>();
            for (MemberDescription m : d.members()) {
                m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m));
            }
            Set<TopicPartition> partitions = new TreeSet<>(BY_TOPIC_AND_PARTITION);
            partitions.addAll(committed.keySet());
            partitions.addAll(owners.keySet());
            Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());

            out().println("Group " + group + ": state " + d.groupState() + ", "
                    + d.members().size() + " member"
                    + (d.members().size() == 1 ? "" : "s") + ", type " + d.type() + ", coordinator "
                    + (d.coordinator() == null ? "unknown" : d.coordinator().id()));
            Table table = new Table(
                    "GROUP",
                    "TOPIC",
                    "PARTITION",
                    "CURRENT-OFFSET",
                    "LOG-END-OFFSET",
                    "LAG",
                    "CONSUMER-ID",
                    "HOST",
                    "CLIENT-ID");
            for (TopicPartition tp : partitions) {
                Long current = committed.get(tp);
                Long end = ends.get(tp);
                MemberDescription owner = owners.get(tp);
                table.row(
                        group,
                        tp.topic(),
                        tp.partition(),
                        current == null ? "-" : current,
                        end == null ? "-" : end,
                        current == null || end == null ? "-" : Math.max(0, end - current),
                        owner == null ? "-" : owner.consumerId(),
                        owner == null ? "-" : owner.host(),
                        owner == null ? "-" : owner.clientId());
            }
            table.print(out());
            if (members) {
                out().println();
                Table memberTable =
                        new Table("CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT");
                for (MemberDescription m : d.members()) {
                    memberTable.row(
                            m.consumerId(),
                            m.groupInstanceId().orElse("-"),
                            m.host(),
                            m.clientId(),
                            m.assignment().topicPartitions().size(),
                            m.assignment().topicPartitions().stream()
                                    .sorted(BY_TOPIC_AND_PARTITION)
                                    .map(TopicPartition::toString)
                                    .collect(Collectors.joining(",")));
                }
                memberTable.print(out());
            }
        }
    }

    @Command(
            name = "delete",
            description = "Deletes groups that have no active members, with their committed offsets.",
            mixinStandardHelpOptions = true)
    static final class Delete extends CliCommand {

        @Parameters(paramLabel = "GROUP", arity = "1..*", description = "Groups to delete.")
        List<String> groups = new ArrayList<>();

        @Override
        int run() throws Exception {
            try (Admin admin = clients().admin()) {
                Map<String, KafkaFuture<Void>> results =
                        admin.deleteConsumerGroups(groups).deletedGroups();
                for (String group : groups) {
                    try {
                        results.get(group).get();
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof GroupIdNotFoundException) {
                            throw new CliException("Group " + group + " does not exist.", e.getCause());
                        }
                        throw e;
                    }
                    out().println("Deleted group " + group + ".");
                }
            }
            return HeraldCli.EXIT_OK;
        }
    }

    /** Offsets to commit for a reset, as kafka-clients takes them. */
    static Map<TopicPartition, OffsetAndMetadata> toCommit(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        offsets.forEach((tp, o) -> result.put(tp, new OffsetAndMetadata(o)));
        return result;
    }
}
