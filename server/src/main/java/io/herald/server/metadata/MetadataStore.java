package io.herald.server.metadata;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The cluster's metadata that must never split: topics with their ids, partition counts and configs, dynamic broker
 * configs, the cluster id. One broker keeps it in a local file ({@link LocalMetadataStore}); a cluster keeps it in
 * Hazelcast's CP subsystem behind this same interface ({@link io.herald.server.cluster.ClusterMetadataStore}).
 *
 * <p>Mutations are validated by the caller and applied atomically; they fail with Kafka's exceptions
 * ({@code TopicExistsException}, {@code UnknownTopicOrPartitionException}) so handlers can answer with their codes.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
public interface MetadataStore {

    String clusterId();

    Collection<TopicInfo> topics();

    Optional<TopicInfo> topic(String name);

    Optional<TopicInfo> topic(Uuid id);

    TopicInfo createTopic(String name, int partitions, Map<String, String> configs) throws IOException;

    /**
     * Creates a topic whose partitions have {@code replicationFactor} replicas each; a store without a cluster has one
     * broker and accepts only 1.
     */
    default TopicInfo createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs)
            throws IOException {
        if (replicationFactor != 1) {
            throw new org.apache.kafka.common.errors.InvalidReplicationFactorException(
                    "Replication factor " + replicationFactor + " needs a cluster; this store has one broker");
        }
        return createTopic(name, partitions, configs);
    }

    void deleteTopic(String name) throws IOException;

    TopicInfo setPartitionCount(String name, int partitions) throws IOException;

    TopicInfo setTopicConfigs(String name, Map<String, String> configs) throws IOException;

    /**
     * Broker configs changed at run time (IncrementalAlterConfigs on a broker resource), as Kafka scopes them.
     *
     * @param broker a node id, or {@code ""} for the cluster-wide default of every broker
     */
    Map<String, String> brokerConfigOverrides(String broker);

    /** Replaces the dynamic broker configs of {@code broker} (a node id, or {@code ""} for the cluster default). */
    void setBrokerConfigOverrides(String broker, Map<String, String> overrides) throws IOException;

    /**
     * The temporary destinations' topics whose deletion this broker applied since it started. Where this broker's view
     * is the store itself (no cluster), every temporary destination's topic it lacks is gone for good; in a cluster
     * the view may lag a creation, so only these are known to be.
     */
    DeletedTemporaryTopics deletedTemporaryTopics();

    /** Whether this view is the store itself, never behind it (one broker without a cluster). */
    boolean authoritative();
}
