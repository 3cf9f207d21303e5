package io.herald.server.handler;

import io.herald.log.TopicPartition;
import io.herald.log.record.RecordBatch;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TemporaryTopics;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.metrics.BrokerMetrics;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RecordsAdapter;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.ShareGroupConfig;
import io.herald.server.share.ShareStateCluster;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Produce (key 0): appends each partition's batches as they were sent (validated, offsets assigned, idempotent
 * producers' sequences checked) and answers per partition; with {@code acks=0} nothing is answered. With {@code
 * acks=all} the answer waits until the in-sync replicas have the records (the high watermark passed them), at most the
 * request's timeout; an ISR below {@code min.insync.replicas} refuses the append (NOT_ENOUGH_REPLICAS) or, if it shrank
 * after it, fails it with NOT_ENOUGH_REPLICAS_AFTER_APPEND. A broker that does not lead the partition answers
 * NOT_LEADER_OR_FOLLOWER. With {@code acks} 1 or all and a flush policy that syncs every append ({@code
 * flush.messages=1}), the answer also waits for the fsync: it is sent from the group-commit thread when that completes,
 * so handler threads never wait for the disk.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ProduceHandler implements ApiHandler<ProduceRequestData> {

    private final MetadataStore metadata;
    private final PartitionManager partitions;
    private final BrokerMetrics metrics;

    public ProduceHandler(PartitionManager partitions) {
        this(partitions, new BrokerMetrics());
    }

    /** A handler that counts the bytes and messages it appends in {@code metrics}. */
    public ProduceHandler(PartitionManager partitions, BrokerMetrics metrics) {
        this.metadata = partitions.metadata();
        this.partitions = partitions;
        this.metrics = metrics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public short maxVersion() {
        return 13;
    }

    @Override
    public CompletableFuture<ProduceResponseData> handle(RequestContext context, ProduceRequestData request) {
        ProduceResponseData response = new ProduceResponseData();
        short acks = request.acks();
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        boolean validAcks = acks == 0 || acks == 1 || acks == -1;
        for (TopicProduceData topicData : request.topicData()) {
            TopicProduceResponse topicResponse =
                    new TopicProduceResponse().setName(topicData.name()).setTopicId(topicData.topicId());
            Optional<TopicInfo> topic = TopicResolver.resolve(metadata, topicData.name(), topicData.topicId());
            String name = topic.map(TopicInfo::name).orElse(topicData.name());
            boolean authorized = name != null && context.authorized(AclOperation.WRITE, ResourceType.TOPIC, name);
            for (PartitionProduceData data : topicData.partitionData()) {
                PartitionProduceResponse result = new PartitionProduceResponse().setIndex(data.index());
                if (!validAcks) {
                    error(result, Errors.INVALID_REQUIRED_ACKS, "acks must be 0, 1 or -1 (all), was " + acks);
                } else if (request.transactionalId() != null) {
                    error(result, Errors.TRANSACTIONAL_ID_NOT_FOUND, "Transactions are not supported yet");
                } else if (!authorized && (name != null || topic.isPresent())) {
                    error(result, Errors.TOPIC_AUTHORIZATION_FAILED, null);
                } else if (topic.isEmpty()) {
                    unknownTopic(result, topicData);
                } else if (topic.get().isInternal() && !isShareStateWriter(context, topic.get())) {
                    error(
                            result,
                            Errors.INVALID_TOPIC_EXCEPTION,
                            "Clients may not write to internal topic "
                                    + topic.get().name());
                } else {
                    append(topic.get(), data, result, acks, request.timeoutMs(), waits);
                }
                topicResponse.partitionResponses().add(result);
            }
            response.responses().add(topicResponse);
        }
        if (waits.isEmpty()) {
            return CompletableFuture.completedFuture(acks == 0 ? null : response);
        }
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }

    /**
     * Whether this is another broker writing share state to a partition of {@code __share_group_state} this broker
     * leads: the one internal topic another broker may produce to, under the reserved client id and with
     * CLUSTER_ACTION, as Kafka lets only its own admin client id write internal topics.
     */
    private static boolean isShareStateWriter(RequestContext context, TopicInfo topic) {
        return topic.name().equals(ShareGroupConfig.STATE_TOPIC)
                && ShareStateCluster.WRITER_CLIENT_ID.equals(context.clientId())
                && context.authorizedOnCluster(AclOperation.CLUSTER_ACTION);
    }

    private void append(
            TopicInfo topic,
            PartitionProduceData data,
            PartitionProduceResponse result,
            short acks,
            int timeoutMs,
            List<CompletableFuture<Void>> waits) {
        try {
            Optional<Partition> partition =
                    partitions.partitionOrStorageError(new TopicPartition(topic.name(), data.index()));
            if (partition.isEmpty()) {
                error(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                return;
            }
            Partition p = partition.get();
            ByteBuffer batches = RecordsAdapter.bytes(data.records());
            int bytes = batches.remaining();
            long messages = recordCount(batches);
            Partition.AppendResult appended = p.appendAsLeaderWithoutFlushWait(batches, acks);
            if (!appended.duplicate()) {
                metrics.produced(topic.name(), bytes, messages);
            }
            result.setBaseOffset(appended.baseOffset())
                    .setLogAppendTimeMs(appended.logAppendTimeMs())
                    .setLogStartOffset(appended.logStartOffset());
            if (acks == 0) {
                return; // nobody is answered; the flush policy is still applied
            }
            CompletableFuture<Void> flushed = appended.durable();
            CompletableFuture<Errors> replicated = acks == -1
                    ? p.awaitReplication(appended.nextOffset())
                    : CompletableFuture.completedFuture(Errors.NONE);
            if (flushed.isDone()
                    && !flushed.isCompletedExceptionally()
                    && replicated.isDone()
                    && replicated.join() == Errors.NONE) {
                return; // the common case without fsync per append: nothing to wait for, nothing allocated
            }
            // The flush future is completed by the group-commit thread: the answer is sent from there once the fsync
            // is done, and no handler thread waits for the disk meanwhile.
            replicated.completeOnTimeout(Errors.REQUEST_TIMED_OUT, Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
            waits.add(flushed.handle((v, e) -> e).thenAcceptBoth(replicated, (flushError, replicaError) -> {
                if (flushError != null) {
                    failed(result, flushError);
                } else if (replicaError != Errors.NONE) {
                    error(result, replicaError, "The in-sync replicas did not all get the records: " + replicaError);
                }
            }));
        } catch (Exception e) {
            failed(result, e);
        }
    }

    /** A partition of a topic this broker does not have: unknown, or a temporary destination's topic gone for good. */
    private void unknownTopic(PartitionProduceResponse result, TopicProduceData topicData) {
        boolean byId = topicData.topicId() != null && !topicData.topicId().equals(Uuid.ZERO_UUID);
        Optional<String> gone = byId
                ? metadata.deletedTemporaryTopics().name(topicData.topicId())
                : Optional.ofNullable(topicData.name()).filter(name -> TemporaryTopics.gone(metadata, name));
        if (gone.isPresent()) {
            error(result, Errors.INVALID_TOPIC_EXCEPTION, TemporaryTopics.goneMessage(gone.get()));
        } else {
            error(result, byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
        }
    }

    private static void failed(PartitionProduceResponse result, Throwable e) {
        result.setErrorCode(ErrorMapper.toError(e).code())
                .setErrorMessage(ErrorMapper.message(e))
                .setBaseOffset(-1)
                .setLogAppendTimeMs(-1)
                .setLogStartOffset(-1);
    }

    /** The records in {@code batches}, from the batch headers (the append validated the framing). */
    private static long recordCount(ByteBuffer batches) {
        long count = 0;
        for (int p = batches.position(); p + RecordBatch.HEADER_SIZE <= batches.limit(); ) {
            RecordBatch batch = RecordBatch.at(batches, p);
            int size = batch.sizeInBytes();
            if (size < RecordBatch.HEADER_SIZE) {
                break;
            }
            count += batch.recordCount();
            p += size;
        }
        return count;
    }

    private static void error(PartitionProduceResponse result, Errors error, String message) {
        result.setErrorCode(error.code())
                .setErrorMessage(message)
                .setBaseOffset(-1)
                .setLogStartOffset(-1);
    }
}
