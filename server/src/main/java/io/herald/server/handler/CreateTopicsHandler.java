package io.herald.server.handler;

import io.herald.security.acl.AclAuthorizer;
import io.herald.server.config.ConfigDescriber;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.metadata.TopicManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;

/**
 * CreateTopics (key 19): validates and creates each topic, answering per topic; {@code validateOnly} checks without
 * creating. Explicit replica assignments are refused (a single broker places every replica itself).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequestData> {

    private final TopicManager topics;
    private final int defaultPartitions;
    private final int defaultReplicationFactor;
    private final ConfigDescriber configs;

    public CreateTopicsHandler(
            TopicManager topics, int defaultPartitions, int defaultReplicationFactor, ConfigDescriber configs) {
        this.topics = topics;
        this.defaultPartitions = defaultPartitions;
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.configs = configs;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public short maxVersion() {
        return 7;
    }

    @Override
    public CompletableFuture<CreateTopicsResponseData> handle(RequestContext context, CreateTopicsRequestData request) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatableTopic t : request.topics()) {
            if (!seen.add(t.name())) {
                duplicates.add(t.name());
            }
        }
        for (CreatableTopic t : request.topics()) {
            CreatableTopicResult result = new CreatableTopicResult().setName(t.name());
            try {
                if (duplicates.contains(t.name())) {
                    throw new InvalidRequestException("Topic " + t.name() + " appears more than once in the request");
                }
                if (!context.visible(AclOperation.CREATE, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME)) {
                    context.requireTopic(AclOperation.CREATE, t.name());
                }
                if (!t.assignments().isEmpty()) {
                    throw new InvalidRequestException("Explicit replica assignments are not supported yet");
                }
                int partitions = t.numPartitions() == -1 ? defaultPartitions : t.numPartitions();
                int replication = t.replicationFactor() == -1 ? defaultReplicationFactor : t.replicationFactor();
                Map<String, String> configs = new HashMap<>();
                t.configs().forEach(c -> configs.put(c.name(), c.value()));
                if (request.validateOnly()) {
                    topics.validateCreate(t.name(), partitions, replication, configs);
                    result.setNumPartitions(partitions).setReplicationFactor((short) replication);
                } else {
                    TopicInfo created = topics.create(t.name(), partitions, replication, configs);
                    result.setTopicId(created.id()).setNumPartitions(partitions).setReplicationFactor((short)
                            replication);
                    if (context.version() >= 5) {
                        result.setConfigs(configsOf(created));
                    }
                }
            } catch (Exception e) {
                result.setErrorCode(ErrorMapper.toError(e).code()).setErrorMessage(ErrorMapper.message(e));
                result.setNumPartitions(-1).setReplicationFactor((short) -1);
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private List<CreatableTopicConfigs> configsOf(TopicInfo topic) {
        List<CreatableTopicConfigs> list = new ArrayList<>();
        for (ConfigDescriber.Described d : configs.topic(topic, null)) {
            list.add(new CreatableTopicConfigs()
                    .setName(d.name())
                    .setValue(d.value())
                    .setReadOnly(d.readOnly())
                    .setConfigSource(d.source().id())
                    .setIsSensitive(d.sensitive()));
        }
        return list;
    }
}
