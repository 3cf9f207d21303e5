package io.herald.server.handler;

import io.herald.log.TopicPartition;
import io.herald.server.cluster.PartitionAdministration;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterPartitionReassignments (key 45): {@code kafka-reassign-partitions --execute} and {@code
 * Admin.alterPartitionReassignments}. A partition with replicas starts moving there (the new replicas copy the log,
 * join the ISR, then the old ones are dropped); a partition with null replicas has its reassignment cancelled.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler<AlterPartitionReassignmentsRequestData> {

    private final PartitionAdministration admin;

    public AlterPartitionReassignmentsHandler(PartitionAdministration admin) {
        this.admin = admin;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<AlterPartitionReassignmentsResponseData> handle(
            RequestContext context, AlterPartitionReassignmentsRequestData request) {
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData();
        if (!context.authorizedOnCluster(AclOperation.ALTER)) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("Reassigning partitions needs ALTER on the cluster"));
        }
        for (ReassignableTopic t : request.topics()) {
            ReassignableTopicResponse topic = new ReassignableTopicResponse().setName(t.name());
            for (ReassignablePartition p : t.partitions()) {
                ReassignablePartitionResponse r =
                        new ReassignablePartitionResponse().setPartitionIndex(p.partitionIndex());
                try {
                    List<Integer> target = p.replicas() == null ? List.of() : p.replicas();
                    admin.reassign(new TopicPartition(t.name(), p.partitionIndex()), target);
                    r.setErrorCode(Errors.NONE.code());
                } catch (Exception e) {
                    r.setErrorCode(ErrorMapper.toError(e).code()).setErrorMessage(ErrorMapper.message(e));
                }
                topic.partitions().add(r);
            }
            response.responses().add(topic);
        }
        return CompletableFuture.completedFuture(response);
    }
}
