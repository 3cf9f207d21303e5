package io.herald.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background compaction of the logs whose {@code cleanup.policy} includes {@code compact}: {@code
 * log.cleaner.threads} threads, each repeatedly taking the dirtiest cleanable log and running a {@link Compactor} pass.
 *
 * <p>A log is cleanable when its dirty share (bytes after the first dirty offset over all cleanable bytes) reaches
 * {@code min.cleanable.dirty.ratio}, when its oldest dirty data is older than {@code max.compaction.lag.ms}, or when a
 * tombstone's delete horizon has passed. Data is never cleaned in the active segment, above the high watermark, or
 * while younger than {@code min.compaction.lag.ms}. Each log's first dirty offset is kept in the data directory's
 * {@value #CHECKPOINT} so a restart does not clean everything again.
 *
 * <p>Thread-safety: thread-safe; a log is cleaned by at most one thread at a time.
 */
public final class LogCleaner implements AutoCloseable {

    static final String CHECKPOINT = "cleaner-offset-checkpoint";

    private static final Logger log = LoggerFactory.getLogger(LogCleaner.class);

    private final LogManager manager;
    private final LogManagerConfig config;
    private final Map<TopicPartition, Long> firstDirty = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> deleteHorizons = new ConcurrentHashMap<>();
    /** The log's truncation count when its first dirty offset was recorded: a truncation since voids that offset. */
    private final Map<TopicPartition, Long> truncationsSeen = new ConcurrentHashMap<>();

    private final Set<TopicPartition> inProgress = ConcurrentHashMap.newKeySet();
    private final Set<TopicPartition> abortRequested = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private LogCleaner(LogManager manager, LogManagerConfig config) {
        this.manager = manager;
        this.config = config;
    }

    static LogCleaner start(LogManager manager, LogManagerConfig config) throws IOException {
        LogCleaner cleaner = create(manager, config);
        long memory = config.cleanerDedupeBufferBytes() / config.cleanerThreads();
        for (int i = 0; i < config.cleanerThreads(); i++) {
            Thread t = new Thread(() -> cleaner.run(memory), "herald-log-cleaner-" + i);
            t.setDaemon(true);
            cleaner.threads.add(t);
            t.start();
        }
        return cleaner;
    }

    /** A cleaner without threads, which cleans only through {@link #cleanNow} (for tests). */
    static LogCleaner create(LogManager manager, LogManagerConfig config) throws IOException {
        LogCleaner cleaner = new LogCleaner(manager, config);
        for (Path dir : config.logDirs()) {
            cleaner.firstDirty.putAll(
                    OffsetCheckpoint.read(manager.environment().storage(), dir.resolve(CHECKPOINT)));
        }
        return cleaner;
    }

    private void run(long memory) {
        TopicPartition[] current = new TopicPartition[1];
        Compactor compactor = new Compactor(memory, () -> !running || abortRequested.contains(current[0]));
        while (running) {
            Optional<Candidate> next =
                    grabDirtiest(manager.environment().clock().millis());
            if (next.isEmpty()) {
                await(config.cleanerBackoffMs());
                continue;
            }
            Candidate c = next.get();
            current[0] = c.log.topicPartition();
            try {
                clean(compactor, c);
            } finally {
                release(c.log.topicPartition());
            }
        }
    }

    private void clean(Compactor compactor, Candidate c) {
        TopicPartition tp = c.log.topicPartition();
        try {
            long now = manager.environment().clock().millis();
            recordPass(c, compactor.clean(c.log, c.firstDirty, c.firstUncleanable, now));
        } catch (CancellationException e) {
            log.info("Compaction of {} aborted", tp);
        } catch (IOException | RuntimeException e) {
            if (running && !c.log.isClosed()) {
                log.error("Compaction of {} failed; it will be retried after {} ms", tp, config.cleanerBackoffMs(), e);
                await(config.cleanerBackoffMs());
            }
        }
    }

    /**
     * Cleans {@code tp} now in the calling thread if it is cleanable, whatever its dirty ratio (for tools and tests).
     *
     * @return whether a pass ran
     */
    public boolean cleanNow(TopicPartition tp) throws IOException {
        PartitionLog partition = manager.log(tp).orElseThrow(() -> new IllegalArgumentException("No log for " + tp));
        long now = manager.environment().clock().millis();
        Candidate c = candidate(partition, now, true);
        if (c == null || !inProgress.add(tp)) {
            return false;
        }
        try {
            Compactor compactor = new Compactor(
                    config.cleanerDedupeBufferBytes() / config.cleanerThreads(), () -> abortRequested.contains(tp));
            recordPass(c, compactor.clean(partition, c.firstDirty, c.firstUncleanable, now));
            return true;
        } finally {
            release(tp);
        }
    }

    private void recordPass(Candidate c, Compactor.Result result) throws IOException {
        PartitionLog partition = c.log;
        TopicPartition tp = partition.topicPartition();
        firstDirty.put(tp, result.newFirstDirtyOffset());
        truncationsSeen.put(tp, c.truncations);
        if (result.earliestDeleteHorizon() == Long.MAX_VALUE) {
            deleteHorizons.remove(tp);
        } else {
            deleteHorizons.put(tp, result.earliestDeleteHorizon());
        }
        writeCheckpoint(partition.dir().getParent());
    }

    /** The first offset not yet compacted of {@code tp} (for tools and tests). */
    public long firstDirtyOffset(TopicPartition tp) {
        return firstDirty.getOrDefault(tp, 0L);
    }

    /** Stops any pass on {@code partition} and waits for it to end (before the log is deleted or truncated). */
    public void abortAndWait(PartitionLog partition) {
        TopicPartition tp = partition.topicPartition();
        abortRequested.add(tp);
        lock.lock();
        try {
            while (inProgress.contains(tp)) {
                changed.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
            abortRequested.remove(tp);
            firstDirty.remove(tp);
            deleteHorizons.remove(tp);
            truncationsSeen.remove(tp);
        }
    }

    /** Wakes the cleaner threads to look for work now. */
    public void wakeUp() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private record Candidate(
            PartitionLog log, long firstDirty, long firstUncleanable, double ratio, long truncations) {}

    private Optional<Candidate> grabDirtiest(long now) {
        lock.lock();
        try {
            Candidate best = null;
            for (PartitionLog l : manager.logs()) {
                if (inProgress.contains(l.topicPartition())) {
                    continue;
                }
                Candidate c = candidate(l, now, false);
                if (c != null && (best == null || c.ratio > best.ratio)) {
                    best = c;
                }
            }
            if (best != null) {
                inProgress.add(best.log.topicPartition());
            }
            return Optional.ofNullable(best);
        } finally {
            lock.unlock();
        }
    }

    /** The log's cleaning bounds if it is cleanable now ({@code force}: whatever its ratio), else {@code null}. */
    private Candidate candidate(PartitionLog l, long now, boolean force) {
        LogConfig cfg = l.config();
        if (!cfg.compact() || l.isClosed()) {
            return null;
        }
        List<Segment> segments = l.segments();
        if (segments.size() < 2) {
            return null;
        }
        long start = l.logStartOffset();
        long truncations = l.truncations();
        long dirty = truncations == truncationsSeen.getOrDefault(l.topicPartition(), 0L)
                ? Math.max(firstDirty.getOrDefault(l.topicPartition(), start), start)
                : start;
        long uncleanable =
                Math.min(segments.get(segments.size() - 1).baseOffset(), manager.retentionLimit(l.topicPartition()));
        boolean lagExceeded = false;
        long cleanBytes = 0;
        long dirtyBytes = 0;
        for (Segment s : segments) {
            if (s.baseOffset() >= uncleanable) {
                break;
            }
            if (s.nextOffset() <= dirty) {
                cleanBytes += s.size();
                continue;
            }
            if (s.maxTimestamp() >= 0 && now - s.maxTimestamp() < cfg.minCompactionLagMs()) {
                uncleanable = s.baseOffset();
                break;
            }
            if (s.nextOffset() > uncleanable) {
                break;
            }
            dirtyBytes += s.size();
            if (now - s.rollBaseTimestamp() > cfg.maxCompactionLagMs()) {
                lagExceeded = true;
            }
        }
        long total = cleanBytes + dirtyBytes;
        double ratio = total == 0 ? 0 : (double) dirtyBytes / total;
        Long horizon = deleteHorizons.get(l.topicPartition());
        boolean horizonPassed = horizon != null && horizon <= now;
        boolean due = (dirtyBytes > 0 && (ratio >= cfg.minCleanableDirtyRatio() || lagExceeded)) || horizonPassed;
        if (!due && !(force && total > 0)) {
            return null;
        }
        return new Candidate(l, dirty, uncleanable, horizonPassed ? Math.max(ratio, 1.0) : ratio, truncations);
    }

    private void release(TopicPartition tp) {
        lock.lock();
        try {
            inProgress.remove(tp);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void writeCheckpoint(Path dir) throws IOException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (PartitionLog l : manager.logs()) {
            Long offset = firstDirty.get(l.topicPartition());
            if (offset != null && l.dir().getParent().equals(dir)) {
                offsets.put(l.topicPartition(), offset);
            }
        }
        synchronized (this) {
            OffsetCheckpoint.write(manager.environment().storage(), dir.resolve(CHECKPOINT), offsets);
        }
    }

    private void await(long ms) {
        lock.lock();
        try {
            if (running) {
                changed.await(ms, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the threads, aborting passes in progress. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        wakeUp();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
