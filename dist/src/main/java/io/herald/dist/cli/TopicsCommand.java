package io.herald.dist.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald topics create|list|describe|alter|delete}, through kafka-clients' {@link Admin}.
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "topics",
        description = "Creates, lists, describes, alters and deletes topics.",
        mixinStandardHelpOptions = true,
        subcommands = {
            TopicsCommand.Create.class,
            TopicsCommand.ListTopics.class,
            TopicsCommand.Describe.class,
            TopicsCommand.Alter.class,
            TopicsCommand.Delete.class
        })
final class TopicsCommand extends CliCommand.Group {

    /** The value of a per-topic future, with "does not exist" instead of the protocol's wording for a missing topic. */
    static <T> T get(String topic, KafkaFuture<T> future) throws InterruptedException, ExecutionException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw missingTopic(topic, e);
        }
    }

    static ExecutionException missingTopic(String topic, ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
            throw new CliException("Topic " + topic + " does not exist.", e.getCause());
        }
        return e;
    }

    @Command(name = "create", description = "Creates a topic.", mixinStandardHelpOptions = true)
    static final class Create extends CliCommand {

        @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic's name.")
        String topic;

        @Option(
                names = {"-p", "--partitions"},
                paramLabel = "N",
                description = "Number of partitions (default: the broker's num.partitions).")
        Integer partitions;

        @Option(
                names = {"-r", "--replication-factor"},
                paramLabel = "N",
                description = "Replicas of each partition (default: the broker's default.replication.factor).")
        Short replicationFactor;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "KEY=VALUE",
                description = "A topic setting, e.g. cleanup.policy=compact (repeatable).")
        Map<String, String> configs = new LinkedHashMap<>();

        @Option(names = "--if-not-exists", description = "Succeed if the topic exists already.")
        boolean ifNotExists;

        @Override
        int run() throws Exception {
            NewTopic newTopic = new NewTopic(
                            topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                    .configs(configs);
            try (Admin admin = clients().admin()) {
                admin.createTopics(List.of(newTopic)).all().get();
                out().println("Created topic " + topic + ".");
            } catch (ExecutionException e) {
                if (ifNotExists && e.getCause() instanceof TopicExistsException) {
                    out().println("Topic " + topic + " exists already.");
                    return HeraldCli.EXIT_OK;
                }
                throw e;
            }
            return HeraldCli.EXIT_OK;
        }
    }

    @Command(name = "list", description = "Lists the topics' names, one a line.", mixinStandardHelpOptions = true)
    static final class ListTopics extends CliCommand {

        @Option(names = "--internal", description = "Include internal topics.")
        boolean internal;

        @Override
        int run() throws Exception {
            try (Admin admin = clients().admin()) {
                admin.listTopics(new ListTopicsOptions().listInternal(internal)).names().get().stream()
                        .sorted()
                        .forEach(out()::println);
            }
            return HeraldCli.EXIT_OK;
        }
    }

    @Command(
            name = "describe",
            description = "Describes topics (all without names): partitions, leaders, replicas, in-sync replicas and "
                    + "the settings that differ from the broker's defaults. A partition whose in-sync replicas are "
                    + "fewer than its replicas is marked (under-replicated), one without a live leader (offline).",
            mixinStandardHelpOptions = true)
    static final class Describe extends CliCommand {

        @Parameters(paramLabel = "TOPIC", arity = "0..*", description = "Topics to describe (default: all).")
        List<String> topics = new ArrayList<>();

        @Option(
                names = "--under-replicated-partitions",
                description = "Only partitions whose in-sync replicas are fewer than their replicas.")
        boolean underReplicated;

        @Option(names = "--unavailable-partitions", description = "Only partitions without a live leader.")
        boolean unavailable;

        @Override
        int run() throws Exception {
            try (Admin admin = clients().admin()) {
                Collection<String> names =
                        topics.isEmpty() ? admin.listTopics().names().get() : topics;
                Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(
                                TopicCollection.ofTopicNames(names))
                        .topicNameValues();
                Map<String, TopicDescription> descriptions = new TreeMap<>();
                for (String name : names) {
                    descriptions.put(name, get(name, futures.get(name)));
                }
                Map<String, String> configs = overriddenConfigs(admin, descriptions.keySet());
                for (TopicDescription d : descriptions.values()) {
                    print(d, configs.get(d.name()));
                }
            }
            return HeraldCli.EXIT_OK;
        }

        private void print(TopicDescription d, String configs) {
            List<TopicPartitionInfo> partitions = d.partitions();
            int replicationFactor =
                    partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
            out().println("Topic: " + d.name() + "\tTopicId: " + d.topicId() + "\tPartitionCount: " + partitions.size()
                    + "\tReplicationFactor: " + replicationFactor + "\tConfigs: " + configs);
            for (TopicPartitionInfo p : partitions) {
                boolean isUnderReplicated = p.isr().size() < p.replicas().size();
                boolean isUnavailable = p.leader() == null || p.leader().isEmpty();
                if ((underReplicated && !isUnderReplicated) || (unavailable && !isUnavailable)) {
                    continue;
                }
                // Kafka's kafka-topics prints no such mark; the columns before it are Kafka's, so scripts still parse.
                String mark = isUnavailable ? "\t(offline)" : isUnderReplicated ? "\t(under-replicated)" : "";
                out().println("\tTopic: " + d.name() + "\tPartition: " + p.partition() + "\tLeader: "
                        + (isUnavailable ? "none" : p.leader().id()) + "\tReplicas: " + ids(p.replicas())
                        + "\tIsr: " + ids(p.isr()) + mark);
            }
        }

        private static String ids(List<Node> nodes) {
            return nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining(","));
        }

        /** Topic settings set on the topic itself, as Kafka's kafka-topics.sh shows them. */
        private static Map<String, String> overriddenConfigs(Admin admin, Collection<String> topics)
                throws InterruptedException, ExecutionException {
            Map<String, String> result = new LinkedHashMap<>();
            List<ConfigResource> resources = topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                    .toList();
            Map<ConfigResource, Config> configs;
            try {
                configs = admin.describeConfigs(resources).all().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnsupportedVersionException) {
                    topics.forEach(t -> result.put(t, "(the broker does not support DescribeConfigs)"));
                    return result;
                }
                throw e;
            }
            configs.forEach((resource, config) -> result.put(
                    resource.name(),
                    config.entries().stream()
                            .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                            .map(e -> e.name() + "=" + (e.isSensitive() ? "(sensitive)" : e.value()))
                            .sorted()
                            .collect(Collectors.joining(","))));
            return result;
        }
    }

    @Command(
            name = "alter",
            description = "Adds partitions to a topic and changes or removes its settings.",
            mixinStandardHelpOptions = true)
    static final class Alter extends CliCommand {

        @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic's name.")
        String topic;

        @Option(
                names = {"-p", "--partitions"},
                paramLabel = "N",
                description = "The new number of partitions (only more than today).")
        Integer partitions;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "KEY=VALUE",
                description = "Sets a topic setting (repeatable).")
        Map<String, String> set = new LinkedHashMap<>();

        @Option(
                names = "--delete-config",
                paramLabel = "KEY",
                description = "Removes a topic setting, so the broker's default applies again (repeatable).")
        List<String> delete = new ArrayList<>();

        @Override
        int run() throws Exception {
            if (partitions == null && set.isEmpty() && delete.isEmpty()) {
                throw usage("Nothing to alter: give --partitions, --config or --delete-config");
            }
            try (Admin admin = clients().admin()) {
                if (partitions != null) {
                    get(
                            topic,
                            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions)))
                                    .all());
                    out().println("Topic " + topic + " has " + partitions + " partitions now.");
                }
                if (!set.isEmpty() || !delete.isEmpty()) {
                    List<AlterConfigOp> ops = new ArrayList<>();
                    set.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                    delete.forEach(
                            k -> ops.add(new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
                    get(
                            topic,
                            admin.incrementalAlterConfigs(
                                            Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
                                    .all());
                    out().println("Updated the settings of topic " + topic + ".");
                }
            }
            return HeraldCli.EXIT_OK;
        }
    }

    @Command(name = "delete", description = "Deletes topics and their data.", mixinStandardHelpOptions = true)
    static final class Delete extends CliCommand {

        @Parameters(paramLabel = "TOPIC", arity = "1..*", description = "Topics to delete.")
        List<String> topics = new ArrayList<>();

        @Option(names = "--if-exists", description = "Succeed for a topic that does not exist.")
        boolean ifExists;

        @Override
        int run() throws Exception {
            try (Admin admin = clients().admin()) {
                var futures =
                        admin.deleteTopics(TopicCollection.ofTopicNames(topics)).topicNameValues();
                for (String topic : topics) {
                    try {
                        futures.get(topic).get();
                        out().println("Deleted topic " + topic + ".");
                    } catch (ExecutionException e) {
                        if (!(ifExists && e.getCause() instanceof UnknownTopicOrPartitionException)) {
                            throw missingTopic(topic, e);
                        }
                    }
                }
            }
            return HeraldCli.EXIT_OK;
        }
    }
}
