package io.herald.server.share;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Group commit of share-partition state: a change only marks its {@link SharePartition} dirty; {@link #flush} makes
 * every change marked so far durable with one append per state-topic partition (and so one fsync each under {@code
 * log.flush.interval.messages=1}) holding the newest state of every dirty share partition.
 *
 * <p>Design note: a request that changed share state calls {@link #flush} once before it is answered. Whoever takes
 * the write lock first writes the changes of everyone who marked before it; the others find their change already
 * durable when they get the lock and return without writing. So N concurrent acknowledgements (competing consumers,
 * several queues) cost one append and one fsync, and a ShareFetch that acknowledges a prefetch window and acquires the
 * next one costs one write, not one per record. Only the newest state of a share partition is written: the states in
 * between are never needed, because recovery reads only the newest value of each key (the topic is compacted).
 *
 * <p>Correctness of "my change is durable when {@link #flush} returns": a change is made under the share partition's
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
    private volatile long durable;

    ShareStateWriter(ShareStateStore store) {
        this.store = store;
    }

    /** Notes that {@code sp} changed; the change is durable once a later {@link #flush} returns. */
    void markDirty(SharePartition sp) {
        dirty.add(sp);
        marked.incrementAndGet();
    }

    /**
     * Makes every change marked before this call durable.
     *
     * @throws org.apache.kafka.common.errors.CoordinatorNotAvailableException if the state topic cannot be written
     *     (the changes stay marked and a later flush retries them)
     */
    void flush() {
        long target = marked.get();
        if (durable >= target) {
            return;
        }
        synchronized (writeLock) {
            if (durable >= target) {
                return;
            }
            long upTo = marked.get();
            List<SharePartition> drained = new ArrayList<>();
            Map<ShareStateRecords.Key, byte[]> values = new LinkedHashMap<>();
            for (Iterator<SharePartition> it = dirty.iterator(); it.hasNext(); ) {
                SharePartition sp = it.next();
                it.remove();
                drained.add(sp);
                values.put(sp.stateKey(), sp.stateValue());
            }
            try {
                store.writeAll(values);
            } catch (RuntimeException e) {
                dirty.addAll(drained);
                throw e;
            }
            writes.increment();
            states.add(values.size());
            durable = upTo;
        }
    }

    /**
     * Writes {@code value} for {@code key} ({@code null} deletes it) after the pending changes, so a share partition's
     * tombstone is not overtaken by its own last state.
     */
    void writeNow(ShareStateRecords.Key key, byte[] value, SharePartition forget) {
        synchronized (writeLock) {
            if (forget != null) {
                dirty.remove(forget);
            }
            flush();
            store.writeAll(java.util.Collections.singletonMap(key, value));
        }
    }

    /** Appends made so far (each one fsync at most per state-topic partition written). */
    long writes() {
        return writes.sum();
    }

    /** Share-partition states written so far; {@code states / writes} is the group-commit factor. */
    long statesWritten() {
        return states.sum();
    }
}
