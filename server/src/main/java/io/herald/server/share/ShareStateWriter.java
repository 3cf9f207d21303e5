package io.herald.server.share;

import io.herald.server.partition.Partition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;

/**
 * Group commit of share-partition state: a change only marks its {@link SharePartition} dirty; {@link #flush} writes
 * every change marked so far with one append per state-topic partition holding the newest state of every dirty share
 * partition, and makes it durable with one fdatasync per state-topic partition when asked to.
 *
 * <p>Design note: a request that changed share state calls {@link #flush} once before it is answered. Whoever takes
 * the write lock first writes the changes of everyone who marked before it; the others find their change already
 * written (and synced, if it was) when they get the lock and return without writing. So N concurrent acknowledgements (competing consumers,
 * several queues) cost one append and one fsync, and a ShareFetch that acknowledges a prefetch window and acquires the
 * next one costs one write, not one per record. Only the newest state of a share partition is written: the states in
 * between are never needed, because recovery reads only the newest value of each key (the topic is compacted).
 *
 * <p>Correctness of "my change is written when {@link #flush} returns": a change is made under the share partition's
 * lock, then {@link #markDirty} adds the partition to the dirty set <em>before</em> incrementing {@code marked}. The
 * writer reads {@code marked} first, then drains the set and serialises each partition under its lock, so every mark
 * counted in what it read is either in the drained set, or was drained by an earlier write that serialised the
 * partition after the change (writes are serialised by the write lock, and a drain removes before it serialises).
 *
 * <p>Thread-safety: thread-safe. Lock order: the write lock, then a share partition's lock; nothing calls {@link
 * #flush} while holding a share partition's lock.
 */
final class ShareStateWriter {

    private final ShareStateStore store;
    private final Set<SharePartition> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicLong marked = new AtomicLong();
    private final Object writeLock = new Object();
    private final LongAdder writes = new LongAdder();
    private final LongAdder states = new LongAdder();
    /** State-topic partitions appended to since the last sync; guarded by {@code writeLock}. */
    private final Set<Partition> unsynced = new HashSet<>();
    /** Marks up to this one are appended. */
    private volatile long appended;
    /** Marks up to this one are synced. */
    private volatile long synced;
    /** Completes once every append so far is replicated; written under {@code writeLock}. */
    private volatile CompletableFuture<Void> replicated = CompletableFuture.completedFuture(null);

    ShareStateWriter(ShareStateStore store) {
        this.store = store;
    }

    /** Notes that {@code sp} changed; the change is written once a later {@link #flush} returns. */
    void markDirty(SharePartition sp) {
        dirty.add(sp);
        marked.incrementAndGet();
    }

    /**
     * Appends every change marked before this call and, if {@code sync}, makes it durable (see {@link
     * ShareStateStore#sync}): one append per state-topic partition for all the dirty share partitions, and one
     * fdatasync per state-topic partition appended to since the last sync. The returned future completes once what
     * was appended is replicated to the in-sync replicas of the state topic (at once without a cluster); the caller
     * answers its client then, without holding a thread.
     *
     * <p>A write the client waits on to know its outcome (ShareAcknowledge: {@code commitSync}, JMS CLIENT_ACKNOWLEDGE
     * and transactions; releases) syncs. Acquisitions and the acknowledgements a ShareFetch carries (AUTO_ACKNOWLEDGE
     * and DUPS_OK, Kafka's implicit mode: the client does not wait for their outcome) are appended before the answer,
     * so a killed broker process loses none of them (the page cache survives it), and synced by the next syncing
     * flush or the periodic one (at most {@link SharePartitionManager#STATE_SYNC_INTERVAL_MS} later): a power loss
     * may deliver those again. That keeps one fsync per prefetch window off the consumer's round trip.
     *
     * <p>The future of each append waits for the one before it, so the newest future covers every append so far: a
     * caller whose change someone else appended waits for that append's replication too. If a replication fails,
     * the share partitions it carried are marked again, so a later write carries their newest state.
     *
     * @throws org.apache.kafka.common.errors.CoordinatorNotAvailableException if the state topic cannot be written
     *     (the changes stay marked and a later flush retries them)
     */
    CompletableFuture<Void> flush(boolean sync) {
        long target = marked.get();
        if (appended >= target && (!sync || synced >= target)) {
            return replicated;
        }
        synchronized (writeLock) {
            if (appended < target) {
                append();
            }
            if (sync && synced < target) {
                long upTo = appended;
                store.sync(unsynced);
                unsynced.clear();
                synced = upTo;
            }
            return replicated;
        }
    }

