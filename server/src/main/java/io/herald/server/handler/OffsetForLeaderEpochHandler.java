package io.herald.server.handler;

import io.herald.log.TopicPartition;
import io.herald.server.partition.LeaderEpochCache;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetForLeaderEpoch (key 23): for each partition, the largest leader epoch not above the one asked for and the
 * offset where it ended in the leader's log (the start of the next epoch, or the log end offset for the current one).
 * A follower returning after a leader change truncates its log there; consumers use it to detect a truncated log
 * (KIP-320). Only the leader answers; a stale or future {@code currentLeaderEpoch} gets FENCED_LEADER_EPOCH or
 * UNKNOWN_LEADER_EPOCH. Needs DESCRIBE on the topic (TOPIC_AUTHORIZATION_FAILED otherwise).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler<OffsetForLeaderEpochRequestData> {

    private final PartitionManager partitions;

    public OffsetForLeaderEpochHandler(PartitionManager partitions) {
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public short minVersion() {
        return 2;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<OffsetForLeaderEpochResponseData> handle(
            RequestContext context, OffsetForLeaderEpochRequestData request) {
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            boolean allowed = context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic.topic());
            for (OffsetForLeaderPartition p : topic.partitions()) {
                result.partitions()
                        .add(
                                allowed
                                        ? answer(new TopicPartition(topic.topic(), p.partition()), p)
                                        : new EpochEndOffset()
                                                .setPartition(p.partition())
                                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                                .setLeaderEpoch(LeaderEpochCache.UNDEFINED)
                                                .setEndOffset(LeaderEpochCache.UNDEFINED));
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private EpochEndOffset answer(TopicPartition tp, OffsetForLeaderPartition p) {
        EpochEndOffset r = new EpochEndOffset()
                .setPartition(p.partition())
                .setLeaderEpoch(LeaderEpochCache.UNDEFINED)
                .setEndOffset(LeaderEpochCache.UNDEFINED);
        try {
            Optional<Partition> found = partitions.partitionOrStorageError(tp);
            if (found.isEmpty()) {
                return r.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            }
            Partition partition = found.get();
            if (!partition.isLeader()) {
                return r.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
            }
            int current = p.currentLeaderEpoch();
            if (current >= 0 && current < partition.leaderEpoch()) {
                return r.setErrorCode(Errors.FENCED_LEADER_EPOCH.code());
            }
            if (current > partition.leaderEpoch()) {
                return r.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
            }
            LeaderEpochCache.EpochEnd end = partition.endOffsetForEpoch(p.leaderEpoch());
            return r.setLeaderEpoch(end.epoch()).setEndOffset(end.endOffset());
        } catch (RuntimeException e) {
            return r.setErrorCode(ErrorMapper.toError(e).code());
        }
    }
}
