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
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestPartition;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic;
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
 * offsets. Needs READ on the group and on each topic, as committing consumer-group offsets does. In a cluster the
 * coordinator, which knows the members, passes each partition's part on to its leader ({@link SharePeers}), which
 * moves its share partition.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class AlterShareGroupOffsetsHandler implements ApiHandler<AlterShareGroupOffsetsRequestData> {

    private final ShareCoordinator coordinator;
    private final MetadataStore metadata;
    private final SharePeers peers;

    public AlterShareGroupOffsetsHandler(ShareCoordinator coordinator, MetadataStore metadata, SharePeers peers) {
        this.coordinator = coordinator;
        this.metadata = metadata;
        this.peers = peers;
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
        if (!peers.passesOn(context)) { // moving a share partition waits for its state write: not on this thread
            return peers.run(
                    () -> answer(request.groupId(), coordinator.alterOffsets(request.groupId(), allowed), outcome));
        }
        Map<TopicPartition, Long> here = new LinkedHashMap<>();
        Map<Integer, AlterShareGroupOffsetsRequestData> elsewhere = new LinkedHashMap<>();
        allowed.forEach((tp, offset) -> peers.remoteLeader(tp.topic(), tp.partition())
                .ifPresentOrElse(
                        leader -> add(
                                elsewhere.computeIfAbsent(
                                        leader,
                                        l -> new AlterShareGroupOffsetsRequestData().setGroupId(request.groupId())),
                                tp,
                                offset),
                        () -> here.put(tp, offset)));
        return peers.run(() -> {
            ShareCoordinator.AlterOffsetsResult result = coordinator.alterOffsets(request.groupId(), here);
            if (result.groupError() == Errors.NONE) { // else no leader is asked: the group has members
                peers.<AlterShareGroupOffsetsResponseData>ask(elsewhere, context.version())
                        .forEach(reply -> outcome.putAll(outcome(reply, elsewhere.get(reply.broker()))));
            }
            return answer(request.groupId(), result, outcome);
        });
    }

    private static void add(AlterShareGroupOffsetsRequestData request, TopicPartition tp, long offset) {
        AlterShareGroupOffsetsRequestTopic topic = request.topics().find(tp.topic());
        if (topic == null) {
            topic = new AlterShareGroupOffsetsRequestTopic().setTopicName(tp.topic());
            request.topics().add(topic);
        }
        topic.partitions()
                .add(new AlterShareGroupOffsetsRequestPartition()
                        .setPartitionIndex(tp.partition())
                        .setStartOffset(offset));
    }

    /** The outcome of each partition a leader was asked to move. */
    private static Map<TopicPartition, ApiError> outcome(
            SharePeers.Reply<AlterShareGroupOffsetsResponseData> reply, AlterShareGroupOffsetsRequestData asked) {
        Map<TopicPartition, ApiError> out = new LinkedHashMap<>();
        asked.topics()
                .forEach(t -> t.partitions().forEach(p -> {
                    ApiError error = reply.failure()
                            .map(ApiError::fromThrowable)
                            .orElseGet(() -> reply.response()
                                    .filter(r -> r.errorCode() != Errors.NONE.code())
                                    .map(r -> new ApiError(Errors.forCode(r.errorCode()), r.errorMessage()))
                                    .orElse(ApiError.NONE));
                    out.put(new TopicPartition(t.topicName(), p.partitionIndex()), error);
                }));
        reply.response()
                .ifPresent(r -> r.responses()
                        .forEach(t -> t.partitions().forEach(p -> {
                            TopicPartition tp = new TopicPartition(t.topicName(), p.partitionIndex());
                            if (out.get(tp) == ApiError.NONE) {
                                out.put(tp, new ApiError(Errors.forCode(p.errorCode()), p.errorMessage()));
                            }
                        })));
        return out;
    }

    private AlterShareGroupOffsetsResponseData answer(
            String group, ShareCoordinator.AlterOffsetsResult result, Map<TopicPartition, ApiError> outcome) {
        AlterShareGroupOffsetsResponseData response = new AlterShareGroupOffsetsResponseData();
        if (result.groupError() != Errors.NONE) {
            return response.setErrorCode(result.groupError().code())
                    .setErrorMessage(
                            "Share group " + group + " has members: stop its consumers before moving its offsets");
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
        return response;
    }
}
