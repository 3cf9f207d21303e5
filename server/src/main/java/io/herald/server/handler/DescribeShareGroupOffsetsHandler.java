package io.herald.server.handler;

import io.herald.log.TopicPartition;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.SharePartitionManager;
import io.herald.server.share.SharePartitionView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeShareGroupOffsets (key 90, KIP-932): each share partition's start offset (below it every record is
 * acknowledged or archived) and, from v1, its lag (records from there to the high watermark not yet acknowledged or
 * archived), as {@code Admin.listShareGroupOffsets} and {@code kafka-share-groups --describe --offsets} ask. A
 * partition the group has no state for answers start offset -1, as Kafka does; with no topics given, every partition
 * the group has state for. Needs DESCRIBE on the group, and DESCRIBE on each topic (else that topic's partitions
 * answer TOPIC_AUTHORIZATION_FAILED). In a cluster each partition's leader knows its share partitions: the broker
 * asked passes the request on to the others ({@link SharePeers}) and answers each partition from the broker that has
 * its state.
 *
 * <p>Thread-safety: thread-safe (reads snapshots of the share partitions).
 */
public final class DescribeShareGroupOffsetsHandler implements ApiHandler<DescribeShareGroupOffsetsRequestData> {

    /** What one broker knows of a share partition: where the group starts, and its lag (-1 if unknown). */
    private record Offsets(long startOffset, long lag) {}

    private final SharePartitionManager shares;
    private final PartitionManager partitions;
    private final MetadataStore metadata;
    private final SharePeers peers;

    public DescribeShareGroupOffsetsHandler(
            SharePartitionManager shares, PartitionManager partitions, MetadataStore metadata, SharePeers peers) {
        this.shares = shares;
        this.partitions = partitions;
        this.metadata = metadata;
        this.peers = peers;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<DescribeShareGroupOffsetsResponseData> handle(
            RequestContext context, DescribeShareGroupOffsetsRequestData request) {
        if (!peers.passesOn(context)) { // readUnread waits for the state topic: not on this thread
            return peers.run(() -> {
                shares.readUnread(); // a leader that has not served a partition since it took it over knows it too
                return answer(context, request, local());
            });
        }
        return peers.run(() -> {
            shares.readUnread();
            Map<String, Map<TopicPartition, Offsets>> known = local();
            for (DescribeShareGroupOffsetsResponseData r : SharePeers.<DescribeShareGroupOffsetsResponseData>answered(
                    peers.askAll(request, context.version()))) {
                r.groups()
                        .forEach(g -> g.topics()
                                .forEach(t -> t.partitions().stream()
                                        .filter(p -> p.errorCode() == Errors.NONE.code() && p.startOffset() >= 0)
                                        .forEach(p -> known.computeIfAbsent(g.groupId(), id -> new LinkedHashMap<>())
                                                .put(
                                                        new TopicPartition(t.topicName(), p.partitionIndex()),
                                                        new Offsets(p.startOffset(), p.lag())))));
            }
            return answer(context, request, known);
        });
    }

    /** The share partitions this broker has, by group. */
    private Map<String, Map<TopicPartition, Offsets>> local() {
        Map<String, Map<TopicPartition, Offsets>> byGroup = new LinkedHashMap<>();
        for (SharePartitionView v : shares.views()) {
            TopicPartition tp = new TopicPartition(v.topic(), v.partition());
            long lag = partitions
                    .partition(tp)
                    .map(Partition::highWatermark)
                    .map(hw -> Math.max(0, hw - v.startOffset() - v.acknowledged() - v.archived()))
                    .orElse(-1L);
            byGroup.computeIfAbsent(v.group(), g -> new LinkedHashMap<>()).put(tp, new Offsets(v.startOffset(), lag));
        }
        return byGroup;
    }

    private DescribeShareGroupOffsetsResponseData answer(
            RequestContext context,
            DescribeShareGroupOffsetsRequestData request,
            Map<String, Map<TopicPartition, Offsets>> byGroup) {
        DescribeShareGroupOffsetsResponseData response = new DescribeShareGroupOffsetsResponseData();
        for (DescribeShareGroupOffsetsRequestGroup g : request.groups()) {
            DescribeShareGroupOffsetsResponseGroup out =
                    new DescribeShareGroupOffsetsResponseGroup().setGroupId(g.groupId());
            response.groups().add(out);
            if (!context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId())) {
                out.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message());
                continue;
            }
            Map<TopicPartition, Offsets> state = byGroup.getOrDefault(g.groupId(), Map.of());
            Map<String, List<Integer>> wanted = new TreeMap<>();
            if (g.topics() == null) {
                state.keySet()
                        .forEach(tp -> wanted.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                                .add(tp.partition()));
                wanted.values().forEach(l -> l.sort(null));
            } else {
                g.topics()
                        .forEach(t -> wanted.computeIfAbsent(t.topicName(), n -> new ArrayList<>())
                                .addAll(t.partitions()));
            }
            wanted.forEach((topic, indexes) -> out.topics().add(describe(context, topic, indexes, state)));
        }
        return response;
    }

    private DescribeShareGroupOffsetsResponseTopic describe(
            RequestContext context, String topic, List<Integer> indexes, Map<TopicPartition, Offsets> state) {
        Optional<TopicInfo> info = metadata.topic(topic);
        DescribeShareGroupOffsetsResponseTopic out = new DescribeShareGroupOffsetsResponseTopic()
                .setTopicName(topic)
                .setTopicId(info.map(TopicInfo::id).orElse(Uuid.ZERO_UUID));
        Errors topicError = !context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic)
                ? Errors.TOPIC_AUTHORIZATION_FAILED
                : info.isEmpty() ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NONE;
        for (int index : indexes) {
            DescribeShareGroupOffsetsResponsePartition p = new DescribeShareGroupOffsetsResponsePartition()
                    .setPartitionIndex(index)
                    .setStartOffset(-1)
                    .setLeaderEpoch(-1)
                    .setLag(-1);
            out.partitions().add(p);
            if (topicError != Errors.NONE) {
                p.setErrorCode(topicError.code()).setErrorMessage(topicError.message());
                continue;
            }
            TopicPartition tp = new TopicPartition(topic, index);
            Offsets o = state.get(tp);
            if (o != null) { // else no state yet: the group has not started on this partition
                p.setStartOffset(o.startOffset()).setLag(o.lag());
            }
        }
        return out;
    }
}
