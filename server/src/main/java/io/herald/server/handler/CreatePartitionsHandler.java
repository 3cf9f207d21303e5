package io.herald.server.handler;

import io.herald.server.metadata.TopicInfo;
import io.herald.server.metadata.TopicManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * CreatePartitions (key 37): raises a topic's partition count; the new partitions are created at once and producers
 * and consumers can use them as soon as their metadata shows them. {@code validateOnly} checks without changing
 * anything. A count that does not grow the topic gets {@code INVALID_PARTITIONS}.
 *
 * <p>Explicit replica assignments are checked as Kafka checks them: one per new partition, each with as many distinct
 * replicas as the topic's replication factor, on brokers that exist. On a single broker the only valid assignment puts
 * every new partition on this broker; any other gets {@code INVALID_REPLICA_ASSIGNMENT} saying why.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequestData> {

    /** The replication factor of every topic while Herald runs on one broker. */
    private static final int REPLICATION_FACTOR = 1;

    private final TopicManager topics;
    private final int nodeId;

    public CreatePartitionsHandler(TopicManager topics, int nodeId) {
        this.topics = topics;
        this.nodeId = nodeId;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<CreatePartitionsResponseData> handle(
            RequestContext context, CreatePartitionsRequestData request) {
        Map<String, Integer> counts = new HashMap<>();
        request.topics().forEach(t -> counts.merge(t.name(), 1, Integer::sum));
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        for (CreatePartitionsTopic t : request.topics()) {
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(t.name());
            try {
                if (counts.get(t.name()) > 1) {
                    throw new InvalidRequestException("Topic " + t.name() + " appears more than once in the request");
                }
                context.requireTopic(AclOperation.ALTER, t.name());
                TopicInfo topic = topics.topic(t.name())
                        .orElseThrow(
                                () -> new UnknownTopicOrPartitionException("Topic '" + t.name() + "' does not exist."));
                if (t.assignments() != null && t.count() > topic.partitions()) {
                    checkAssignments(t.assignments(), t.count() - topic.partitions());
                }
                topics.addPartitions(t.name(), t.count(), request.validateOnly());
            } catch (Exception e) {
                result.setErrorCode(ErrorMapper.toError(e).code()).setErrorMessage(ErrorMapper.message(e));
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private void checkAssignments(List<CreatePartitionsAssignment> assignments, int added) {
        if (assignments.size() != added) {
            throw new InvalidReplicaAssignmentException("Increasing the number of partitions by " + added + " but "
                    + assignments.size() + " assignments provided.");
        }
        for (CreatePartitionsAssignment a : assignments) {
            List<Integer> replicas = a.brokerIds();
            if (replicas.size() != REPLICATION_FACTOR) {
                throw new InvalidReplicaAssignmentException("Assignment " + replicas + " has " + replicas.size()
                        + " replicas; the topic's replication factor is " + REPLICATION_FACTOR);
            }
            Set<Integer> distinct = new HashSet<>(replicas);
            if (distinct.size() != replicas.size()) {
                throw new InvalidReplicaAssignmentException("Assignment " + replicas + " names a broker twice");
            }
            for (int broker : replicas) {
                if (broker != nodeId) {
                    throw new InvalidReplicaAssignmentException("Assignment " + replicas + " names unknown broker "
                            + broker + "; the cluster has only broker " + nodeId);
                }
            }
        }
    }
}
