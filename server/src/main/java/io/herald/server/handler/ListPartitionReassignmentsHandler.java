package io.herald.server.handler;

import io.herald.log.TopicPartition;
import io.herald.server.cluster.PartitionAdministration;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListPartitionReassignments (key 46): the reassignments in progress ({@code kafka-reassign-partitions --verify},
 * {@code Admin.listPartitionReassignments}), of the listed partitions or all. Needs DESCRIBE on the cluster.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler<ListPartitionReassignmentsRequestData> {

    private final PartitionAdministration admin;

    public ListPartitionReassignmentsHandler(PartitionAdministration admin) {
        this.admin = admin;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<ListPartitionReassignmentsResponseData> handle(
            RequestContext context, ListPartitionReassignmentsRequestData request) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponseData()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("Listing reassignments needs DESCRIBE on the cluster"));
        }
        List<TopicPartition> asked = null;
        if (request.topics() != null) {
            asked = new ArrayList<>();
            for (var t : request.topics()) {
                for (int p : t.partitionIndexes()) {
                    asked.add(new TopicPartition(t.name(), p));
                }
            }
        }
        Map<String, OngoingTopicReassignment> byTopic = new LinkedHashMap<>();
        admin.reassignments(asked)
                .forEach((tp, r) -> byTopic.computeIfAbsent(tp.topic(), n -> new OngoingTopicReassignment().setName(n))
                        .partitions()
                        .add(new OngoingPartitionReassignment()
                                .setPartitionIndex(tp.partition())
                                .setReplicas(r.replicas())
                                .setAddingReplicas(r.adding())
                                .setRemovingReplicas(r.removing())));
        ListPartitionReassignmentsResponseData response = new ListPartitionReassignmentsResponseData();
        response.topics().addAll(byTopic.values());
        return CompletableFuture.completedFuture(response);
    }
}
