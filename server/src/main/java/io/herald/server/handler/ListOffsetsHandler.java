package io.herald.server.handler;

import io.herald.log.TimestampAndOffset;
import io.herald.log.TopicPartition;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListOffsets (key 2): the earliest offset, the latest (the high watermark, or the last stable offset for
 * read_committed), the record with the largest timestamp, or the first record at or after a timestamp.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequestData> {

    /** Kafka's special timestamps (ListOffsetsRequest). */
    static final long LATEST = -1;

    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;
    static final long EARLIEST_LOCAL = -4;
    static final long LATEST_TIERED = -5;

    private final PartitionManager partitions;

    public ListOffsetsHandler(PartitionManager partitions) {
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public short maxVersion() {
        return 10;
    }

    @Override
    public CompletableFuture<ListOffsetsResponseData> handle(RequestContext context, ListOffsetsRequestData request) {
        boolean committed = request.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        // The response's leader epoch exists from v4 on; below it must stay at its default or the answer cannot be
        // written (librdkafka 2.0, e.g. kcat, asks at v2).
        boolean withEpoch = context.version() >= 4;
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsTopic topic : request.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            boolean authorized = context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic.name());
            for (ListOffsetsPartition p : topic.partitions()) {
                ListOffsetsPartitionResponse r = authorized
                        ? lookup(new TopicPartition(topic.name(), p.partitionIndex()), p, committed)
                        : new ListOffsetsPartitionResponse()
                                .setPartitionIndex(p.partitionIndex())
                                .setTimestamp(-1)
                                .setOffset(-1)
                                .setLeaderEpoch(-1)
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                topicResponse.partitions().add(withEpoch ? r : r.setLeaderEpoch(-1));
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private ListOffsetsPartitionResponse lookup(TopicPartition tp, ListOffsetsPartition p, boolean committed) {
        ListOffsetsPartitionResponse r = new ListOffsetsPartitionResponse()
                .setPartitionIndex(p.partitionIndex())
                .setTimestamp(-1)
                .setOffset(-1)
                .setLeaderEpoch(-1);
        try {
            Optional<Partition> found = partitions.partitionOrStorageError(tp);
            if (found.isEmpty()) {
                return r.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            }
            Partition partition = found.get();
            if (!partition.isLeader()) {
                return r.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
            }
            if (p.currentLeaderEpoch() > partition.leaderEpoch()) {
                return r.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
            }
            if (p.currentLeaderEpoch() >= 0 && p.currentLeaderEpoch() < partition.leaderEpoch()) {
                return r.setErrorCode(Errors.FENCED_LEADER_EPOCH.code());
            }
            long ts = p.timestamp();
            if (ts == EARLIEST || ts == EARLIEST_LOCAL) {
                return r.setOffset(partition.logStartOffset()).setLeaderEpoch(partition.leaderEpoch());
            }
            if (ts == LATEST || ts == LATEST_TIERED) {
                long latest = committed ? partition.lastStableOffset() : partition.highWatermark();
                return r.setOffset(ts == LATEST_TIERED ? -1 : latest).setLeaderEpoch(partition.leaderEpoch());
            }
            Optional<TimestampAndOffset> found2 = ts == MAX_TIMESTAMP
                    ? partition.log().maxTimestampRecord()
                    : ts >= 0 ? partition.log().offsetForTimestamp(ts) : Optional.empty();
            if (ts < 0 && ts != MAX_TIMESTAMP) {
                return r.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
            }
            long limit = committed ? partition.lastStableOffset() : partition.highWatermark();
            found2.filter(t -> t.offset() < limit)
                    .ifPresent(t ->
                            r.setTimestamp(t.timestamp()).setOffset(t.offset()).setLeaderEpoch(t.leaderEpoch()));
            return r;
        } catch (Exception e) {
            return r.setErrorCode(ErrorMapper.toError(e).code());
        }
    }
}
