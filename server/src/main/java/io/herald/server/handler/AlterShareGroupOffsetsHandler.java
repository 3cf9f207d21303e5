package io.herald.server.handler;

import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.ShareCoordinator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.resource.ResourceType;

/**
 * AlterShareGroupOffsets (key 91, KIP-932): starts a share group over at the given offsets, as {@code
 * Admin.alterShareGroupOffsets} and {@code kafka-share-groups --reset-offsets} do; what was in flight is forgotten.
 * Only for a group without members (NON_EMPTY_GROUP otherwise); a group that does not exist yet is created with those
 * offsets. Needs READ on the group and on each topic, as committing consumer-group offsets does.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class AlterShareGroupOffsetsHandler implements ApiHandler<AlterShareGroupOffsetsRequestData> {

    private final ShareCoordinator coordinator;
    private final MetadataStore metadata;

    public AlterShareGroupOffsetsHandler(ShareCoordinator coordinator, MetadataStore metadata) {
        this.coordinator = coordinator;
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_SHARE_GROUP_OFFSETS;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<AlterShareGroupOffsetsResponseData> handle(
            RequestContext context, AlterShareGroupOffsetsRequestData request) {
        AlterShareGroupOffsetsResponseData response = new AlterShareGroupOffsetsResponseData();
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message()));
        }
        Map<TopicPartition, Long> allowed = new LinkedHashMap<>();
        Map<TopicPartition, ApiError> outcome = new LinkedHashMap<>();
        request.topics().forEach(t -> {
            boolean mayRead = context.authorized(AclOperation.READ, ResourceType.TOPIC, t.topicName());
            t.partitions().forEach(p -> {
                TopicPartition tp = new TopicPartition(t.topicName(), p.partitionIndex());
                if (mayRead) {
                    allowed.put(tp, p.startOffset());
                } else {
                    outcome.put(tp, new ApiError(Errors.TOPIC_AUTHORIZATION_FAILED, null));
                }
            });
        });
        ShareCoordinator.AlterOffsetsResult result = coordinator.alterOffsets(request.groupId(), allowed);
        if (result.groupError() != Errors.NONE) {
            return CompletableFuture.completedFuture(
                    response.setErrorCode(result.groupError().code())
                            .setErrorMessage("Share group " + request.groupId()
                                    + " has members: stop its consumers before moving its offsets"));
        }
        outcome.putAll(result.partitions());
        Map<String, AlterShareGroupOffsetsResponseTopic> topics = new LinkedHashMap<>();
        outcome.forEach((tp, error) -> topics.computeIfAbsent(
                        tp.topic(),
                        name -> new AlterShareGroupOffsetsResponseTopic()
                                .setTopicName(name)
                                .setTopicId(
                                        metadata.topic(name).map(TopicInfo::id).orElse(Uuid.ZERO_UUID)))
                .partitions()
                .add(new AlterShareGroupOffsetsResponsePartition()
                        .setPartitionIndex(tp.partition())
                        .setErrorCode(error.error().code())
                        .setErrorMessage(error.message())));
        topics.values().forEach(t -> response.responses().add(t));
        return CompletableFuture.completedFuture(response);
    }
}
