package io.herald.server.handler;

import io.herald.server.config.ConfigUpdater;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * AlterConfigs (key 33), the legacy form that librdkafka-based tools still send: the configs given replace all of the
 * resource's overrides (those not named are removed), with the same validation, atomicity and persistence as
 * IncrementalAlterConfigs. The Java Admin client of Kafka 4 no longer sends it.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequestData> {

    private final ConfigUpdater updater;

    public AlterConfigsHandler(ConfigUpdater updater) {
        this.updater = updater;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<AlterConfigsResponseData> handle(RequestContext context, AlterConfigsRequestData request) {
        Map<List<Object>, Integer> counts = new HashMap<>();
        request.resources().forEach(r -> counts.merge(List.of(r.resourceType(), r.resourceName()), 1, Integer::sum));
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        for (AlterConfigsResource resource : request.resources()) {
            AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            try {
                if (counts.get(List.of(resource.resourceType(), resource.resourceName())) > 1) {
                    throw new InvalidRequestException(
                            "Resource " + resource.resourceName() + " appears more than once in the request");
                }
                ConfigAccess.require(
                        context, resource.resourceType(), resource.resourceName(), AclOperation.ALTER_CONFIGS);
                replace(resource, request.validateOnly());
            } catch (Exception e) {
                result.setErrorCode(ErrorMapper.toError(e).code()).setErrorMessage(ErrorMapper.message(e));
            }
            response.responses().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private void replace(AlterConfigsResource resource, boolean validateOnly) throws Exception {
        Map<String, String> configs = new LinkedHashMap<>();
        for (AlterableConfig c : resource.configs()) {
            if (configs.containsKey(c.name())) {
                throw new InvalidRequestException("Config " + c.name() + " appears more than once in the request");
            }
            configs.put(c.name(), c.value());
        }
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        switch (type) {
            case TOPIC -> updater.replaceTopic(resource.resourceName(), configs, validateOnly);
            case BROKER -> updater.replaceBroker(resource.resourceName(), configs, validateOnly);
            default ->
                throw new InvalidRequestException("Herald does not alter configs of resource type " + type + " ("
                        + resource.resourceType() + ")");
        }
    }
}
