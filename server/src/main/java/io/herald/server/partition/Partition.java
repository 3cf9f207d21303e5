package io.herald.server.partition;

import io.herald.log.AppendInfo;
import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import io.herald.log.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.DuplicateSequenceException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.protocol.Errors;

/**
 * One replica of a partition on this broker: its log, the idempotent producers' state, its leader epoch history, and,
 * while it leads, the replication state of its followers (see {@link Replication}) from which the high watermark, the
 * ISR proposals and the completion of {@code acks=all} appends follow.
 *
 * <p>A partition opened without a cluster (tests of the coordinator, a log on its own) leads alone: its ISR is itself,
 * so the high watermark is the log end offset after every append.
 *
 * <p>Thread-safety: thread-safe. Appends and role changes are serialised by the partition's lock, which covers the
 * producer-state check and the write but not the fsync of the flush policy (see {@link
 * PartitionLog#appendAsLeaderDeferringFlush}); the high watermark, role and epochs are volatile for lock-free reads.
 */
public final class Partition {

    /** This broker's part in the partition. */
    public enum Role {
        LEADER,
        FOLLOWER
    }

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final PartitionLog log;
    private final Clock clock;
    private final int localId;
    private final ProducerStateManager producers = new ProducerStateManager();
    private final LeaderEpochCache epochs;
    private final List<Consumer<TopicPartition>> appendListeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, Replication.Follower> followers = new HashMap<>();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
    private volatile Role role;
    private volatile int leaderId;
    private volatile int leaderEpoch;
    private volatile int partitionEpoch;
    private volatile List<Integer> replicas;
    private volatile List<Integer> isr;
    private volatile long highWatermark;
    private volatile int minInsyncReplicas = 1;
    private boolean isrChangePending;
    /**
     * The ISR and any replica a pending expansion adds (Kafka's "maximal ISR", KIP-497): the high watermark waits for
     * it too, because the cluster may already count it in sync before this leader hears so.
     */
    private List<Integer> maximalIsr;

    private Partition(
            TopicPartition tp, Uuid topicId, PartitionLog log, Clock clock, int localId, LeaderEpochCache epochs) {
        this.topicPartition = tp;
        this.topicId = topicId;
        this.log = log;
        this.clock = clock;
        this.localId = localId;
        this.epochs = epochs;
        // Without a cluster (localId -1) the replica leads alone from the start; in a cluster it waits, as a follower
        // of nobody, for the cluster image to give it a role (so its first leadership is a new term).
        this.role = localId < 0 ? Role.LEADER : Role.FOLLOWER;
        this.leaderId = localId < 0 ? localId : -1;
        this.replicas = List.of(localId);
        this.isr = List.of(localId);
        this.maximalIsr = this.isr;
        this.leaderEpoch = Math.max(0, epochs.latestEpoch());
        this.highWatermark = log.logEndOffset();
    }

    /** Wraps an open log as its sole replica (no cluster) and rebuilds its producer state. */
    static Partition open(TopicPartition tp, Uuid topicId, PartitionLog log, Clock clock, long producerExpirationMs)
            throws IOException {
        return open(tp, topicId, log, clock, producerExpirationMs, -1);
    }

    /**
     * Wraps an open log and rebuilds its producer state from the batches of the last {@code producerExpirationMs}. The
     * partition leads alone until the cluster says otherwise.
     */
    static Partition open(
            TopicPartition tp, Uuid topicId, PartitionLog log, Clock clock, long producerExpirationMs, int localId)
            throws IOException {
        Partition p = new Partition(tp, topicId, log, clock, localId, LeaderEpochCache.open(log));
        p.rebuildProducers(producerExpirationMs);
        return p;
    }

    private void rebuildProducers(long producerExpirationMs) throws IOException {
        long cutoff = clock.millis() - producerExpirationMs;
        producers.clear();
        log.scanBatchHeaders(cutoff, batch -> {
            if (batch.producerId() != RecordBatch.NO_PRODUCER_ID) {
                producers.update(batch, batch.maxTimestamp());
            }
        });
        producers.expire(cutoff);
    }

