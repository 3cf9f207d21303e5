package io.herald.server.handler;

import io.herald.security.acl.AclAuthorizer;
import io.herald.server.cluster.ClusterView;
import io.herald.server.cluster.PartitionState;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TemporaryTopics;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.metadata.TopicManager;
import io.herald.server.partition.PartitionManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Metadata (key 3): the live brokers, the controller, and topics with each partition's leader, leader epoch, replicas,
 * ISR and offline replicas, from the cluster image this broker applied last. A topic a client
 * asks for that does not exist is created when the client allows it and {@code auto.create.topics.enable} is on,
 * unless it is the topic of a JMS temporary destination ({@link TemporaryTopics}), which only CreateTopics creates.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequestData> {

    private final MetadataStore metadata;
    private final TopicManager topics;
    private final PartitionManager partitions;
    private final ClusterView cluster;
    private final boolean autoCreate;
    private final int defaultPartitions;
    private final int defaultReplicationFactor;

    public MetadataHandler(
            TopicManager topics,
            PartitionManager partitions,
            ClusterView cluster,
            boolean autoCreate,
            int defaultPartitions,
            int defaultReplicationFactor) {
        this.metadata = topics.metadata();
        this.topics = topics;
        this.partitions = partitions;
        this.cluster = cluster;
        this.autoCreate = autoCreate;
        this.defaultPartitions = defaultPartitions;
        this.defaultReplicationFactor = defaultReplicationFactor;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public short maxVersion() {
        return 13;
    }

    @Override
    public CompletableFuture<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
        MetadataResponseData response =
                new MetadataResponseData().setClusterId(cluster.clusterId()).setControllerId(cluster.controllerId());
        for (BrokerNode b : cluster.liveBrokers()) {
            b.endpoint(context.listener())
                    .ifPresent(e -> response.brokers()
                            .add(new MetadataResponseBroker()
                                    .setNodeId(b.id())
                                    .setHost(e.host())
                                    .setPort(e.port())
                                    .setRack(b.rack())));
        }
        if (request.topics() == null) {
            for (TopicInfo t : metadata.topics()) {
                if (context.visible(AclOperation.DESCRIBE, ResourceType.TOPIC, t.name())) {
                    response.topics().add(describe(t));
                }
            }
        } else {
            boolean allowCreate = autoCreate && (context.version() < 4 || request.allowAutoTopicCreation());
            for (MetadataRequestData.MetadataRequestTopic requested : request.topics()) {
                response.topics().add(lookup(context, requested, allowCreate, context.version()));
            }
        }
        if (request.includeTopicAuthorizedOperations()) {
            response.topics().stream()
                    .filter(t -> t.errorCode() == Errors.NONE.code())
                    .forEach(t ->
                            t.setTopicAuthorizedOperations(context.authorizedOperations(ResourceType.TOPIC, t.name())));
        }
        if (context.version() >= 8 && context.version() <= 10 && request.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(
                    context.authorizedOperations(ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME));
        }
        return CompletableFuture.completedFuture(response);
    }

    private MetadataResponseTopic lookup(
            RequestContext context,
            MetadataRequestData.MetadataRequestTopic requested,
            boolean allowCreate,
            short version) {
        Uuid id = requested.topicId();
        boolean byId = id != null && !id.equals(Uuid.ZERO_UUID);
        // A request by id (v10+) carries the id and an empty or null name: the id decides, as in Kafka.
        String name = byId || requested.name() == null || requested.name().isEmpty() ? null : requested.name();
        if (byId) {
            Optional<TopicInfo> topic = metadata.topic(id);
            if (topic.isEmpty()) {
                return new MetadataResponseTopic()
                        .setName(version >= 12 ? null : "") // nullable from v12
                        .setTopicId(id)
                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
            }
            if (!context.authorized(
                    AclOperation.DESCRIBE, ResourceType.TOPIC, topic.get().name())) {
                return new MetadataResponseTopic()
                        .setName(version >= 12 ? null : "")
                        .setTopicId(id)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            }
            return describe(topic.get());
        }
        if (name != null && !context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
            return new MetadataResponseTopic()
                    .setName(name)
                    .setTopicId(Uuid.ZERO_UUID)
                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        Optional<TopicInfo> found = name != null ? metadata.topic(name) : Optional.empty();
        if (found.isEmpty()
                && name != null
                && allowCreate
                && !context.visible(AclOperation.CREATE, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME)
                && !context.authorized(AclOperation.CREATE, ResourceType.TOPIC, name)) {
            return new MetadataResponseTopic()
                    .setName(name)
                    .setTopicId(Uuid.ZERO_UUID)
                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        // Internal topics (__consumer_offsets) are created by the broker itself, with their own configuration; a
        // temporary destination's topic only by its connection.
        if (found.isEmpty()
                && name != null
                && allowCreate
                && !name.startsWith("__")
                && !TemporaryTopics.isTemporary(name)) {
            try {
                found = Optional.of(topics.create(
                        name, defaultPartitions, Math.min(defaultReplicationFactor, topics.brokerCount()), Map.of()));
            } catch (TopicExistsException e) {
                found = metadata.topic(name);
            } catch (IOException | RuntimeException e) {
                return new MetadataResponseTopic()
                        .setName(name)
                        .setTopicId(Uuid.ZERO_UUID)
                        .setErrorCode(ErrorMapper.toError(e).code());
            }
        }
        if (found.isEmpty()) {
            boolean gone = name != null && TemporaryTopics.gone(metadata, name);
            return new MetadataResponseTopic()
                    .setName(name)
                    .setTopicId(id == null ? Uuid.ZERO_UUID : id)
                    .setErrorCode(
                            gone ? Errors.INVALID_TOPIC_EXCEPTION.code() : Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        return describe(found.get());
    }

    private MetadataResponseTopic describe(TopicInfo t) {
        MetadataResponseTopic topic =
                new MetadataResponseTopic().setName(t.name()).setTopicId(t.id()).setIsInternal(t.isInternal());
        List<MetadataResponsePartition> list = new ArrayList<>();
        for (int p = 0; p < t.partitions(); p++) {
            MetadataResponsePartition partition = new MetadataResponsePartition().setPartitionIndex(p);
            Optional<PartitionState> state = cluster.partition(t.name(), p);
            if (state.isEmpty()) {
                partition.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code()).setLeaderId(-1);
                list.add(partition);
                continue;
            }
            PartitionState s = state.get();
            boolean leaderLive = s.hasLeader() && cluster.isLive(s.leader());
            partition
                    .setLeaderId(leaderLive ? s.leader() : -1)
                    .setLeaderEpoch(s.leaderEpoch())
                    .setReplicaNodes(s.replicas())
                    .setIsrNodes(s.isr())
                    .setOfflineReplicas(s.replicas().stream()
                            .filter(r -> !cluster.isLive(r))
                            .toList());
            if (!leaderLive) {
                partition.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code());
            }
            list.add(partition);
        }
        topic.setPartitions(list);
        return topic;
    }
}
