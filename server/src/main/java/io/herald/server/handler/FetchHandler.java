package io.herald.server.handler;

import io.herald.log.LogSlice;
import io.herald.log.OffsetOutOfRangeException;
import io.herald.log.TopicPartition;
import io.herald.server.fetch.DelayedFetches;
import io.herald.server.fetch.FetchSession;
import io.herald.server.fetch.FetchSessionCache;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.metrics.BrokerMetrics;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RecordsAdapter;
import io.herald.server.protocol.RequestContext;
import io.herald.server.protocol.SliceRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Fetch (key 1) for consumers and followers. A follower (a request with a replica id) reads up to the log end offset
 * and its fetch offset tells the leader its progress ({@link FollowerFetches}); a consumer reads whole batches from each partition's log up to the high watermark (the last stable
 * offset for read_committed), within the request's and each partition's byte limits, and sends them zero-copy from the
 * segment files (see {@link SliceRecords}). With {@code fetch.min.bytes} not reached it waits, without a thread, up to
 * {@code fetch.max.wait.ms} for appends ({@link DelayedFetches}). Incremental fetch sessions (KIP-227) are served by
 * {@link FetchSessionCache}: an incremental response carries only the partitions with records, errors or a changed
 * high watermark or log start offset.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class FetchHandler implements ApiHandler<FetchRequestData> {

    private static final int INITIAL_EPOCH = 0;
    private static final int FINAL_EPOCH = -1;

    private final MetadataStore metadata;
    private final PartitionManager partitions;
    private final FetchSessionCache sessions;
    private final DelayedFetches delayed;
    private final BrokerMetrics metrics;
    private final FollowerFetches followers;

    /** Told of each follower's fetch at a partition this broker leads (its progress, for the ISR and HW). */
    public interface FollowerFetches {
        void onFollowerFetch(Partition partition, int replicaId, long fetchOffset);
    }

    public FetchHandler(PartitionManager partitions, FetchSessionCache sessions, DelayedFetches delayed) {
        this(partitions, sessions, delayed, new BrokerMetrics());
    }

    /** A handler that counts the bytes and messages its responses carry in {@code metrics}. */
    public FetchHandler(
            PartitionManager partitions, FetchSessionCache sessions, DelayedFetches delayed, BrokerMetrics metrics) {
        this(partitions, sessions, delayed, metrics, (p, r, o) -> {});
    }

    /** A handler that also tells {@code followers} of each follower's fetch (a broker in a cluster). */
    public FetchHandler(
            PartitionManager partitions,
            FetchSessionCache sessions,
            DelayedFetches delayed,
            BrokerMetrics metrics,
            FollowerFetches followers) {
        this.metadata = partitions.metadata();
        this.partitions = partitions;
        this.sessions = sessions;
        this.delayed = delayed;
        this.metrics = metrics;
        this.followers = followers;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public short maxVersion() {
        return 17;
    }

    /** What a request asks to read, and in which session. */
    private record Plan(
            FetchSession session,
            boolean incremental,
            List<Map.Entry<FetchSession.Key, FetchSession.Entry>> entries,
            Errors error) {}

    /** What one partition gave; {@code slice} is {@code null} when it gave no records. */
    private record Result(FetchSession.Key key, FetchSession.Entry entry, PartitionData data, LogSlice slice) {}

    /** One pass of reading. */
    private record Read(List<Result> results, long bytes, boolean anyError) {}

    @Override
    public CompletableFuture<FetchResponseData> handle(RequestContext context, FetchRequestData request) {
        short version = context.version();
        if (FetchRequest.replicaId(request) >= 0 && !context.authorizedOnCluster(AclOperation.CLUSTER_ACTION)) {
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setSessionId(0));
        }
        Plan plan = plan(request, version);
        if (plan.error() != null) {
            return CompletableFuture.completedFuture(
                    new FetchResponseData().setErrorCode(plan.error().code()).setSessionId(0));
        }
        boolean committed = request.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        // the hot path: without an authorizer there is nothing to collect
        Set<String> denied = context.authorizing()
                ? plan.entries().stream()
                        .map(e -> e.getKey().topic())
                        .filter(Objects::nonNull)
                        .distinct()
                        .filter(t -> !context.authorized(AclOperation.READ, ResourceType.TOPIC, t))
                        .collect(java.util.stream.Collectors.toSet())
                : Set.of();
        int replicaId = version >= 15 ? request.replicaState().replicaId() : request.replicaId();
        Reader reader = new Reader(replicaId, currentEpochs(request, version), denied);
        Read first = read(plan, request.maxBytes(), committed, version, reader);
        if (request.maxWaitMs() <= 0
                || first.bytes() >= request.minBytes()
                || first.anyError()
                || plan.entries().isEmpty()) {
            return CompletableFuture.completedFuture(finish(plan, first, version));
        }
        CompletableFuture<FetchResponseData> future = new CompletableFuture<>();
        Set<TopicPartition> keys = new HashSet<>();
        for (Map.Entry<FetchSession.Key, FetchSession.Entry> e : plan.entries()) {
            if (e.getKey().topic() != null) {
                keys.add(new TopicPartition(e.getKey().topic(), e.getKey().partition()));
            }
        }
        delayed.await(
                keys,
                request.maxWaitMs(),
                () -> {
                    Read again = read(plan, request.maxBytes(), committed, version, reader.again());
                    if (again.bytes() >= request.minBytes() || again.anyError()) {
                        future.complete(finish(plan, again, version));
                        return true;
                    }
                    return false;
                },
                () -> {
                    try {
                        future.complete(finish(
                                plan, read(plan, request.maxBytes(), committed, version, reader.again()), version));
                    } catch (RuntimeException e) {
                        future.completeExceptionally(e);
                    }
                });
        return future;
    }

    private Plan plan(FetchRequestData request, short version) {
        int sessionId = request.sessionId();
        int epoch = request.sessionEpoch();
        if (epoch == FINAL_EPOCH || epoch == INITIAL_EPOCH) {
            if (sessionId != 0) {
                sessions.remove(sessionId);
            }
            FetchSession session = epoch == INITIAL_EPOCH ? sessions.create() : null;
            List<Map.Entry<FetchSession.Key, FetchSession.Entry>> entries = new ArrayList<>();
            for (FetchRequestData.FetchTopic topic : request.topics()) {
                for (FetchRequestData.FetchPartition p : topic.partitions()) {
                    FetchSession.Key key = key(topic.topicId(), topic.topic(), p.partition(), version);
                    if (session != null) {
                        session.upsert(key, p.fetchOffset(), p.partitionMaxBytes());
                    }
                    entries.add(Map.entry(key, new FetchSession.Entry(p.fetchOffset(), p.partitionMaxBytes())));
                }
            }
            if (session != null) {
                entries = session.entries();
            }
            return new Plan(session, false, entries, null);
        }
        FetchSession session = sessions.get(sessionId);
        if (session == null) {
            return new Plan(null, false, List.of(), Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        synchronized (session) {
            if (epoch != session.expectedEpoch()) {
                return new Plan(null, false, List.of(), Errors.INVALID_FETCH_SESSION_EPOCH);
            }
            for (FetchRequestData.FetchTopic topic : request.topics()) {
                for (FetchRequestData.FetchPartition p : topic.partitions()) {
                    session.upsert(
                            key(topic.topicId(), topic.topic(), p.partition(), version),
                            p.fetchOffset(),
                            p.partitionMaxBytes());
                }
            }
            for (FetchRequestData.ForgottenTopic forgotten : request.forgottenTopicsData()) {
                for (int p : forgotten.partitions()) {
                    session.forget(key(forgotten.topicId(), forgotten.topic(), p, version));
                }
            }
            session.advanceEpoch();
            return new Plan(session, true, session.entries(), null);
        }
    }

    /** The session key of a requested partition: by topic id from v13 on, by name before. */
    private FetchSession.Key key(Uuid topicId, String name, int partition, short version) {
        if (version >= 13) {
            String resolved = metadata.topic(topicId).map(TopicInfo::name).orElse(null);
            return new FetchSession.Key(topicId, resolved, partition);
        }
        Uuid id = metadata.topic(name).map(TopicInfo::id).orElse(Uuid.ZERO_UUID);
        return new FetchSession.Key(id, name, partition);
    }

    /**
     * Who reads and with which leader epochs: a follower (replica id >= 0) reads up to the log end offset and reports
     * its progress once per request; a consumer reads up to the high watermark. Topics in {@code denied} get
     * TOPIC_AUTHORIZATION_FAILED.
     */
    private record Reader(int replicaId, Map<FetchSession.Key, Integer> epochs, Set<String> denied, boolean reported) {
        Reader(int replicaId, Map<FetchSession.Key, Integer> epochs, Set<String> denied) {
            this(replicaId, epochs, denied, false);
        }

        boolean follower() {
            return replicaId >= 0;
        }

        Reader again() {
            return new Reader(replicaId, epochs, denied, true);
        }
    }

    /** The current leader epoch each requested partition names (-1: none). */
    private Map<FetchSession.Key, Integer> currentEpochs(FetchRequestData request, short version) {
        Map<FetchSession.Key, Integer> epochs = new java.util.HashMap<>();
        if (version < 9) {
            return epochs;
        }
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                if (p.currentLeaderEpoch() >= 0) {
                    epochs.put(key(topic.topicId(), topic.topic(), p.partition(), version), p.currentLeaderEpoch());
                }
            }
        }
        return epochs;
    }

    private Read read(Plan plan, int maxBytes, boolean committed, short version, Reader reader) {
        List<Result> results = new ArrayList<>();
        long budget = maxBytes;
        long bytes = 0;
        boolean anyError = false;
        for (Map.Entry<FetchSession.Key, FetchSession.Entry> e : plan.entries()) {
            FetchSession.Key key = e.getKey();
            FetchSession.Entry wanted = e.getValue();
            PartitionData data =
                    new PartitionData().setPartitionIndex(key.partition()).setRecords(RecordsAdapter.empty());
            if (key.topic() != null && reader.denied().contains(key.topic())) {
                anyError = true;
                data.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setHighWatermark(-1)
                        .setLastStableOffset(-1)
                        .setLogStartOffset(-1);
                results.add(new Result(key, wanted, data, null));
                continue;
            }
            LogSlice sent = null;
            try {
                Optional<Partition> partition = key.topic() == null
                        ? Optional.empty()
                        : partitions.partitionOrStorageError(new TopicPartition(key.topic(), key.partition()));
                if (version >= 13
                        && partition.isPresent()
                        && !partition.get().topicId().equals(key.topicId())) {
                    // The topic was deleted and created again under its name: the id the client asks for is gone.
                    anyError = true;
                    data.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                            .setHighWatermark(-1)
                            .setLastStableOffset(-1)
                            .setLogStartOffset(-1);
                } else if (partition.isEmpty()) {
                    anyError = true;
                    data.setErrorCode(
                                    key.topic() == null && !Uuid.ZERO_UUID.equals(key.topicId())
                                            ? Errors.UNKNOWN_TOPIC_ID.code()
                                            : Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setHighWatermark(-1)
                            .setLastStableOffset(-1)
                            .setLogStartOffset(-1);
                } else if (!partition.get().isLeader()) {
                    anyError = true;
                    data.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code())
                            .setHighWatermark(-1)
                            .setLastStableOffset(-1)
                            .setLogStartOffset(-1);
                } else if (epochError(reader, key, partition.get()) != Errors.NONE) {
                    anyError = true;
                    data.setErrorCode(epochError(reader, key, partition.get()).code())
                            .setHighWatermark(-1)
                            .setLastStableOffset(-1)
                            .setLogStartOffset(-1);
                } else {
                    Partition p = partition.get();
                    if (reader.follower() && !reader.reported()) {
                        followers.onFollowerFetch(p, reader.replicaId(), wanted.fetchOffset);
                    }
                    long hw = p.highWatermark();
                    long lso = p.lastStableOffset();
                    data.setHighWatermark(hw).setLastStableOffset(lso).setLogStartOffset(p.logStartOffset());
                    if (budget > 0) {
                        int limit = (int) Math.min(wanted.maxBytes, budget);
                        long upTo = reader.follower() ? Long.MAX_VALUE : committed ? lso : hw;
                        LogSlice slice = p.log().read(wanted.fetchOffset, limit, upTo, bytes == 0);
                        if (!slice.isEmpty()) {
                            sent = slice;
                            data.setRecords(new SliceRecords(slice));
                            bytes += slice.length();
                            budget -= slice.length();
                        }
                    }
                }
            } catch (OffsetOutOfRangeException ex) {
                anyError = true;
                data.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
                if (reader.follower() && key.topic() != null) {
                    partitions
                            .partition(new TopicPartition(key.topic(), key.partition()))
                            .ifPresent(p ->
                                    data.setLogStartOffset(p.logStartOffset()).setHighWatermark(p.highWatermark()));
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            } catch (RuntimeException ex) {
                anyError = true;
                data.setErrorCode(ErrorMapper.toError(ex).code());
            }
            results.add(new Result(key, wanted, data, sent));
        }
        return new Read(results, bytes, anyError);
    }

    /** FENCED_LEADER_EPOCH for a reader behind the leader's epoch, UNKNOWN_LEADER_EPOCH for one ahead of it. */
    private static Errors epochError(Reader reader, FetchSession.Key key, Partition p) {
        Integer epoch = reader.epochs().get(key);
        if (epoch == null || epoch == p.leaderEpoch()) {
            return Errors.NONE;
        }
        return epoch < p.leaderEpoch() ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
    }

    /** The response: every partition for a full fetch, only those with news for an incremental one. */
    private FetchResponseData finish(Plan plan, Read read, short version) {
        FetchResponseData response = new FetchResponseData()
                .setSessionId(plan.session() == null ? 0 : plan.session().id());
        List<FetchSession.Key> served = new ArrayList<>();
        FetchableTopicResponse current = null;
        for (Result r : read.results()) {
            FetchSession.Key key = r.key();
            PartitionData data = r.data();
            boolean hasRecords = data.records().sizeInBytes() > 0;
            if (hasRecords) {
                served.add(key);
                if (r.slice() != null) {
                    long from = Math.max(r.entry().fetchOffset, r.slice().firstOffset());
                    metrics.fetched(
                            key.topic(),
                            r.slice().length(),
                            Math.max(0, r.slice().nextOffset() - from));
                }
            }
            if (plan.session() != null && !news(plan.incremental(), r.entry(), data, hasRecords)) {
                continue;
            }
            if (current == null
                    || !Objects.equals(current.topicId(), key.topicId())
                    || (version < 13 && !Objects.equals(current.topic(), key.topic()))) {
                current = new FetchableTopicResponse().setTopic(key.topic()).setTopicId(key.topicId());
                response.responses().add(current);
            }
            current.partitions().add(data);
        }
        if (plan.session() != null) {
            plan.session().rotate(served);
        }
        return response;
    }

    /** Whether the session's client must hear about this partition, recording what it is told. */
    private static boolean news(boolean incremental, FetchSession.Entry known, PartitionData data, boolean hasRecords) {
        boolean changed =
                known.sentHighWatermark != data.highWatermark() || known.sentLogStartOffset != data.logStartOffset();
        known.sentHighWatermark = data.highWatermark();
        known.sentLogStartOffset = data.logStartOffset();
        return !incremental || hasRecords || data.errorCode() != Errors.NONE.code() || changed;
    }
}
