package io.herald.server.metadata;

import io.herald.log.LogConfig;
import io.herald.log.TopicPartition;
import io.herald.server.partition.PartitionManager;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topic lifecycle with validation: creation (name, partition count, replication factor, configs), growth,
 * reconfiguration and deletion, applied to the {@link MetadataStore} first and then to the partitions' logs.
 *
 * <p>Thread-safety: thread-safe; mutations are serialised so that metadata and logs change in the same order.
 */
public final class TopicManager {

    private final MetadataStore metadata;
    private final PartitionManager partitions;
    private final LogConfig topicDefaults;
    private final java.util.function.IntSupplier brokerCount;
    private final boolean deleteEnabled;

    public TopicManager(
            MetadataStore metadata,
            PartitionManager partitions,
            LogConfig topicDefaults,
            int brokerCount,
            boolean deleteEnabled) {
        this(metadata, partitions, topicDefaults, () -> brokerCount, deleteEnabled);
    }

    /** @param brokerCount the brokers available for replicas now (the live ones of a cluster) */
    public TopicManager(
            MetadataStore metadata,
            PartitionManager partitions,
            LogConfig topicDefaults,
            java.util.function.IntSupplier brokerCount,
            boolean deleteEnabled) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.topicDefaults = topicDefaults;
        this.brokerCount = brokerCount;
        this.deleteEnabled = deleteEnabled;
    }

    /** Checks a creation without doing it (CreateTopics with validateOnly, and before creating). */
    public void validateCreate(String name, int partitionCount, int replicationFactor, Map<String, String> configs) {
        if (!TopicPartition.isLegalTopicName(name)) {
            throw new InvalidTopicException("Topic name '" + name + "' is illegal: use 1 to 249 characters of"
                    + " [a-zA-Z0-9._-], not '.' or '..'");
        }
        if (partitionCount < 1) {
            throw new InvalidPartitionsException("Number of partitions must be at least 1, was " + partitionCount);
        }
        int brokers = brokerCount.getAsInt();
        if (replicationFactor < 1 || replicationFactor > brokers) {
            throw new InvalidReplicationFactorException("Replication factor " + replicationFactor
                    + " is not within [1, " + brokers + "] (the number of available brokers)");
        }
        TopicConfigs.validate(configs, topicDefaults);
    }

    public synchronized TopicInfo create(
            String name, int partitionCount, int replicationFactor, Map<String, String> configs) throws IOException {
        validateCreate(name, partitionCount, replicationFactor, configs);
        TopicInfo topic = metadata.createTopic(name, partitionCount, replicationFactor, configs);
        partitions.createPartitions(topic, 0);
        return topic;
    }

    public synchronized void delete(String name) throws IOException {
        if (!deleteEnabled) {
            throw new TopicDeletionDisabledException("Topic deletion is disabled (delete.topic.enable=false)");
        }
        TopicInfo topic = existing(name);
        refuseInternal(topic, "deleted");
        metadata.deleteTopic(name);
        partitions.deleteTopic(topic);
    }

    public synchronized TopicInfo addPartitions(String name, int newCount, boolean validateOnly) throws IOException {
        TopicInfo topic = existing(name);
        refuseInternal(topic, "given partitions");
        if (newCount <= topic.partitions()) {
            throw new InvalidPartitionsException("Topic " + name + " has " + topic.partitions()
                    + " partitions; the new count " + newCount + " must be larger");
        }
        if (validateOnly) {
            return topic;
        }
        TopicInfo grown = metadata.setPartitionCount(name, newCount);
        partitions.createPartitions(grown, topic.partitions());
        return grown;
    }

    public synchronized TopicInfo setConfigs(String name, Map<String, String> configs, boolean validateOnly)
            throws IOException {
        TopicInfo topic = existing(name);
        TopicConfigs.validate(configs, topicDefaults);
        if (validateOnly) {
            return topic;
        }
        TopicInfo updated = metadata.setTopicConfigs(name, configs);
        partitions.reconfigure(updated);
        return updated;
    }

    public Optional<TopicInfo> topic(String name) {
        return metadata.topic(name);
    }

    /** Internal topics belong to the broker: their partition count maps groups to coordinators. */
    private static void refuseInternal(TopicInfo topic, String what) {
        if (topic.isInternal()) {
            throw new InvalidTopicException("Internal topic " + topic.name() + " cannot be " + what);
        }
    }

    private TopicInfo existing(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidRequestException("No topic name given");
        }
        return metadata.topic(name)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist."));
    }

    /** The brokers available for replicas now. */
    public int brokerCount() {
        return brokerCount.getAsInt();
    }

    public MetadataStore metadata() {
        return metadata;
    }

    public LogConfig topicDefaults() {
        return topicDefaults;
    }
}
