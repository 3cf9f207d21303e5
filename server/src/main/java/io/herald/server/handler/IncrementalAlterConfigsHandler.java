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
 * coordinator ({@link SharePeers}): a group's configs are changed on one broker, which makes one change after the
 * other, each starting from the configs the one before it wrote, so that two changes made at once (through the same
 * broker or different ones) cannot undo one another.
 *
 * <p>Design note: a group's change answers when its write to the state topic is replicated, and that needs the
 * followers' fetches that request-handler threads serve; so the handler returns a future completed by the write and
 * never waits on its thread, and a change passed on to the coordinator waits for it on a thread of {@link SharePeers}.
 * Handler threads that waited stalled a coordinator that got as many changes at once as it has handler threads (JMS
 * consumers on three brokers configuring their queue): none was left for the fetches, and it answered nothing until
 * the writes timed out.
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
        Map<List<Object>, Integer> counts = new HashMap<>();
        request.resources().forEach(r -> counts.merge(List.of(r.resourceType(), r.resourceName()), 1, Integer::sum));
        List<CompletableFuture<AlterConfigsResourceResponse>> results = new ArrayList<>();
        for (AlterConfigsResource resource : request.resources()) {
            AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            CompletableFuture<AlterConfigsResourceResponse> outcome;
            try {
                if (counts.get(List.of(resource.resourceType(), resource.resourceName())) > 1) {
                    throw new InvalidRequestException(
                            "Resource " + resource.resourceName() + " appears more than once in the request");
                }
                ConfigAccess.require(
                        context, resource.resourceType(), resource.resourceName(), AclOperation.ALTER_CONFIGS);
                Optional<Integer> coordinator =
                        peers.passesOn(context) ? coordinator(resource) : Optional.<Integer>empty();
                outcome = coordinator.isPresent()
                        ? peers.run(() -> alterOn(coordinator.get(), resource, request, context))
                                .thenApply(there ->
                                        result.setErrorCode(there.errorCode()).setErrorMessage(there.errorMessage()))
                        : alter(resource, request.validateOnly()).thenApply(v -> result);
            } catch (Exception e) {
                outcome = CompletableFuture.failedFuture(e);
            }
            results.add(outcome.exceptionally(
                    e -> result.setErrorCode(ErrorMapper.toError(e).code()).setErrorMessage(ErrorMapper.message(e))));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
                    results.forEach(r -> response.responses().add(r.join()));
                    return response;
                });
    }

    /** The other broker that coordinates the group {@code resource} is, if it is one. */
    private Optional<Integer> coordinator(AlterConfigsResource resource) {
        return resource.resourceType() == ConfigResource.Type.GROUP.id()
                ? peers.remoteLeader(
                        GroupConfig.OFFSETS_TOPIC, coordinatorPartition.applyAsInt(resource.resourceName()))
                : Optional.empty();
    }

    /**
     * Has {@code broker} alter the configs of {@code resource}, a group it coordinates, and returns its outcome; call
     * it from {@link SharePeers#run} (it waits for the other broker).
     */
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

    /**
     * Alters the configs of {@code resource} here: those of a topic or of the broker at once; those of a group once
     * they are written to the state topic, which the future waits for without holding this thread.
     */
    private CompletableFuture<Void> alter(AlterConfigsResource resource, boolean validateOnly) throws Exception {
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
            case GROUP -> {
                return groupUpdater.alter(resource.resourceName(), ops, validateOnly);
            }
            default ->
                throw new InvalidRequestException("Herald does not alter configs of resource type " + type + " ("
                        + resource.resourceType() + ")");
        }
        return CompletableFuture.completedFuture(null);
    }
}
