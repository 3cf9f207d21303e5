package io.herald.server.group;

import io.herald.log.TopicPartition;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetCommit, OffsetFetch and OffsetDelete at the request level: topic names or ids (v10 of commit and fetch
 * address topics by id), unknown topics, invalid group ids, and the errors of the group's shard, which apply to every
 * partition of the request.
 *
 * <p>OffsetFetch's {@code RequireStable} asks to hold back offsets of transactions still open: Herald has no
 * transactions yet, so every committed offset is stable and the flag changes nothing.
 *
 * <p>Thread-safety: thread-safe; the work on a group runs under its shard's lock.
 */
public final class OffsetRequests {

    private final GroupCoordinator coordinator;
    private final MetadataStore metadata;

    OffsetRequests(GroupCoordinator coordinator, MetadataStore metadata) {
        this.coordinator = coordinator;
        this.metadata = metadata;
    }

    private static boolean invalidGroupId(String groupId) {
        return groupId == null || groupId.isEmpty();
    }

    /** Commits offsets for a caller allowed every topic (the console, tests). */
    public OffsetCommitResponseData commit(GroupCoordinator.Caller caller, OffsetCommitRequestData request) {
        return commit(caller, request, t -> true);
    }

    /** Commits offsets; partitions of topics {@code readable} refuses get TOPIC_AUTHORIZATION_FAILED. */
    public OffsetCommitResponseData commit(
            GroupCoordinator.Caller caller, OffsetCommitRequestData request, Predicate<String> readable) {
        boolean byId = caller.apiVersion() >= 10;
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        List<OffsetManager.PartitionCommit> valid = new ArrayList<>();
        Map<TopicPartition, OffsetCommitResponsePartition> results = new LinkedHashMap<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : request.topics()) {
            Optional<TopicInfo> topic = byId ? metadata.topic(t.topicId()) : metadata.topic(t.name());
            OffsetCommitResponseTopic rt = new OffsetCommitResponseTopic()
                    .setName(topic.map(TopicInfo::name).orElse(t.name()))
                    .setTopicId(t.topicId());
            boolean allowed = topic.isPresent() && readable.test(topic.get().name());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                OffsetCommitResponsePartition rp =
                        new OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex());
                rt.partitions().add(rp);
                if (invalidGroupId(request.groupId())) {
                    rp.setErrorCode(Errors.INVALID_GROUP_ID.code());
                } else if (topic.isPresent() && !allowed) {
                    rp.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                } else if (topic.isEmpty()) {
                    rp.setErrorCode(byId ? Errors.UNKNOWN_TOPIC_ID.code() : Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else {
                    TopicPartition tp = new TopicPartition(topic.get().name(), p.partitionIndex());
                    valid.add(new OffsetManager.PartitionCommit(
                            tp, p.committedOffset(), p.committedLeaderEpoch(), p.committedMetadata()));
                    results.put(tp, rp);
                }
            }
            response.topics().add(rt);
        }
        if (valid.isEmpty()) {
            return response;
        }
        OffsetManager.CommitRequest commit = new OffsetManager.CommitRequest(
                request.groupId(),
                request.memberId(),
                request.groupInstanceId(),
                request.generationIdOrMemberEpoch(),
                caller.apiVersion() <= 4 ? request.retentionTimeMs() : -1,
                caller.apiVersion(),
                valid);
        try {
            Map<TopicPartition, Errors> errors = coordinator.onShard(
                    request.groupId(), shard -> shard.offsets().commit(commit));
            errors.forEach((tp, e) -> results.get(tp).setErrorCode(e.code()));
        } catch (ApiException e) {
            short code = Errors.forException(e).code();
            results.values().forEach(rp -> rp.setErrorCode(code));
        }
        return response;
    }

    /** {@link #fetch(short, OffsetFetchRequestGroup, boolean, TopicFilter)} for a caller allowed every topic. */
    public OffsetFetchResponseGroup fetch(short version, OffsetFetchRequestGroup group, boolean requireStable) {
        return fetch(version, group, requireStable, (t, named) -> true);
    }

    /**
     * One group of an OffsetFetch, in the v8+ form ({@code version} decides whether topics are named or addressed by
     * id). A group the coordinator does not know has no offsets: -1 for each partition asked for. Topics {@code
     * describable} refuses are left out of an all-topics answer and get TOPIC_AUTHORIZATION_FAILED when named.
     */
    public OffsetFetchResponseGroup fetch(
            short version, OffsetFetchRequestGroup group, boolean requireStable, TopicFilter describable) {
        boolean byId = version >= 10;
        OffsetFetchResponseGroup response = new OffsetFetchResponseGroup().setGroupId(group.groupId());
        if (invalidGroupId(group.groupId())) {
            return response.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        Optional<List<TopicPartition>> requested = Optional.empty();
        Map<String, OffsetFetchResponseTopics> unknownTopics = new LinkedHashMap<>();
        if (group.topics() != null) {
            List<TopicPartition> list = new ArrayList<>();
            for (OffsetFetchRequestTopics t : group.topics()) {
                Optional<String> name = byId ? metadata.topic(t.topicId()).map(TopicInfo::name) : Optional.of(t.name());
                if (name.isEmpty()) {
                    OffsetFetchResponseTopics rt = new OffsetFetchResponseTopics().setTopicId(t.topicId());
                    t.partitionIndexes()
                            .forEach(
                                    p -> rt.partitions().add(noOffset(p).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())));
                    unknownTopics.put(t.topicId().toString(), rt);
                    continue;
                }
                if (!describable.allowed(name.get(), true)) {
                    OffsetFetchResponseTopics rt =
                            new OffsetFetchResponseTopics().setName(name.get()).setTopicId(t.topicId());
                    t.partitionIndexes()
                            .forEach(p -> rt.partitions()
                                    .add(noOffset(p).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                    unknownTopics.put(name.get(), rt);
                    continue;
                }
                t.partitionIndexes().forEach(p -> list.add(new TopicPartition(name.get(), p)));
            }
            requested = Optional.of(list);
        }
        List<OffsetManager.FetchedOffset> fetched;
        Optional<List<TopicPartition>> partitions = requested;
        try {
            Optional<GroupShard> shard = coordinator.existingShardFor(group.groupId());
            if (shard.isPresent()) {
                fetched = shard.get()
                        .call(() -> shard.get()
                                .offsets()
                                .fetch(group.groupId(), group.memberId(), group.memberEpoch(), partitions));
            } else {
                fetched = new ArrayList<>();
                partitions.ifPresent(
                        list -> list.forEach(tp -> fetched.add(new OffsetManager.FetchedOffset(tp, Optional.empty()))));
            }
        } catch (ApiException e) {
            return response.setErrorCode(Errors.forException(e).code());
        }
        Map<String, OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
        for (OffsetManager.FetchedOffset f : fetched) {
            String name = f.partition().topic();
            Uuid id = metadata.topic(name).map(TopicInfo::id).orElse(Uuid.ZERO_UUID);
            if (byId && id.equals(Uuid.ZERO_UUID)) {
                continue; // the topic was deleted: it has no id to report
            }
            if (group.topics() == null && !describable.allowed(name, false)) {
                continue;
            }
            OffsetFetchResponseTopics rt = topics.computeIfAbsent(
                    name, n -> new OffsetFetchResponseTopics().setName(n).setTopicId(id));
            OffsetFetchResponsePartitions rp = noOffset(f.partition().partition());
            f.offset()
                    .ifPresent(o -> rp.setCommittedOffset(o.offset())
                            .setCommittedLeaderEpoch(o.leaderEpoch())
                            .setMetadata(o.metadata()));
            rt.partitions().add(rp);
        }
        response.topics().addAll(topics.values());
        response.topics().addAll(unknownTopics.values());
        return response;
    }

    /** Whether a topic's offsets may be shown; {@code named} when the client asked for it by name or id. */
    @FunctionalInterface
    public interface TopicFilter {
        boolean allowed(String topic, boolean named);
    }

    private static OffsetFetchResponsePartitions noOffset(int partition) {
        return new OffsetFetchResponsePartitions()
                .setPartitionIndex(partition)
                .setCommittedOffset(-1)
                .setCommittedLeaderEpoch(-1)
                .setMetadata("")
                .setErrorCode(Errors.NONE.code());
    }

    /** Deletes committed offsets, for a caller allowed every topic. */
    public OffsetDeleteResponseData delete(OffsetDeleteRequestData request) {
        return delete(request, t -> true);
    }

    /** Deletes committed offsets; partitions of topics {@code readable} refuses get TOPIC_AUTHORIZATION_FAILED. */
    public OffsetDeleteResponseData delete(OffsetDeleteRequestData request, Predicate<String> readable) {
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        if (invalidGroupId(request.groupId())) {
            return response.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        List<TopicPartition> valid = new ArrayList<>();
        Map<TopicPartition, OffsetDeleteResponsePartition> results = new LinkedHashMap<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : request.topics()) {
            OffsetDeleteResponseTopic rt = new OffsetDeleteResponseTopic().setName(t.name());
            boolean known = metadata.topic(t.name()).isPresent();
            boolean allowed = readable.test(t.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions()) {
                OffsetDeleteResponsePartition rp =
                        new OffsetDeleteResponsePartition().setPartitionIndex(p.partitionIndex());
                rt.partitions().add(rp);
                if (!allowed) {
                    rp.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                } else if (!known) {
                    rp.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else {
                    TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                    valid.add(tp);
                    results.put(tp, rp);
                }
            }
            response.topics().add(rt);
        }
        try {
            Optional<GroupShard> shard = coordinator.existingShardFor(request.groupId());
            if (shard.isEmpty()) {
                return new OffsetDeleteResponseData().setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
            }
            Map<TopicPartition, Errors> errors =
                    shard.get().call(() -> shard.get().offsets().delete(request.groupId(), valid));
            errors.forEach((tp, e) -> results.get(tp).setErrorCode(e.code()));
        } catch (ApiException e) {
            return new OffsetDeleteResponseData()
                    .setErrorCode(Errors.forException(e).code());
        }
        return response;
    }
}
