package io.herald.server.handler;

import io.herald.server.config.ConfigUpdater;
import io.herald.server.group.GroupConfig;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.ShareGroupConfigUpdater;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * IncrementalAlterConfigs (key 44): SET, DELETE, APPEND and SUBTRACT on the configs of topics and of the broker (this
 * broker's own, or the cluster-wide default under the name {@code ""}). Each resource changes all at once or not at
 * all and answers on its own: an unknown key, a read-only broker key or an invalid value gets {@code INVALID_CONFIG}
 * naming the key. Changes are stored in the metadata and take effect at once. See {@link ConfigUpdater}. Share
 * groups' configs ({@code GROUP} resources) go to {@link ShareGroupConfigUpdater}; in a cluster, to that of the group's
 * coordinator ({@link SharePeers}): a group's configs are changed on one broker, which starts from the configs it
 * wrote last, so that two changes through different brokers cannot undo one another.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequestData> {

    private final ConfigUpdater updater;
    private final ShareGroupConfigUpdater groupUpdater;
    private final SharePeers peers;
    private final ToIntFunction<String> coordinatorPartition;

    /** @param coordinatorPartition the {@code __consumer_offsets} partition whose leader coordinates a group */
    public IncrementalAlterConfigsHandler(
            ConfigUpdater updater,
            ShareGroupConfigUpdater groupUpdater,
            SharePeers peers,
            ToIntFunction<String> coordinatorPartition) {
        this.updater = updater;
        this.groupUpdater = groupUpdater;
        this.peers = peers;
        this.coordinatorPartition = coordinatorPartition;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<IncrementalAlterConfigsResponseData> handle(
            RequestContext context, IncrementalAlterConfigsRequestData request) {
        boolean passesOn = peers.passesOn(context)
                && request.resources().stream().anyMatch(r -> coordinator(r).isPresent());
        return passesOn
                ? peers.run(() -> answer(context, request))
                : CompletableFuture.completedFuture(answer(context, request));
    }

    /** The other broker that coordinates the group {@code resource} is, if it is one. */
    private Optional<Integer> coordinator(AlterConfigsResource resource) {
        return resource.resourceType() == ConfigResource.Type.GROUP.id()
                ? peers.remoteLeader(
                        GroupConfig.OFFSETS_TOPIC, coordinatorPartition.applyAsInt(resource.resourceName()))
                : Optional.empty();
    }

    private IncrementalAlterConfigsResponseData answer(
            RequestContext context, IncrementalAlterConfigsRequestData request) {
        Map<List<Object>, Integer> counts = new HashMap<>();
        request.resources().forEach(r -> counts.merge(List.of(r.resourceType(), r.resourceName()), 1, Integer::sum));
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
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
                Optional<Integer> coordinator =
                        peers.passesOn(context) ? coordinator(resource) : Optional.<Integer>empty();
                if (coordinator.isPresent()) {
                    AlterConfigsResourceResponse there = alterOn(coordinator.get(), resource, request, context);
                    result.setErrorCode(there.errorCode()).setErrorMessage(there.errorMessage());
                } else {
                    alter(resource, request.validateOnly());
                }
            } catch (Exception e) {
                result.setErrorCode(ErrorMapper.toError(e).code()).setErrorMessage(ErrorMapper.message(e));
            }
            response.responses().add(result);
        }
        return response;
    }

    /** Has {@code broker} alter the configs of {@code resource}, a group it coordinates; returns its outcome. */
    private AlterConfigsResourceResponse alterOn(
            int broker,
            AlterConfigsResource resource,
            IncrementalAlterConfigsRequestData request,
            RequestContext context) {
        IncrementalAlterConfigsRequestData one =
                new IncrementalAlterConfigsRequestData().setValidateOnly(request.validateOnly());
        one.resources().add(resource.duplicate());
        SharePeers.Reply<IncrementalAlterConfigsResponseData> reply = peers.<IncrementalAlterConfigsResponseData>ask(
                        Map.of(broker, one), context.version())
                .get(0);
        if (reply.failure().isPresent()) {
            throw reply.failure().get();
        }
        return reply.response().orElseThrow().responses().get(0);
    }

    private void alter(AlterConfigsResource resource, boolean validateOnly) throws Exception {
        List<ConfigUpdater.Op> ops = new ArrayList<>();
        for (AlterableConfig c : resource.configs()) {
            OpType type = OpType.forId(c.configOperation());
            if (type == null) {
                throw new InvalidRequestException(
                        "Unknown config operation " + c.configOperation() + " for " + c.name());
            }
            ops.add(new ConfigUpdater.Op(c.name(), type, c.value()));
        }
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        switch (type) {
            case TOPIC -> updater.alterTopic(resource.resourceName(), ops, validateOnly);
            case BROKER -> updater.alterBroker(resource.resourceName(), ops, validateOnly);
            case GROUP -> groupUpdater.alter(resource.resourceName(), ops, validateOnly);
            default ->
                throw new InvalidRequestException("Herald does not alter configs of resource type " + type + " ("
                        + resource.resourceType() + ")");
        }
    }
}
