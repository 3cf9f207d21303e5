package io.herald.server.handler;

import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.ShareFetchService;
import io.herald.server.share.ShareSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData.PartitionData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * ShareAcknowledge (key 79, KIP-932): accepts, releases, rejects or renews records the member acquired, within its
 * share session (which it cannot open: epoch 0 is refused). Epoch -1 acknowledges, then closes the session and
 * releases whatever the member still holds.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ShareAcknowledgeHandler implements ApiHandler<ShareAcknowledgeRequestData> {

    private final ShareFetchService service;
    private final int nodeId;

    public ShareAcknowledgeHandler(ShareFetchService service, int nodeId) {
        this.service = service;
        this.nodeId = nodeId;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_ACKNOWLEDGE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<ShareAcknowledgeResponseData> handle(
            RequestContext context, ShareAcknowledgeRequestData request) {
        String group = request.groupId();
        String member = request.memberId();
        Optional<ApiError> refusal = ShareRequests.refusal(context, group, member);
        if (refusal.isPresent()) {
            return done(error(refusal.get().error(), refusal.get().message()));
        }
        int epoch = request.shareSessionEpoch();
        if (epoch == 0) {
            return done(error(Errors.INVALID_SHARE_SESSION_EPOCH, "ShareAcknowledge cannot open a share session"));
        }
        Optional<ShareSession> session = service.manager().session(group, member);
        if (session.isEmpty()) {
            return done(error(Errors.SHARE_SESSION_NOT_FOUND, "No share session for member " + member));
        }
        if (epoch != -1 && !session.get().advance(epoch)) {
            return done(error(
                    Errors.INVALID_SHARE_SESSION_EPOCH,
                    "Expected share session epoch " + session.get().nextEpoch() + ", got " + epoch));
        }
        ShareAcknowledgeResponseData response = new ShareAcknowledgeResponseData()
                .setAcquisitionLockTimeoutMs(service.manager().settings(group).recordLockDurationMs());
        for (ShareAcknowledgeRequestData.AcknowledgeTopic topic : request.topics()) {
            ShareAcknowledgeTopicResponse t = new ShareAcknowledgeTopicResponse().setTopicId(topic.topicId());
            response.responses().add(t);
            for (ShareAcknowledgeRequestData.AcknowledgePartition p : topic.partitions()) {
                PartitionData d = new PartitionData().setPartitionIndex(p.partitionIndex());
                d.currentLeader().setLeaderId(nodeId).setLeaderEpoch(0);
                t.partitions().add(d);
                Optional<TopicIdPartition> tp = service.resolve(topic.topicId(), p.partitionIndex());
                if (tp.isEmpty()) {
                    d.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
                    continue;
                }
                List<ShareFetchService.AckBatch> batches = new ArrayList<>();
                p.acknowledgementBatches()
                        .forEach(b -> batches.add(
                                new ShareFetchService.AckBatch(b.firstOffset(), b.lastOffset(), b.acknowledgeTypes())));
                Optional<ApiException> e = service.acknowledge(group, member, tp.get(), batches);
                e.ifPresent(ex -> d.setErrorCode(Errors.forException(ex).code()).setErrorMessage(ex.getMessage()));
                if (d.errorCode() == Errors.NOT_LEADER_OR_FOLLOWER.code()) {
                    d.currentLeader().setLeaderId(-1).setLeaderEpoch(-1); // the client refreshes metadata
                }
            }
        }
        if (epoch == -1) {
            service.manager().closeSession(group, member); // its releases go into the write below
        }
        CompletableFuture<Void> written;
        try {
            written = service.flush(true);
        } catch (ApiException e) {
            return done(error(Errors.forException(e), e.getMessage()));
        }
        // The acknowledgements are durable (and, in a cluster, replicated) before they are answered.
        return written.handle((v, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                return error(Errors.forException(cause), cause.getMessage());
            }
            return response;
        });
    }

    private static ShareAcknowledgeResponseData error(Errors error, String message) {
        return new ShareAcknowledgeResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }

    private static CompletableFuture<ShareAcknowledgeResponseData> done(ShareAcknowledgeResponseData data) {
        return CompletableFuture.completedFuture(data);
    }
}