    /**
     * What an append did. {@code nextOffset} is the offset after its last record (what {@code acks=all} waits for);
     * {@code durable} completes once the records are on disk as the log's flush policy asks (see {@link
     * #appendAsLeaderWithoutFlushWait}).
     */
    public record AppendResult(
            long baseOffset,
            long logAppendTimeMs,
            long logStartOffset,
            boolean duplicate,
            long nextOffset,
            CompletableFuture<Void> durable) {}

    /**
     * Appends a producer's batches: idempotent producers' sequences are checked, a retried batch is answered with its
     * first offsets instead of being written again.
     *
     * @throws NotLeaderOrFollowerException if this replica does not lead
     */
    public AppendResult appendAsLeader(ByteBuffer records) throws IOException {
        return appendAsLeader(records, (short) 1);
    }

    /**
     * {@link #appendAsLeader(ByteBuffer)} with the producer's {@code acks}: with {@code acks=all} ({@code -1}) an ISR
     * smaller than {@code min.insync.replicas} refuses the append (NOT_ENOUGH_REPLICAS) before writing anything.
     */
    public AppendResult appendAsLeader(ByteBuffer records, short acks) throws IOException {
        AppendResult appended = appendAsLeaderWithoutFlushWait(records, acks);
        log.awaitFlush(appended.durable());
        return appended;
    }

    /**
     * {@link #appendAsLeader(ByteBuffer, short)} that returns before the flush policy is met: the result's {@code
     * durable} future completes once it is, on the group-commit thread, so a request handler can answer from it
     * instead of holding its thread through the fsync (handler threads are few, and an fsync is most of a durable
     * append's time). The records are readable below the high watermark at once, as after any append.
     */
    public AppendResult appendAsLeaderWithoutFlushWait(ByteBuffer records, short acks) throws IOException {
        AppendInfo info;
        synchronized (this) {
            requireLeader();
            if (acks == -1 && isr.size() < minInsyncReplicas) {
                throw new NotEnoughReplicasException("The ISR of " + topicPartition + " has " + isr.size()
                        + " replicas, fewer than min.insync.replicas=" + minInsyncReplicas);
            }
            Optional<ProducerStateManager.BatchMetadata> duplicate = checkProducers(records);
            if (duplicate.isPresent()) {
                long next = duplicate.get().lastOffset() + 1;
                // The original append may still be waiting for its fsync: the retry's answer waits for it too.
                return new AppendResult(
                        duplicate.get().firstOffset(), -1, log.logStartOffset(), true, next, log.flushPolicy(next));
            }
            info = log.appendAsLeaderDeferringFlush(records, leaderEpoch);
            long now = clock.millis();
            forEachBatch(records, batch -> {
                if (batch.producerId() != RecordBatch.NO_PRODUCER_ID) {
                    producers.update(batch, now);
                }
            });
            maybeAdvanceHighWatermark();
        }
        CompletableFuture<Void> durable = log.flushPolicy(info.lastOffset() + 1);
        appendListeners.forEach(l -> l.accept(topicPartition));
        return new AppendResult(
                info.firstOffset(),
                info.logAppendTimeMs(),
                info.logStartOffset(),
                false,
                info.lastOffset() + 1,
                durable);
    }

    private void requireLeader() {
        if (role != Role.LEADER) {
            throw new NotLeaderOrFollowerException("Broker " + localId + " does not lead " + topicPartition
                    + (leaderId >= 0 ? "; broker " + leaderId + " does" : ""));
        }
    }

    /** Whether this replica leads the partition. */
    public boolean isLeader() {
        return role == Role.LEADER;
    }

    public Role role() {
        return role;
    }

