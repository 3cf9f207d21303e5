package io.herald.server.handler;

import io.herald.server.config.ConfigDescriber;
import io.herald.server.config.ConfigDescriber.Described;
import io.herald.server.config.DynamicBrokerConfig;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.ShareGroupConfigs;
import io.herald.server.share.SharePartitionManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * DescribeConfigs (key 32): the configuration of topics and of this broker, each key with its value in force, its
 * source, whether it is read-only or sensitive, and on request its synonyms (v1+) and documentation and type (v3+); see
 * {@link ConfigDescriber}. The broker resource {@code ""} describes the cluster-wide dynamic defaults that are set, as
 * Kafka does. A group resource describes every group config key ({@link ShareGroupConfigs}): those set on the group
 * ({@code GROUP_CONFIG}) and the others with the value in force ({@code DEFAULT_CONFIG}), as Kafka does, whether or
 * not the group exists. Other resource types (broker loggers, client metrics) get {@code INVALID_REQUEST}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequestData> {

    private final MetadataStore metadata;
    private final DynamicBrokerConfig broker;
    private final ConfigDescriber describer;
    private final SharePartitionManager shares;

    public DescribeConfigsHandler(MetadataStore metadata, DynamicBrokerConfig broker, SharePartitionManager shares) {
        this.metadata = metadata;
        this.broker = broker;
        this.shares = shares;
        this.describer = new ConfigDescriber(broker);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<DescribeConfigsResponseData> handle(
            RequestContext context, DescribeConfigsRequestData request) {
        short version = context.version();
        List<CompletableFuture<DescribeConfigsResult>> results = new ArrayList<>();
        for (DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            CompletableFuture<List<Described>> described;
            try {
                ConfigAccess.require(
                        context, resource.resourceType(), resource.resourceName(), AclOperation.DESCRIBE_CONFIGS);
                described = describe(resource);
            } catch (Exception e) {
                described = CompletableFuture.failedFuture(e);
            }
            results.add(described.handle((found, e) -> {
                if (e == null) {
                    found.forEach(d -> result.configs().add(entry(d, request, version)));
                } else {
                    result.setErrorCode(ErrorMapper.toError(e).code()).setErrorMessage(ErrorMapper.message(e));
                }
                return result;
            }));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    DescribeConfigsResponseData response = new DescribeConfigsResponseData();
                    results.forEach(r -> response.results().add(r.join()));
                    return response;
                });
    }

    /**
     * The configs of {@code resource}; those of a group once read from the state topic (in a cluster, maybe from
     * another broker), which the future waits for without holding this thread.
     */
    private CompletableFuture<List<Described>> describe(DescribeConfigsResource resource) {
        List<String> keys = resource.configurationKeys();
        String name = resource.resourceName();
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        switch (type) {
            case TOPIC -> {
                TopicInfo topic = metadata.topic(name)
                        .orElseThrow(
                                () -> new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist."));
                return CompletableFuture.completedFuture(describer.topic(topic, keys));
            }
            case BROKER -> {
                String scope = broker.scopeOf(name);
                return CompletableFuture.completedFuture(
                        scope.equals(DynamicBrokerConfig.CLUSTER_DEFAULT)
                                ? describer.clusterDefaults(keys)
                                : describer.broker(keys));
            }
            case GROUP -> {
                if (name == null || name.isEmpty()) {
                    throw new InvalidRequestException("A group resource needs a group id");
                }
                return shares.currentGroupConfigs(name)
                        .thenApply(configs -> ShareGroupConfigs.describe(shares.config(), configs, keys));
            }
            default ->
                throw new InvalidRequestException("Herald does not describe configs of resource type " + type + " ("
                        + resource.resourceType() + ")");
        }
    }

    private static DescribeConfigsResourceResult entry(Described d, DescribeConfigsRequestData request, short version) {
        DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult()
                .setName(d.name())
                .setValue(d.value())
                .setReadOnly(d.readOnly())
                .setConfigSource(d.source().id())
                .setIsSensitive(d.sensitive());
        if (request.includeSynonyms()) {
            d.synonyms()
                    .forEach(s -> entry.synonyms()
                            .add(new DescribeConfigsSynonym()
                                    .setName(s.name())
                                    .setValue(s.value())
                                    .setSource(s.source().id())));
        }
        if (version >= 3) {
            entry.setConfigType(d.type().id());
            if (request.includeDocumentation()) {
                entry.setDocumentation(d.documentation());
            }
        }
        return entry;
    }
}
