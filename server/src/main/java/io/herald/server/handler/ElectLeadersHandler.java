package io.herald.server.handler;

import io.herald.log.TopicPartition;
import io.herald.server.cluster.PartitionAdministration;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ElectLeaders (key 43): preferred-leader election ({@code kafka-leader-election --election-type PREFERRED}, {@code
 * Admin.electLeaders}) for the listed partitions or all: each moves to its first replica where that one is alive and
 * in sync. Unclean election on demand is refused with INVALID_REQUEST (a topic's {@code
 * unclean.leader.election.enable} does it automatically instead). Needs ALTER on the cluster.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequestData> {

    private final PartitionAdministration admin;

    public ElectLeadersHandler(PartitionAdministration admin) {
        this.admin = admin;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<ElectLeadersResponseData> handle(RequestContext context, ElectLeadersRequestData request) {
        ElectLeadersResponseData response = new ElectLeadersResponseData();
        List<TopicPartition> asked = null;
        if (request.topicPartitions() != null) {
            asked = new ArrayList<>();
            for (ElectLeadersRequestData.TopicPartitions t : request.topicPartitions()) {
                for (int p : t.partitions()) {
                    asked.add(new TopicPartition(t.topic(), p));
                }
            }
        }
        Map<TopicPartition, Errors> results;
        String message = null;
        if (!context.authorizedOnCluster(AclOperation.ALTER)) {
            if (context.version() >= 1) {
                response.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
            }
            results = new LinkedHashMap<>();
            if (asked != null) {
                asked.forEach(tp -> results.put(tp, Errors.CLUSTER_AUTHORIZATION_FAILED));
            }
        } else if (context.version() >= 1 && request.electionType() != ElectionType.PREFERRED.value) {
            results = new LinkedHashMap<>();
            if (asked != null) {
                asked.forEach(tp -> results.put(tp, Errors.INVALID_REQUEST));
            }
            message = "Herald elects unclean leaders only automatically (unclean.leader.election.enable)";
        } else {
            try {
                results = admin.electPreferredLeaders(asked);
            } catch (Exception e) {
                if (context.version() >= 1) {
                    response.setErrorCode(ErrorMapper.toError(e).code());
                }
                return CompletableFuture.completedFuture(response);
            }
        }
        Map<String, ReplicaElectionResult> byTopic = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Errors> e : results.entrySet()) {
            Errors error = e.getValue();
            byTopic.computeIfAbsent(e.getKey().topic(), t -> new ReplicaElectionResult().setTopic(t))
                    .partitionResult()
                    .add(new PartitionResult()
                            .setPartitionId(e.getKey().partition())
                            .setErrorCode(error.code())
                            .setErrorMessage(
                                    error == Errors.NONE ? null : message != null ? message : error.message()));
        }
        response.replicaElectionResults().addAll(byTopic.values());
        return CompletableFuture.completedFuture(response);
    }
}