    private void append() {
        long upTo = marked.get();
        List<SharePartition> drained = new ArrayList<>();
        Map<ShareStateRecords.Key, byte[]> values = new LinkedHashMap<>();
        for (Iterator<SharePartition> it = dirty.iterator(); it.hasNext(); ) {
            SharePartition sp = it.next();
            it.remove();
            if (!sp.leads()) {
                continue; // deposed: the new leader owns this state
            }
            drained.add(sp);
            values.put(sp.stateKey(), sp.stateValue());
        }
        ShareStateStore.Written written;
        try {
            written = store.writeAll(values);
        } catch (RuntimeException e) {
            dirty.addAll(drained);
            throw e;
        }
        unsynced.addAll(written.local());
        writes.increment();
        states.add(values.size());
        appended = upTo;
        chain(written.replicated(), drained);
    }

    /** Makes {@code mine} the newest replication, completing only after the ones before it (guarded by writeLock). */
    private void chain(CompletableFuture<Void> mine, List<SharePartition> carried) {
        if (!carried.isEmpty()) {
            mine.whenComplete((v, e) -> {
                if (e != null) {
                    carried.forEach(this::markDirty);
                }
            });
        }
        CompletableFuture<Void> before = replicated;
        replicated = before.isDone() ? mine : before.handle((v, e) -> null).thenCompose(x -> mine);
    }

    /**
     * Writes and syncs {@code value} for {@code key} ({@code null} deletes it) after the pending changes, so a share
     * partition's tombstone is not overtaken by its own last state; the future completes once it is replicated.
     */
    CompletableFuture<Void> writeNow(ShareStateRecords.Key key, byte[] value, SharePartition forget) {
        synchronized (writeLock) {
            if (forget != null) {
                dirty.remove(forget);
            }
            flush(true);
            ShareStateStore.Written written = store.writeAll(java.util.Collections.singletonMap(key, value));
            store.sync(written.local());
            chain(written.replicated(), List.of());
            return replicated;
        }
    }

    /** Appends made so far. */
    long writes() {
        return writes.sum();
    }

    /** Share-partition states written so far; {@code states / writes} is the group-commit factor. */
    long statesWritten() {
        return states.sum();
    }

    /**
     * Waits, on an administrative request's thread, until a write is replicated or a read is done. Never on a request
     * handler thread in a cluster: replication needs the followers' fetches those threads serve.
     *
     * @throws CoordinatorNotAvailableException if it failed or took longer than {@link
     *     SharePartitionManager#ADMIN_WRITE_TIMEOUT_MS}
     */
    static void await(CompletableFuture<Void> written) {
        try {
            written.get(SharePartitionManager.ADMIN_WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (TimeoutException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorNotAvailableException("Interrupted waiting for " + ShareGroupConfig.STATE_TOPIC);
        }
    }

    /**
     * What a failed write or read of the state topic ({@code e}, as a future reports it) means to a client: the {@link
     * ApiException} it carries, else {@link CoordinatorNotAvailableException} (a client retries that).
     */
    static RuntimeException failure(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof TimeoutException) {
            return new CoordinatorNotAvailableException("Waiting for " + ShareGroupConfig.STATE_TOPIC + " timed out");
        }
        return new CoordinatorNotAvailableException("Could not write or read " + ShareGroupConfig.STATE_TOPIC, cause);
    }
}