    private Optional<ProducerStateManager.BatchMetadata> checkProducers(ByteBuffer records) {
        int count = 0;
        RecordBatch previous = null;
        Optional<ProducerStateManager.BatchMetadata> duplicate = Optional.empty();
        for (int p = records.position(); p + RecordBatch.HEADER_SIZE <= records.limit(); count++) {
            RecordBatch batch = RecordBatch.at(records, p);
            int size = batch.sizeInBytes();
            if (size < RecordBatch.HEADER_SIZE || size > records.limit() - p) {
                break; // malformed: the log's validation rejects it with the precise reason
            }
            if (batch.producerId() != RecordBatch.NO_PRODUCER_ID) {
                if (previous != null && previous.producerId() == batch.producerId()) {
                    if (batch.baseSequence() != previous.lastSequence() + 1) {
                        throw new OutOfOrderSequenceException("Batches of producer " + batch.producerId()
                                + " in one request do not follow each other");
                    }
                } else if (duplicate.isEmpty()) {
                    duplicate = producers.check(batch);
                }
            }
            previous = batch;
            p += size;
        }
        if (duplicate.isPresent() && count > 1) {
            throw new DuplicateSequenceException("A retried batch came together with other batches");
        }
        return duplicate;
    }

    private static void forEachBatch(ByteBuffer records, Consumer<RecordBatch> action) {
        for (int p = records.position(); p < records.limit(); ) {
            RecordBatch batch = RecordBatch.at(records, p);
            action.accept(batch);
            p += batch.sizeInBytes();
        }
    }

    // ---- acks=all ---------------------------------------------------------------------------------------------------

