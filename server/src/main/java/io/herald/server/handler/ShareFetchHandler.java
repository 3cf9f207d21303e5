package io.herald.server.handler;

import io.herald.log.TopicPartition;
import io.herald.server.fetch.DelayedFetches;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RecordsAdapter;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.ShareFetchService;
import io.herald.server.share.ShareSession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareFetchResponseData.PartitionData;
import org.apache.kafka.common.message.ShareFetchResponseData.ShareFetchableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ShareFetch (key 78, KIP-932): within the member's share session, applies the piggy-backed acknowledgements, then
 * acquires records from the session's partitions for this member (records another member holds are skipped) and
 * answers them with their acquired ranges and delivery counts. With nothing to acquire it waits, without a thread, up
 * to {@code MaxWaitMs} for appends ({@link DelayedFetches}). Epoch 0 opens a session, -1 closes it and releases what
 * the member holds. Both acquire modes of v2 stop at {@code MaxRecords} exactly (batches are sent whole; the client delivers only
 * the acquired offsets), so competing members share a large batch.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ShareFetchHandler implements ApiHandler<ShareFetchRequestData> {

    private final ShareFetchService service;
    private final DelayedFetches delayed;
    private final int nodeId;

    public ShareFetchHandler(ShareFetchService service, DelayedFetches delayed, int nodeId) {
        this.service = service;
        this.delayed = delayed;
        this.nodeId = nodeId;
        // Acknowledgements and releases free records without an append: wake the fetches waiting on that partition.
        service.manager().addFreedListener(delayed::onAppend);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_FETCH;
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
    public CompletableFuture<ShareFetchResponseData> handle(RequestContext context, ShareFetchRequestData request) {
        String group = request.groupId();
        String member = request.memberId();
        Optional<ApiError> refusal = ShareRequests.refusal(context, group, member);
        if (refusal.isPresent()) {
            return done(error(refusal.get().error(), refusal.get().message()));
        }
        for (ShareFetchRequestData.FetchTopic topic : request.topics()) {
            Optional<String> name = service.resolve(topic.topicId(), 0).map(TopicIdPartition::topic);
            if (name.isPresent() && !context.authorized(AclOperation.READ, ResourceType.TOPIC, name.get())) {
                return done(error(Errors.TOPIC_AUTHORIZATION_FAILED, "Not authorized to read topic " + name.get()));
            }
        }
        int epoch = request.shareSessionEpoch();
        boolean hasAcks = request.topics().stream()
                .flatMap(t -> t.partitions().stream())
                .anyMatch(p -> !p.acknowledgementBatches().isEmpty());
        ShareSession session;
        if (epoch == 0) {
            if (hasAcks) {
                return done(error(Errors.INVALID_REQUEST, "Acknowledgements cannot open a share session"));
            }
            session = service.manager().openSession(group, member);
        } else {
            Optional<ShareSession> existing = service.manager().session(group, member);
            if (existing.isEmpty()) {
                return done(error(Errors.SHARE_SESSION_NOT_FOUND, "No share session for member " + member));
            }
            session = existing.get();
            if (epoch != -1 && !session.advance(epoch)) {
                return done(error(
                        Errors.INVALID_SHARE_SESSION_EPOCH,
                        "Expected share session epoch " + session.nextEpoch() + ", got " + epoch));
            }
        }
        Map<TopicIdPartition, PartitionData> response = new LinkedHashMap<>();
        for (ShareFetchRequestData.FetchTopic topic : request.topics()) {
            for (ShareFetchRequestData.FetchPartition p : topic.partitions()) {
                Optional<TopicIdPartition> tp = service.resolve(topic.topicId(), p.partitionIndex());
                if (tp.isEmpty()) {
                    response.put(
                            new TopicIdPartition(topic.topicId(), p.partitionIndex(), null),
                            partitionData(p.partitionIndex(), -1)
                                    .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                                    .setAcknowledgeErrorCode(
                                            p.acknowledgementBatches().isEmpty() ? 0 : Errors.UNKNOWN_TOPIC_ID.code()));
                    continue;
                }
                if (epoch != -1) {
                    session.add(tp.get());
                }
                if (!p.acknowledgementBatches().isEmpty()) {
                    List<ShareFetchService.AckBatch> batches = new ArrayList<>();
                    p.acknowledgementBatches()
                            .forEach(b -> batches.add(new ShareFetchService.AckBatch(
                                    b.firstOffset(), b.lastOffset(), b.acknowledgeTypes())));
                    Optional<ApiException> ackError = service.acknowledge(group, member, tp.get(), batches);
                    PartitionData d = partitionData(p.partitionIndex(), -1);
                    ackError.ifPresent(e -> d.setAcknowledgeErrorCode(
                                    Errors.forException(e).code())
                            .setAcknowledgeErrorMessage(e.getMessage()));
                    response.put(tp.get(), d);
                }
            }
        }
        for (ShareFetchRequestData.ForgottenTopic f : request.forgottenTopicsData()) {
            for (int p : f.partitions()) {
                service.resolve(f.topicId(), p).ifPresent(session::remove);
            }
        }
        int lockMs = service.manager().settings(group).recordLockDurationMs();
        if (epoch == -1) {
            service.manager().closeSession(group, member);
            return finish(response, lockMs);
        }
        if (request.maxRecords() <= 0 || request.maxBytes() <= 0) {
            return finish(response, lockMs);
        }
        String clientId = context.clientId();
        List<ShareFetchService.PartitionResult> first = acquire(group, member, clientId, session, request);
        // Acknowledgements alone do not answer a fetch, as in Kafka: it waits for records like any other, so a consumer
        // that acknowledges with each fetch makes one round trip per window, not one to acknowledge and one to wait.
        if (!first.isEmpty() || request.maxWaitMs() <= 0 || hasFetchError(response)) {
            merge(response, first);
            return finish(response, lockMs);
        }
        CompletableFuture<ShareFetchResponseData> future = new CompletableFuture<>();
        Set<TopicPartition> keys = new HashSet<>();
        session.partitionsInTurn().forEach(tp -> keys.add(new TopicPartition(tp.topic(), tp.partition())));
        delayed.await(
                keys,
                request.maxWaitMs(),
                () -> {
                    List<ShareFetchService.PartitionResult> again = acquire(group, member, clientId, session, request);
                    if (again.isEmpty()) {
                        return false;
                    }
                    merge(response, again);
                    complete(future, response, lockMs);
                    return true;
                },
                () -> {
                    try {
                        merge(response, acquire(group, member, clientId, session, request));
                    } catch (RuntimeException e) {
                        future.completeExceptionally(e);
                        return;
                    }
                    complete(future, response, lockMs);
                });
        return future;
    }

    private static boolean hasFetchError(Map<TopicIdPartition, PartitionData> response) {
        return response.values().stream().anyMatch(d -> d.errorCode() != Errors.NONE.code());
    }

    private List<ShareFetchService.PartitionResult> acquire(
            String group, String member, String clientId, ShareSession session, ShareFetchRequestData request) {
        return service.acquire(
                group, member, clientId, session.partitionsInTurn(), request.maxRecords(), request.maxBytes());
    }

    private void merge(Map<TopicIdPartition, PartitionData> response, List<ShareFetchService.PartitionResult> results) {
        for (ShareFetchService.PartitionResult r : results) {
            PartitionData d = response.computeIfAbsent(r.tp(), tp -> partitionData(tp.partition(), r.leaderEpoch()));
            d.currentLeader().setLeaderId(nodeId).setLeaderEpoch(r.leaderEpoch());
            if (r.error() == Errors.NOT_LEADER_OR_FOLLOWER) {
                d.currentLeader().setLeaderId(-1).setLeaderEpoch(-1); // unknown here: the client refreshes metadata
            }
            if (r.error() != Errors.NONE) {
                d.setErrorCode(r.error().code()).setErrorMessage(r.message());
                continue;
            }
            d.setRecords(RecordsAdapter.of(r.records()));
            r.acquired()
                    .forEach(a -> d.acquiredRecords()
                            .add(new ShareFetchResponseData.AcquiredRecords()
                                    .setFirstOffset(a.first())
                                    .setLastOffset(a.last())
                                    .setDeliveryCount((short) a.deliveryCount())));
        }
    }

    private PartitionData partitionData(int partition, int leaderEpoch) {
        PartitionData d = new PartitionData().setPartitionIndex(partition).setRecords(RecordsAdapter.empty());
        d.currentLeader().setLeaderId(nodeId).setLeaderEpoch(leaderEpoch);
        return d;
    }

    private void complete(
            CompletableFuture<ShareFetchResponseData> future,
            Map<TopicIdPartition, PartitionData> response,
            int lockMs) {
        finish(response, lockMs).whenComplete((r, e) -> {
            if (e != null) {
                future.completeExceptionally(e);
            } else {
                future.complete(r);
            }
        });
    }

    /**
     * The answer, once the share-state changes of this request are written (one group-committed append; in a
     * cluster, once the state topic's in-sync replicas have it, waited for without a thread). A write that fails is
     * answered as a request error: the records it acquired come back when their lock runs out.
     */
    private CompletableFuture<ShareFetchResponseData> finish(
            Map<TopicIdPartition, PartitionData> partitions, int lockMs) {
        CompletableFuture<Void> written;
        try {
            written = service.flush(false); // the fsync follows (the client does not wait on it)
        } catch (ApiException e) {
            return done(error(Errors.forException(e), e.getMessage()));
        }
        return written.handle((v, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                return error(Errors.forException(cause), cause.getMessage());
            }
            return response(partitions, lockMs);
        });
    }

    private static ShareFetchResponseData response(Map<TopicIdPartition, PartitionData> partitions, int lockMs) {
        ShareFetchResponseData response = new ShareFetchResponseData().setAcquisitionLockTimeoutMs(lockMs);
        partitions.forEach((tp, d) -> {
            ShareFetchableTopicResponse t = response.responses().find(tp.topicId());
            if (t == null) {
                t = new ShareFetchableTopicResponse().setTopicId(tp.topicId());
                response.responses().add(t);
            }
            t.partitions().add(d);
        });
        return response;
    }

    private static ShareFetchResponseData error(Errors error, String message) {
        return new ShareFetchResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }

    private static CompletableFuture<ShareFetchResponseData> done(ShareFetchResponseData data) {
        return CompletableFuture.completedFuture(data);
    }
}
