package io.herald.server.handler;

import io.herald.server.cluster.ClusterView;
import io.herald.server.metadata.BrokerNode;
import io.herald.server.protocol.RequestContext;
import io.herald.server.replication.InterBrokerClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster, the other live brokers as share-group administration sees them: ListGroups, DescribeShareGroupOffsets,
 * AlterShareGroupOffsets and DeleteGroups of a share group concern share partitions led all over the cluster, so the
 * broker that answers passes the request on to the others (or, for AlterShareGroupOffsets, to the leaders of the
 * partitions it names) and merges their answers with its own.
 *
 * <p>Design note: a request passed on carries the client id {@link #PEER_CLIENT_ID}, and a broker answers such a
 * request from its own share partitions only, so passing on never recurses; a client that sends that client id gets
 * one broker's part, under its own ACLs. One short-lived {@link InterBrokerClient} per broker and request, with the
 * broker's inter-broker credentials (as the console's peer calls): administration is rare, and a connection per call
 * needs no cache to invalidate when brokers come and go. The calls run on a thread of this class, never on a request
 * handler thread, so that two brokers passing requests to each other cannot run out of handler threads; so does the
 * share-group administration that waits for the state topic ({@link #run}).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class SharePeers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharePeers.class);

    /** The client id of a request one broker passes on to another. */
    public static final String PEER_CLIENT_ID = "__herald_share_peer";

    /** What one broker answered, or why it did not. */
    record Reply<R>(int broker, Optional<R> response, Optional<RuntimeException> failure) {}

    private final Optional<ClusterView> cluster;
    private final int selfId;
    private final String listener;
    private final Supplier<Map<String, Object>> security;
    private final int timeoutMs;
    private final ExecutorService thread = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "herald-share-peers");
        t.setDaemon(true);
        return t;
    });

    private SharePeers(
            Optional<ClusterView> cluster,
            int selfId,
            String listener,
            Supplier<Map<String, Object>> security,
            int timeoutMs) {
        this.cluster = cluster;
        this.selfId = selfId;
        this.listener = listener;
        this.security = security;
        this.timeoutMs = timeoutMs;
    }

    /** A broker without a cluster: it has no peers, and answers everything itself. */
    public static SharePeers none() {
        return new SharePeers(Optional.empty(), -1, "", Map::of, 0);
    }

    /** The other brokers of {@code cluster}, reached on {@code listener} with {@code security}. */
    public static SharePeers of(
            ClusterView cluster, int selfId, String listener, Supplier<Map<String, Object>> security, int timeoutMs) {
        return new SharePeers(Optional.of(cluster), selfId, listener, security, timeoutMs);
    }

    /** Whether {@code context}'s request should be passed on: this broker is in a cluster and a client sent it. */
    boolean passesOn(RequestContext context) {
        return cluster.isPresent() && !PEER_CLIENT_ID.equals(context.clientId());
    }

    /** Whether another broker passed {@code context}'s request on: it is answered from this broker's part only. */
    boolean isPeerRequest(RequestContext context) {
        return cluster.isPresent() && PEER_CLIENT_ID.equals(context.clientId());
    }

    /** The other live brokers. */
    List<Integer> others() {
        return cluster.map(c -> c.liveBrokers().stream()
                        .map(BrokerNode::id)
                        .filter(id -> id != selfId)
                        .toList())
                .orElse(List.of());
    }

    /** The leader of a partition, if it is known and another broker. */
    Optional<Integer> remoteLeader(String topic, int partition) {
        return cluster.flatMap(c -> c.partition(topic, partition))
                .map(p -> p.leader())
                .filter(l -> l >= 0 && l != selfId);
    }

    /**
     * Runs {@code work} on a thread of this class: work that asks other brokers, or waits for a state-topic write to
     * be replicated, which a request handler thread must not wait for (replication needs the followers' fetches those
     * threads serve).
     */
    <T> CompletableFuture<T> run(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new CoordinatorNotAvailableException("The broker is shutting down"));
        }
    }

    /** Sends {@code requests} (by broker id) at {@code version}, one broker after the other; call it from {@link #run}. */
    <R extends ApiMessage> List<Reply<R>> ask(Map<Integer, ? extends ApiMessage> requests, short version) {
        List<Reply<R>> replies = new ArrayList<>();
        requests.forEach((broker, request) -> {
            try {
                replies.add(new Reply<>(broker, Optional.of(this.<R>send(broker, request, version)), Optional.empty()));
            } catch (IOException | RuntimeException e) {
                LOG.debug(
                        "Broker {} did not answer its part of {}",
                        broker,
                        request.getClass().getSimpleName(),
                        e);
                replies.add(new Reply<>(
                        broker,
                        Optional.empty(),
                        Optional.of(new CoordinatorNotAvailableException(
                                "Broker " + broker + " did not answer: " + e.getMessage()))));
            }
        });
        return replies;
    }

    /** Sends {@code request} to every other live broker; call it from {@link #run}. */
    <R extends ApiMessage> List<Reply<R>> askAll(ApiMessage request, short version) {
        Map<Integer, ApiMessage> requests = new LinkedHashMap<>();
        others().forEach(b -> requests.put(b, request));
        return ask(requests, version);
    }

    /** The responses of {@code replies} that came. */
    static <R> List<R> answered(Collection<Reply<R>> replies) {
        return replies.stream().flatMap(r -> r.response().stream()).toList();
    }

    private <R extends ApiMessage> R send(int broker, ApiMessage request, short version) throws IOException {
        BrokerNode node = cluster.flatMap(c -> c.broker(broker))
                .orElseThrow(() -> new IOException("Broker " + broker + " is not registered"));
        BrokerNode.Endpoint e = node.endpoint(listener)
                .orElseThrow(() -> new IOException("Broker " + broker + " has no listener " + listener));
        try (InterBrokerClient client =
                InterBrokerClient.connect(broker, e.host(), e.port(), PEER_CLIENT_ID, security.get(), timeoutMs)) {
            return client.send(request, version);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
