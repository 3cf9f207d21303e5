package io.herald.server.replication;

import io.herald.log.TopicPartition;
import io.herald.log.UnexpectedAppendOffsetException;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.partition.LeaderEpochCache;
import io.herald.server.partition.Partition;
import io.herald.server.protocol.RecordsAdapter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the logs of the partitions that one leader broker leads and this broker follows: a thread with one
 * connection to that leader. A partition starts in the <em>truncating</em> state: the fetcher asks the leader, with
 * OffsetForLeaderEpoch, where the follower's newest epoch ends on the leader and truncates its own log there (a
 * returning replica drops the tail the new leader never had). Then it is <em>fetching</em>: Fetch requests carry this
 * broker's replica id and the fetch offset (the follower's log end offset, which tells the leader its progress),
 * long-polling on the leader for {@code replica.fetch.wait.max.ms}; records are appended keeping their offsets and
 * epochs, and the follower's high watermark follows the leader's.
 *
 * <p>A partition the leader refuses (not the leader, stale or unknown epoch) is retried after {@code
 * replica.fetch.backoff.ms}; the next cluster image moves it to the right fetcher.
 *
 * <p>Thread-safety: {@link #add}, {@link #remove} and {@link #close} are thread-safe; the rest runs on the fetcher's
 * thread.
 */
final class ReplicaFetcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);
    private static final short FETCH_VERSION = 12;
    private static final short EPOCH_VERSION = 4;

    /** Settings of the fetchers. */
    record Settings(
            int localId,
            String listener,
            int maxWaitMs,
            int maxBytes,
            int partitionMaxBytes,
            long backoffMs,
            int socketTimeoutMs,
            long producerExpirationMs,
            Map<String, Object> clientSecurity) {}

    private static final class Target {
        final Partition partition;
        final int leaderEpoch;
        volatile boolean truncating = true;
        volatile long delayedUntilMs;

        Target(Partition partition, int leaderEpoch) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
        }
    }

    private final int leaderId;
    private final Settings settings;
    private final IntFunction<Optional<BrokerNode>> brokers;
    private final Map<TopicPartition, Target> targets = new ConcurrentHashMap<>();
    private final BlockingQueue<Object> wakeups = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile InterBrokerClient client;
    private String lastRefusal;

    ReplicaFetcher(int leaderId, Settings settings, IntFunction<Optional<BrokerNode>> brokers) {
        this.leaderId = leaderId;
        this.settings = settings;
        this.brokers = brokers;
        this.thread = new Thread(this::run, "herald-replica-fetcher-" + settings.localId() + "-from-" + leaderId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts following {@code partition} in {@code leaderEpoch} (checking for divergence first). */
    void add(Partition partition, int leaderEpoch) {
        targets.put(partition.topicPartition(), new Target(partition, leaderEpoch));
        wakeups.add(Boolean.TRUE);
    }

    void remove(TopicPartition tp) {
        targets.remove(tp);
    }

    boolean isEmpty() {
        return targets.isEmpty();
    }

    private void run() {
        while (running) {
            try {
                if (targets.isEmpty()) {
                    wakeups.poll(1, TimeUnit.SECONDS);
                    continue;
                }
                ensureConnected();
                long now = System.currentTimeMillis();
                Map<TopicPartition, Target> truncating = new LinkedHashMap<>();
                Map<TopicPartition, Target> fetching = new LinkedHashMap<>();
                targets.forEach((tp, t) -> {
                    if (t.delayedUntilMs <= now) {
                        (t.truncating ? truncating : fetching).put(tp, t);
                    }
                });
                if (!truncating.isEmpty()) {
                    truncate(truncating);
                } else if (!fetching.isEmpty()) {
                    fetch(fetching);
                } else {
                    wakeups.poll(settings.backoffMs(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                disconnect();
                if (running) {
                    if (e instanceof AuthenticationException && !e.toString().equals(lastRefusal)) {
                        // Misconfigured credentials or certificates: the operator must hear of it, once per cause.
                        lastRefusal = e.toString();
                        log.warn("Broker {} refused this follower's connection: {}", leaderId, e.getMessage());
                    }
                    log.debug("Fetcher from broker {}: {}", leaderId, e.toString());
                    try {
                        wakeups.poll(settings.backoffMs(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException ie) {
                        break;
                    }
                }
            }
        }
        disconnect();
    }

    private void ensureConnected() throws IOException {
        if (client != null) {
            return;
        }
        BrokerNode leader =
                brokers.apply(leaderId).orElseThrow(() -> new IOException("Broker " + leaderId + " is not registered"));
        BrokerNode.Endpoint e = leader.endpoint(settings.listener())
                .orElseThrow(() -> new IOException("Broker " + leaderId + " has no " + settings.listener()));
        client = InterBrokerClient.connect(
                leaderId,
                e.host(),
                e.port(),
                "herald-replica-" + settings.localId(),
                settings.clientSecurity(),
                settings.socketTimeoutMs() + settings.maxWaitMs());
    }

    private void disconnect() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    // ---- divergence -------------------------------------------------------------------------------------------------

    private void truncate(Map<TopicPartition, Target> batch) throws IOException {
        OffsetForLeaderEpochRequestData request =
                new OffsetForLeaderEpochRequestData().setReplicaId(settings.localId());
        Map<String, OffsetForLeaderTopic> topics = new LinkedHashMap<>();
        List<TopicPartition> asked = new ArrayList<>();
        for (Map.Entry<TopicPartition, Target> e : batch.entrySet()) {
            Target t = e.getValue();
            int latest = t.partition.latestEpoch();
            if (latest < 0) {
                t.truncating = false; // no history to diverge from
                continue;
            }
            asked.add(e.getKey());
            topics.computeIfAbsent(e.getKey().topic(), n -> new OffsetForLeaderTopic().setTopic(n))
                    .partitions()
                    .add(new OffsetForLeaderPartition()
                            .setPartition(e.getKey().partition())
                            .setCurrentLeaderEpoch(t.leaderEpoch)
                            .setLeaderEpoch(latest));
        }
        if (asked.isEmpty()) {
            return;
        }
        request.topics().addAll(topics.values());
        OffsetForLeaderEpochResponseData response = client.send(request, EPOCH_VERSION);
        for (OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topic : response.topics()) {
            for (EpochEndOffset r : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.topic(), r.partition());
                Target t = targets.get(tp);
                if (t == null || t != batch.get(tp)) {
                    continue; // removed or replaced meanwhile
                }
                if (r.errorCode() != Errors.NONE.code()) {
                    t.delayedUntilMs = System.currentTimeMillis() + settings.backoffMs();
                    continue;
                }
                truncateTo(t, r.leaderEpoch(), r.endOffset());
            }
        }
    }

    /** KIP-279: truncate to the smaller of the leader's end of the epoch and this replica's end of the same epoch. */
    private void truncateTo(Target t, int leaderEpoch, long leaderEndOffset) throws IOException {
        Partition p = t.partition;
        long target;
        if (leaderEpoch == LeaderEpochCache.UNDEFINED || leaderEndOffset == LeaderEpochCache.UNDEFINED) {
            target = p.logStartOffset(); // the leader knows none of this history: start over from the leader's log
        } else {
            LeaderEpochCache.EpochEnd mine = p.endOffsetForEpoch(leaderEpoch);
            long myEnd = mine.epoch() == leaderEpoch ? mine.endOffset() : p.logEndOffset();
            target = Math.min(leaderEndOffset, Math.min(myEnd, p.logEndOffset()));
        }
        if (target < p.logEndOffset()) {
            log.info(
                    "Truncating {} from {} to {} (leader {} says epoch {} ends at {})",
                    p.topicPartition(),
                    p.logEndOffset(),
                    target,
                    leaderId,
                    leaderEpoch,
                    leaderEndOffset);
            p.truncateTo(target, settings.producerExpirationMs());
        }
        t.truncating = false;
    }

    // ---- fetching ---------------------------------------------------------------------------------------------------

    private void fetch(Map<TopicPartition, Target> batch) throws IOException {
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(settings.localId())
                .setMaxWaitMs(settings.maxWaitMs())
                .setMinBytes(1)
                .setMaxBytes(settings.maxBytes())
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1);
        Map<String, FetchRequestData.FetchTopic> topics = new LinkedHashMap<>();
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Target> e : batch.entrySet()) {
            Partition p = e.getValue().partition;
            long offset = p.logEndOffset();
            offsets.put(e.getKey(), offset);
            topics.computeIfAbsent(e.getKey().topic(), n -> new FetchRequestData.FetchTopic().setTopic(n))
                    .partitions()
                    .add(new FetchRequestData.FetchPartition()
                            .setPartition(e.getKey().partition())
                            .setCurrentLeaderEpoch(e.getValue().leaderEpoch)
                            .setFetchOffset(offset)
                            .setLastFetchedEpoch(p.latestEpoch())
                            .setLogStartOffset(p.logStartOffset())
                            .setPartitionMaxBytes(settings.partitionMaxBytes()));
        }
        request.topics().addAll(topics.values());
        FetchResponseData response = client.send(request, FETCH_VERSION);
        if (response.errorCode() != Errors.NONE.code()) {
            throw new IOException("Fetch from broker " + leaderId + " failed: " + Errors.forCode(response.errorCode()));
        }
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponseData.PartitionData pd : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.topic(), pd.partitionIndex());
                Target t = targets.get(tp);
                if (t == null || t != batch.get(tp)) {
                    continue;
                }
                handle(t, pd, offsets.get(tp));
            }
        }
    }

    private void handle(Target t, FetchResponseData.PartitionData pd, long fetchOffset) throws IOException {
        Partition p = t.partition;
        Errors error = Errors.forCode(pd.errorCode());
        switch (error) {
            case NONE -> {
                ByteBuffer records = RecordsAdapter.bytes(pd.records());
                if (records.remaining() > 0) {
                    if (p.logEndOffset() != fetchOffset) {
                        return; // truncated meanwhile
                    }
                    try {
                        p.appendAsFollower(records);
                    } catch (UnexpectedAppendOffsetException e) {
                        t.truncating = true;
                        return;
                    }
                }
                if (pd.logStartOffset() > p.logStartOffset() && pd.logStartOffset() <= p.logEndOffset()) {
                    p.log().deleteRecordsBefore(pd.logStartOffset());
                }
                p.updateFollowerHighWatermark(pd.highWatermark());
            }
            case OFFSET_OUT_OF_RANGE -> {
                if (pd.logStartOffset() >= 0 && fetchOffset < pd.logStartOffset()) {
                    log.info(
                            "{} is behind the leader's log start {}: starting over there",
                            p.topicPartition(),
                            pd.logStartOffset());
                    p.truncateFullyAndStartAt(pd.logStartOffset());
                } else {
                    t.truncating = true;
                }
            }
            default -> t.delayedUntilMs = System.currentTimeMillis() + settings.backoffMs();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        InterBrokerClient c = client;
        if (c != null) {
            c.wakeUpAndClose(); // ends a request in progress
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
