package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.group.OffsetRequests;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetFetch (key 9): the committed offsets of a group's partitions, or of all of them (null topics, v2+). v8+ asks
 * for several groups at once, v9+ identifies the consumer-protocol member asking (its epoch is checked), v10 addresses
 * topics by id. v7+'s {@code RequireStable} is honoured trivially: without transactions every offset is stable.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequestData> {

    private final GroupCoordinator groups;

    public OffsetFetchHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public short maxVersion() {
        return 10;
    }

    @Override
    public CompletableFuture<OffsetFetchResponseData> handle(RequestContext context, OffsetFetchRequestData request) {
        short version = context.version();
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= 8) {
            for (OffsetFetchRequestGroup g : request.groups()) {
                response.groups()
                        .add(
                                context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId())
                                        ? groups.offsets()
                                                .fetch(version, g, request.requireStable(), describable(context))
                                        : new OffsetFetchResponseGroup()
                                                .setGroupId(g.groupId())
                                                .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
            }
            return CompletableFuture.completedFuture(response);
        }
        OffsetFetchRequestGroup single = new OffsetFetchRequestGroup().setGroupId(request.groupId());
        if (request.topics() != null) {
            List<OffsetFetchRequestTopics> topics = new ArrayList<>();
            request.topics()
                    .forEach(t -> topics.add(new OffsetFetchRequestTopics()
                            .setName(t.name())
                            .setPartitionIndexes(t.partitionIndexes())));
            single.setTopics(topics);
        } else {
            single.setTopics(null);
        }
        OffsetFetchResponseGroup result =
                context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, request.groupId())
                        ? groups.offsets().fetch(version, single, request.requireStable(), describable(context))
                        : new OffsetFetchResponseGroup().setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code());
        if (version >= 2) {
            response.setErrorCode(result.errorCode());
        }
        if (result.errorCode() != Errors.NONE.code() && version < 2 && request.topics() != null) {
            // v1 has no top-level error: every partition carries it.
            request.topics().forEach(t -> {
                OffsetFetchResponseTopic rt = new OffsetFetchResponseTopic().setName(t.name());
                t.partitionIndexes()
                        .forEach(p -> rt.partitions()
                                .add(new OffsetFetchResponsePartition()
                                        .setPartitionIndex(p)
                                        .setCommittedOffset(-1)
                                        .setMetadata("")
                                        .setErrorCode(result.errorCode())));
                response.topics().add(rt);
            });
            return CompletableFuture.completedFuture(response);
        }
        for (OffsetFetchResponseTopics t : result.topics()) {
            OffsetFetchResponseTopic rt = new OffsetFetchResponseTopic().setName(t.name());
            for (OffsetFetchResponsePartitions p : t.partitions()) {
                rt.partitions()
                        .add(new OffsetFetchResponsePartition()
                                .setPartitionIndex(p.partitionIndex())
                                .setCommittedOffset(p.committedOffset())
                                .setCommittedLeaderEpoch(p.committedLeaderEpoch())
                                .setMetadata(p.metadata())
                                .setErrorCode(p.errorCode()));
            }
            response.topics().add(rt);
        }
        return CompletableFuture.completedFuture(response);
    }

    /** Named topics the client may not describe are refused (and audited); unnamed ones just left out. */
    private static OffsetRequests.TopicFilter describable(RequestContext context) {
        return (topic, named) -> named
                ? context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic)
                : context.visible(AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
    }
}