    /** An {@code acks=all} append waiting for the high watermark to pass {@code requiredOffset}. */
    private record Waiter(long requiredOffset, CompletableFuture<Errors> result) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter o) {
            return Long.compare(requiredOffset, o.requiredOffset);
        }
    }

    /**
     * Completes once every in-sync replica has the records below {@code requiredOffset}: with NONE, with
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below {@code min.insync.replicas} meanwhile, or with
     * NOT_LEADER_OR_FOLLOWER if this replica stops leading first. The caller bounds the wait.
     */
    public CompletableFuture<Errors> awaitReplication(long requiredOffset) {
        CompletableFuture<Errors> f = new CompletableFuture<>();
        synchronized (this) {
            if (role != Role.LEADER) {
                f.complete(Errors.NOT_LEADER_OR_FOLLOWER);
            } else if (highWatermark >= requiredOffset) {
                f.complete(isr.size() < minInsyncReplicas ? Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND : Errors.NONE);
            } else {
                if (waiters.size() > 10_000) {
                    waiters.removeIf(w -> w.result().isDone());
                }
                waiters.add(new Waiter(requiredOffset, f));
            }
        }
        return f;
    }

    /** Completes the waiters the high watermark passed (caller holds the lock). */
    private void completeWaiters() {
        while (!waiters.isEmpty() && waiters.peek().requiredOffset() <= highWatermark) {
            Waiter w = waiters.poll();
            w.result().complete(isr.size() < minInsyncReplicas ? Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND : Errors.NONE);
        }
    }

    private void failWaiters(Errors error) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            it.next().result().complete(error);
            it.remove();
        }
    }

    // ---- replication: roles -----------------------------------------------------------------------------------------

    /**
     * This replica leads in {@code leaderEpoch} with {@code isr}; {@code partitionEpoch} is the version of that state.
     * A new epoch starts here (recorded in the epoch cache at the log end offset) and the followers' progress starts
     * unknown; a new state of the same epoch only updates the ISR and replicas.
     *
     * @return whether this started a new leadership (a new epoch, or it did not lead before)
     */
    public synchronized boolean makeLeader(
            int newLeaderEpoch, int newPartitionEpoch, List<Integer> newReplicas, List<Integer> newIsr, int minIsr)
            throws IOException {
        boolean newTerm = role != Role.LEADER || newLeaderEpoch != leaderEpoch;
        long now = clock.millis();
        minInsyncReplicas = minIsr;
        if (newTerm) {
            role = Role.LEADER;
            leaderId = localId;
            leaderEpoch = newLeaderEpoch;
            epochs.assign(newLeaderEpoch, log.logEndOffset());
            followers.clear();
            if (highWatermark > log.logEndOffset()) {
                highWatermark = log.logEndOffset();
            }
        }
        if (newTerm || newPartitionEpoch != partitionEpoch) {
            // A proposal in flight was made against the old state and will be refused; an image that leaves this
            // partition as it was (another topic changed) must not drop it, or the high watermark could pass a
            // replica the cluster is about to count in sync (found by ControllerSimulationTest).
            maximalIsr = List.copyOf(newIsr);
            isrChangePending = false;
        }
        partitionEpoch = newPartitionEpoch;
        replicas = List.copyOf(newReplicas);
        isr = List.copyOf(newIsr);
        followers.keySet().removeIf(r -> !newReplicas.contains(r));
        for (int r : newReplicas) {
            if (r != localId) {
                followers.computeIfAbsent(r, id -> new Replication.Follower(now));
            }
        }
        maybeAdvanceHighWatermark();
        completeWaiters();
        return newTerm;
    }

    /**
     * This replica follows {@code leader} (or nobody, -1) in {@code leaderEpoch}; appends waiting for replication fail
     * with NOT_LEADER_OR_FOLLOWER.
     *
     * @return whether the leader or its epoch changed (the follower must then check for divergence before fetching)
     */
    public synchronized boolean makeFollower(
            int leader, int newLeaderEpoch, int newPartitionEpoch, List<Integer> newReplicas, List<Integer> newIsr) {
        boolean changed = role != Role.FOLLOWER || leader != leaderId || newLeaderEpoch != leaderEpoch;
        role = Role.FOLLOWER;
        leaderId = leader;
        leaderEpoch = newLeaderEpoch;
        partitionEpoch = newPartitionEpoch;
        replicas = List.copyOf(newReplicas);
        isr = List.copyOf(newIsr);
        maximalIsr = isr;
        followers.clear();
        isrChangePending = false;
        failWaiters(Errors.NOT_LEADER_OR_FOLLOWER);
        return changed;
    }

    // ---- replication: the leader's view of its followers ------------------------------------------------------------

    /**
     * A follower fetched from {@code fetchOffset} (so it has everything below it): its progress is recorded, the high
     * watermark may advance, and if it caught up while out of the ISR, an ISR expansion is returned to propose.
     */
    public synchronized Optional<List<Integer>> recordFollowerFetch(int replicaId, long fetchOffset, long nowMs) {
        Replication.Follower f = followers.get(replicaId);
        if (role != Role.LEADER || f == null) {
            return Optional.empty();
        }
        f.onFetch(fetchOffset, log.logEndOffset(), nowMs);
        maybeAdvanceHighWatermark();
        if (!isr.contains(replicaId)
                && !isrChangePending
                && fetchOffset >= highWatermark
                && fetchOffset >= epochs.startOffset(leaderEpoch)) {
            isrChangePending = true;
            List<Integer> expanded = new ArrayList<>(isr);
            expanded.add(replicaId);
            maximalIsr = List.copyOf(expanded);
            return Optional.of(expanded);
        }
        return Optional.empty();
    }

    /** The ISR without the followers that have not caught up for {@code maxLagMs}, if any must go. */
    public synchronized Optional<List<Integer>> shrinkCandidate(long nowMs, long maxLagMs) {
        if (role != Role.LEADER || isrChangePending) {
            return Optional.empty();
        }
        List<Integer> kept = new ArrayList<>();
        for (int r : isr) {
            Replication.Follower f = followers.get(r);
            if (r == localId || f == null || nowMs - f.lastCaughtUpMs() <= maxLagMs) {
                kept.add(r);
            }
        }
        if (kept.size() == isr.size()) {
            return Optional.empty();
        }
        isrChangePending = true;
        return Optional.of(kept);
    }

    /** An ISR proposal was answered (written or not): another may be made. */
    public synchronized void isrChangeDone() {
        isrChangePending = false;
        maximalIsr = isr;
    }

    /** The high watermark: the smallest log end offset of the ISR, never moving back while this replica leads. */
    private void maybeAdvanceHighWatermark() {
        if (role != Role.LEADER) {
            return;
        }
        long min = log.logEndOffset();
        for (int r : maximalIsr) {
            if (r == localId) {
                continue;
            }
            Replication.Follower f = followers.get(r);
            if (f == null || f.logEndOffset() < 0) {
                return; // an in-sync follower not heard from in this term yet
            }
            min = Math.min(min, f.logEndOffset());
        }
        if (min > highWatermark) {
            highWatermark = min;
            completeWaiters();
            appendListeners.forEach(l -> l.accept(topicPartition));
        }
    }

    // ---- replication: the follower's side
    // -----------------------------------------------------------------------------

    /** Appends batches fetched from the leader and records the epochs they carry. */
    public void appendAsFollower(ByteBuffer batches) throws IOException {
        synchronized (this) {
            if (role != Role.FOLLOWER) {
                return;
            }
            ByteBuffer view = batches.duplicate();
            log.appendAsFollower(batches);
            epochs.assignFrom(view);
            long now = clock.millis();
            forEachBatch(view, batch -> {
                if (batch.producerId() != RecordBatch.NO_PRODUCER_ID) {
                    producers.update(batch, now);
                }
            });
        }
    }

    /** The leader's high watermark, as far as this follower has the records. */
    public void updateFollowerHighWatermark(long leaderHighWatermark) {
        if (role == Role.FOLLOWER) {
            highWatermark = Math.min(leaderHighWatermark, log.logEndOffset());
        }
    }

    /** Truncates a diverged tail (or starts over at {@code offset} if it is below the log start). */
    public synchronized void truncateTo(long offset, long producerExpirationMs) throws IOException {
        if (offset < log.logStartOffset()) {
            log.truncateFullyAndStartAt(offset);
            epochs.clear();
        } else {
            log.truncateTo(offset);
            epochs.truncateFromEnd(log.logEndOffset());
        }
        highWatermark = Math.min(highWatermark, log.logEndOffset());
        rebuildProducers(producerExpirationMs);
    }

    /** Starts the log over, empty, at {@code offset} (the follower is behind the leader's log start). */
    public synchronized void truncateFullyAndStartAt(long offset) throws IOException {
        log.truncateFullyAndStartAt(offset);
        epochs.clear();
        highWatermark = offset;
        producers.clear();
    }

    /** The epoch history's answer to OffsetForLeaderEpoch. */
    public synchronized LeaderEpochCache.EpochEnd endOffsetForEpoch(int epoch) {
        if (role == Role.LEADER && epoch == leaderEpoch) {
            return new LeaderEpochCache.EpochEnd(epoch, log.logEndOffset());
        }
        return epochs.endOffsetFor(epoch, log.logEndOffset());
    }

    public synchronized int latestEpoch() {
        return epochs.latestEpoch();
    }

    // ---- accessors -------------------------------------------------------------------------------------------------

    /** Calls {@code listener} after each append and each advance of the high watermark (waiting fetches). */
    public void addAppendListener(Consumer<TopicPartition> listener) {
        appendListeners.add(listener);
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    public PartitionLog log() {
        return log;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public int partitionEpoch() {
        return partitionEpoch;
    }

    /** The leader as this replica knows it, or -1. */
    public int leaderId() {
        return leaderId;
    }

    public int localId() {
        return localId;
    }

    public List<Integer> replicas() {
        return replicas;
    }

    public List<Integer> isr() {
        return isr;
    }

    /** The offset below which records are committed and visible to consumers. */
    public long highWatermark() {
        return highWatermark;
    }

    /** The last stable offset; without transactions it is the high watermark. */
    public long lastStableOffset() {
        return highWatermark();
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }
}
