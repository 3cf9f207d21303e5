package io.herald.server.handler;

import io.herald.log.TopicPartition;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteRecords (key 21): moves each partition's log start offset up to the requested offset ({@code -1}: the high
 * watermark), so records below it can no longer be read and segments wholly below it are deleted; answers with the new
 * log start offset (the "low watermark"). An offset above the high watermark, or negative other than -1, gets {@code
 * OFFSET_OUT_OF_RANGE}; a topic with {@code cleanup.policy=compact} alone gets {@code POLICY_VIOLATION}, as in Kafka.
 * The log start offsets are checkpointed before answering, so a deletion survives a crash.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequestData> {

    /** The offset that means "up to the high watermark". */
    static final long HIGH_WATERMARK = -1;

    private static final Logger log = LoggerFactory.getLogger(DeleteRecordsHandler.class);

    private final PartitionManager partitions;

    public DeleteRecordsHandler(PartitionManager partitions) {
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<DeleteRecordsResponseData> handle(
            RequestContext context, DeleteRecordsRequestData request) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        boolean deleted = false;
        for (DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            boolean authorized = context.authorized(AclOperation.DELETE, ResourceType.TOPIC, topic.name());
            for (DeleteRecordsPartition p : topic.partitions()) {
                DeleteRecordsPartitionResult result =
                        new DeleteRecordsPartitionResult().setPartitionIndex(p.partitionIndex());
                if (!authorized) {
                    topicResult
                            .partitions()
                            .add(result.setLowWatermark(-1).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                    continue;
                }
                try {
                    result.setLowWatermark(
                            deleteBefore(new TopicPartition(topic.name(), p.partitionIndex()), p.offset()));
                    deleted = true;
                } catch (Exception e) {
                    result.setLowWatermark(-1)
                            .setErrorCode(ErrorMapper.toError(e).code());
                }
                topicResult.partitions().add(result);
            }
            response.topics().add(topicResult);
        }
        if (deleted) {
            try {
                partitions.logManager().checkpoint();
            } catch (IOException e) {
                log.warn("Checkpointing log start offsets after DeleteRecords failed: {}", e.toString());
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private long deleteBefore(TopicPartition tp, long offset) throws IOException {
        Partition partition = partitions
                .partitionOrStorageError(tp)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Partition " + tp + " does not exist"));
        if (!partition.isLeader()) {
            throw new org.apache.kafka.common.errors.NotLeaderOrFollowerException("This broker does not lead " + tp);
        }
        long highWatermark = partition.highWatermark();
        long target = offset == HIGH_WATERMARK ? highWatermark : offset;
        if (target < 0 || target > highWatermark) {
            throw new OffsetOutOfRangeException("Cannot delete records of " + tp + " before offset " + offset
                    + ": the high watermark is " + highWatermark);
        }
        if (!partition.log().config().delete()) {
            throw new PolicyViolationException(
                    "Records of " + tp + " cannot be deleted: its cleanup.policy is " + "compact without delete");
        }
        return partition.log().deleteRecordsBefore(target);
    }
}
