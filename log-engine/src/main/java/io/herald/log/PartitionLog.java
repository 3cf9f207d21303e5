package io.herald.log;

import io.herald.log.io.Storage;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.BatchValidator;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordTooLargeException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: an ordered set of {@link Segment}s in one directory, the last of which takes appends.
 *
 * <p>Offsets: {@link #logStartOffset()} is the first readable offset (raised by retention and {@link
 * #deleteRecordsBefore}); {@link #logEndOffset()} is the offset the next append gets; {@link #recoveryPoint()} is the
 * offset below which everything has been flushed, from where recovery scans after a crash.
 *
 * <p>Design note: appends are validated (CRC included) before the partition's lock is taken, and the lock covers only
 * the offset assignment and the write into the page cache; a durable append waits for its fsync after releasing it,
 * through {@link GroupCommit}, so concurrent appenders share fsyncs. Reads take no lock: the segment map is a
 * concurrent skip list and segments publish their size and next offset with volatile writes after the bytes (see
 * {@link Segment}). Segments removed by retention, truncation or compaction are renamed {@code .deleted} and deleted
 * only after {@code file.delete.delay.ms}, so a read that already holds a slice of one can finish.
 *
 * <p>Thread-safety: thread-safe. Writers (appends, truncation, retention, roll, compaction swaps) are serialised by
 * one lock; reads are lock-free and concurrent with them.
 */
public final class PartitionLog implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

    private final LogEnvironment env;
    private final Storage storage;
    private final TopicPartition topicPartition;
    private final ConcurrentSkipListMap<Long, Segment> segments;
    private final Object lock = new Object();
    private final Object flushLock = new Object();
    /** Segments out of the log whose files wait for {@code file.delete.delay.ms}; deleted at once on close. */
    private final Set<Segment> pendingDeletes = ConcurrentHashMap.newKeySet();

    private volatile Path dir;
    private volatile LogConfig config;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile boolean closed;
    /** Counts truncations, so a compaction that read segments before one can tell its output is stale. */
    private volatile long truncations;

    private PartitionLog(LogEnvironment env, Path dir, TopicPartition tp, LogConfig config, LogLoader.Loaded loaded) {
        this.env = env;
        this.storage = env.storage();
        this.dir = dir;
        this.topicPartition = tp;
        this.config = config;
        this.segments = loaded.segments();
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = segments.lastEntry().getValue().nextOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.lastFlushMs = env.clock().millis();
    }

    /**
     * Opens (or creates) the log in {@code dir}, recovering it if the last stop was not clean.
     *
     * @param recoveryPoint the checkpointed offset below which everything was flushed
     * @param logStartOffset the checkpointed log start offset
     * @param cleanShutdown whether the data directory was closed cleanly
     */
    public static PartitionLog open(
            LogEnvironment env,
            Path dir,
            TopicPartition tp,
            LogConfig config,
            long recoveryPoint,
            long logStartOffset,
            boolean cleanShutdown)
            throws IOException {
        env.storage().createDirectories(dir);
        LogLoader.Loaded loaded = LogLoader.load(env, dir, config, recoveryPoint, logStartOffset, cleanShutdown);
        return new PartitionLog(env, dir, tp, config, loaded);
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies a new configuration; it governs the next append, roll and retention pass. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long recoveryPoint() {
        return recoveryPoint;
    }

    /** Bytes in all segments. */
    public long size() {
        long total = 0;
        for (Segment s : segments.values()) {
            total += s.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.size();
    }

    /** The segments, oldest first (a snapshot; for tools, tests and the cleaner). */
    public List<Segment> segments() {
        return new ArrayList<>(segments.values());
    }

    // ---- appends ------------------------------------------------------------------------------------------------

    /**
     * Appends a producer's batches: validates them, assigns offsets from the log end offset, stamps the leader epoch
     * and, on log-append-time topics, the time. With {@code flush.messages=1} it returns once the batches are durable.
     *
     * @param batches one or more v2 batches; a writable buffer is modified in place, a read-only one is copied
     * @param leaderEpoch the epoch to stamp, or -1 to keep what the producer sent
     * @throws io.herald.log.record.InvalidBatchException if a batch is invalid; nothing is written
     * @throws IOException if the write or the flush fails (a full disk); the log stays readable
     */
    public AppendInfo appendAsLeader(ByteBuffer batches, int leaderEpoch) throws IOException {
        AppendInfo info = appendAsLeaderDeferringFlush(batches, leaderEpoch);
        awaitFlush(flushPolicy(info.lastOffset() + 1));
        return info;
    }

    /**
     * {@link #appendAsLeader} without the wait for the flush policy, for callers that append under a lock of their
     * own (the broker's producer-state check) and must not hold it through an fsync: they wait for {@link #flushPolicy}
     * after releasing it (or answer from it), so concurrent appends still share fsyncs.
     */
    public AppendInfo appendAsLeaderDeferringFlush(ByteBuffer batches, int leaderEpoch) throws IOException {
        LogConfig cfg = config;
        long now = env.clock().millis();
        BatchValidator.Summary summary = validator(cfg).validateForLeader(batches, now);
        checkFitsSegment(summary, cfg);
        ByteBuffer buf = writable(batches);
        boolean logAppendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME;
        AppendInfo info;
        synchronized (lock) {
            ensureOpen();
            long first = logEndOffset;
            long next = first;
            long maxTimestamp = RecordBatch.NO_TIMESTAMP;
            for (int p = buf.position(); p < buf.limit(); ) {
                RecordBatch batch = RecordBatch.at(buf, p);
                batch.setBaseOffset(next);
                if (leaderEpoch >= 0) {
                    batch.setPartitionLeaderEpoch(leaderEpoch);
                }
                if (logAppendTime) {
                    batch.setLogAppendTime(now);
                }
                maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
                next = batch.nextOffset();
                p += batch.sizeInBytes();
            }
            info = write(buf, first, next, maxTimestamp, logAppendTime ? now : -1, cfg, now);
        }
        return info;
    }

    /**
     * What an append waits for before it returns, without waiting: a future completed once everything below {@code upTo}
     * is durable as the flush policy asks (at once when it asks nothing now). The group-commit thread completes it, so
     * a caller that chains its answer onto it holds no thread while the disk syncs; the future fails with the
     * {@link IOException} of a failed flush.
     */
    public CompletableFuture<Void> flushPolicy(long upTo) {
        if (upTo - recoveryPoint < config.flushMessages()) {
            return CompletableFuture.completedFuture(null);
        }
        return env.groupCommit().flush(this, upTo);
    }

    /**
     * Appends batches copied from the leader, keeping their offsets, epochs and timestamps.
     *
     * @throws UnexpectedAppendOffsetException if the first batch starts below the log end offset
     */
    public AppendInfo appendAsFollower(ByteBuffer batches) throws IOException {
        LogConfig cfg = config;
        BatchValidator.Summary summary = validator(cfg).validateForFollower(batches);
        checkFitsSegment(summary, cfg);
        ByteBuffer buf = writable(batches);
        long now = env.clock().millis();
        AppendInfo info;
        synchronized (lock) {
            ensureOpen();
            RecordBatch firstBatch = RecordBatch.at(buf, buf.position());
            if (firstBatch.baseOffset() < logEndOffset) {
                throw new UnexpectedAppendOffsetException("Follower append to " + topicPartition + " starts at offset "
                        + firstBatch.baseOffset() + ", below the log end offset " + logEndOffset);
            }
            long next = logEndOffset;
            for (int p = buf.position(); p < buf.limit(); ) {
                RecordBatch batch = RecordBatch.at(buf, p);
                next = batch.nextOffset();
                p += batch.sizeInBytes();
            }
            info = write(buf, firstBatch.baseOffset(), next, summary.maxTimestamp(), -1, cfg, now);
        }
        awaitFlush(flushPolicy(info.lastOffset() + 1));
        return info;
    }

    private AppendInfo write(
            ByteBuffer buf, long first, long next, long maxTimestamp, long appendTime, LogConfig cfg, long now)
            throws IOException {
        Segment segment = maybeRoll(buf.remaining(), first, next - 1, cfg, now);
        int position = segment.size();
        segment.append(buf);
        logEndOffset = next;
        return new AppendInfo(
                first,
                next - 1,
                maxTimestamp,
                appendTime,
                segment.baseOffset(),
                position,
                buf.remaining(),
                logStartOffset);
    }

    private static BatchValidator validator(LogConfig cfg) {
        return new BatchValidator(
                cfg.maxMessageBytes(), cfg.timestampBeforeMaxMs(), cfg.timestampAfterMaxMs(), cfg.compact());
    }

    private static void checkFitsSegment(BatchValidator.Summary summary, LogConfig cfg) {
        if (summary.sizeInBytes() > cfg.segmentBytes()) {
            throw new RecordTooLargeException("Append of " + summary.sizeInBytes()
                    + " bytes is larger than a segment (segment.bytes=" + cfg.segmentBytes() + ")");
        }
    }

    private static ByteBuffer writable(ByteBuffer batches) {
        if (!batches.isReadOnly()) {
            return batches;
        }
        ByteBuffer copy = ByteBuffer.allocate(batches.remaining());
        copy.put(batches.duplicate()).flip();
        return copy;
    }

    /** The segment to append to, rolling a new one first if the active one is full, old or out of index space. */
    private Segment maybeRoll(int bytes, long firstOffset, long lastOffset, LogConfig cfg, long now)
            throws IOException {
        Segment active = segments.lastEntry().getValue();
        boolean empty = active.size() == 0;
        boolean full = !empty && (long) active.size() + bytes > cfg.segmentBytes();
        boolean old = !empty && now - active.rollBaseTimestamp() > cfg.segmentMs();
        boolean indexFull = active.offsetIndex().isFull() || active.timeIndex().isFull();
        boolean offsetOverflow = lastOffset - active.baseOffset() > Integer.MAX_VALUE;
        if (full || old || indexFull || offsetOverflow) {
            return roll(firstOffset, now);
        }
        return active;
    }

    /** Starts a new active segment at the log end offset, even if the current one is not full. */
    public void roll() throws IOException {
        synchronized (lock) {
            ensureOpen();
            roll(logEndOffset, env.clock().millis());
        }
    }

    private Segment roll(long newBase, long now) throws IOException {
        Segment active = segments.lastEntry().getValue();
        if (active.size() == 0 && active.baseOffset() == newBase) {
            return active;
        }
        if (active.size() == 0) {
            segments.remove(active.baseOffset());
            active.deleteFiles(storage);
        } else {
            active.onBecomeInactive();
        }
        Segment created = Segment.create(storage, dir, newBase, config, now, "");
        segments.put(newBase, created);
        log.debug("Rolled {} to a new segment at offset {}", topicPartition, newBase);
        // Rolled segments are flushed in the background whatever the flush policy, as Kafka does, so that recovery
        // after a crash only has to scan the active segment. The rolled segment's trimmed indexes are synced even if
        // its data already was, since recovery will trust them from now on.
        if (active.size() > 0) {
            env.scheduler().schedule("flush-" + topicPartition, () -> flushRolled(active, newBase), 0);
        }
        return created;
    }

    // ---- durability ---------------------------------------------------------------------------------------------

    /**
     * Waits for a flush future of this log ({@link #flushPolicy}), sharing the fsync with concurrent appends.
     *
     * @throws IOException if the flush failed
     */
    public void awaitFlush(CompletableFuture<Void> flush) throws IOException {
        try {
            flush.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted waiting for the flush of " + topicPartition);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("Flush of " + topicPartition + " failed", e.getCause());
        }
    }

    /**
     * Flushes every segment that holds offsets below {@code upTo} and moves the recovery point there. The indexes of
     * the segment the recovery point ends in are not synced: recovery rebuilds that segment's indexes anyway, and
     * skipping them halves the cost of a group-commit round. A segment the recovery point moves past gets its indexes
     * synced, since recovery trusts those.
     */
    public void flush(long upTo) throws IOException {
        synchronized (flushLock) {
            long from = recoveryPoint;
            long target = Math.min(upTo, logEndOffset);
            if (target <= from) {
                return;
            }
            Long firstKey = segments.floorKey(from);
            Collection<Segment> dirty = (firstKey == null ? segments : segments.tailMap(firstKey, true))
                    .headMap(target, false)
                    .values();
            for (Segment s : dirty) {
                try {
                    if (s.nextOffset() <= target && s != segments.lastEntry().getValue()) {
                        s.flush();
                    } else {
                        s.flushLog();
                    }
                } catch (ClosedChannelException e) {
                    if (closed || segments.get(s.baseOffset()) != s) {
                        continue; // closed, or removed by retention or truncation: nothing left to make durable
                    }
                    throw e;
                }
            }
            recoveryPoint = Math.max(recoveryPoint, Math.min(target, logEndOffset));
            lastFlushMs = env.clock().millis();
        }
    }

    /** Flushes everything written so far. */
    public void flush() throws IOException {
        flush(logEndOffset);
    }

    private void flushRolled(Segment rolled, long upTo) {
        try {
            if (!closed && segments.get(rolled.baseOffset()) == rolled) {
                rolled.flush();
                flush(upTo);
            }
        } catch (IOException e) {
            if (!closed && segments.get(rolled.baseOffset()) == rolled) {
                log.error("Background flush of {} up to {} failed", topicPartition, upTo, e);
            }
        }
    }

    /** Flushes if {@code flush.ms} has passed since the last flush and there is something to flush. */
    void flushIfDue(long now) throws IOException {
        if (logEndOffset > recoveryPoint && now - lastFlushMs >= config.flushMs()) {
            flush(logEndOffset);
        }
    }

    // ---- reads --------------------------------------------------------------------------------------------------

    /**
     * Reads whole batches from the one containing {@code offset}, taking no lock.
     *
     * @param offset the first offset wanted; the slice starts at the batch that contains it
     * @param maxBytes the most bytes to return (but see {@code minOneBatch})
     * @param maxOffset no batch that reaches this offset is returned (the high watermark); {@code Long.MAX_VALUE} for
     *     none
     * @param minOneBatch return the first batch even if it is larger than {@code maxBytes}, so a consumer never gets
     *     stuck on a large batch
     * @throws OffsetOutOfRangeException if {@code offset} is below the log start offset or above the log end offset
     */
    public LogSlice read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException {
        long end = logEndOffset;
        long start = logStartOffset;
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException("Offset " + offset + " is out of range for " + topicPartition
                    + ": log start offset " + start + ", log end offset " + end);
        }
        long limit = Math.min(maxOffset, end);
        if (offset >= limit) {
            return LogSlice.empty(offset);
        }
        Map.Entry<Long, Segment> entry = segments.floorEntry(offset);
        if (entry == null) {
            entry = segments.firstEntry();
        }
        while (entry != null) {
            LogSlice slice = entry.getValue().read(offset, maxBytes, limit, minOneBatch);
            if (slice != null) {
                return slice;
            }
            entry = segments.higherEntry(entry.getKey());
        }
        return LogSlice.empty(offset);
    }

    /**
     * The first record whose timestamp is at least {@code timestamp}, at or after the log start offset; empty when no
     * record is that recent.
     */
    public Optional<TimestampAndOffset> offsetForTimestamp(long timestamp) throws IOException {
        long start = logStartOffset;
        for (Segment segment : segments.values()) {
            if (segment.nextOffset() <= start || segment.maxTimestamp() < timestamp) {
                continue;
            }
            long from = Math.max(segment.timeIndex().lookup(timestamp).offset(), start);
            BatchLocation at = segment.translateOffset(from, 0);
            if (at == null) {
                continue;
            }
            BatchScanner scanner = BatchScanner.batches(segment.file(), at.position(), segment.size());
            for (RecordBatch b = scanner.next(); b != null; b = scanner.next()) {
                if (b.maxTimestamp() < timestamp) {
                    continue;
                }
                for (Record r : BatchRecords.decode(b)) {
                    if (r.offset() >= start && r.timestamp() >= timestamp) {
                        return Optional.of(new TimestampAndOffset(r.timestamp(), r.offset(), b.partitionLeaderEpoch()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The record with the largest timestamp (the first one if several share it); empty for an empty log. */
    public Optional<TimestampAndOffset> maxTimestampRecord() throws IOException {
        Segment best = null;
        for (Segment s : segments.values()) {
            if (s.nextOffset() > logStartOffset && (best == null || s.maxTimestamp() > best.maxTimestamp())) {
                best = s;
            }
        }
        if (best == null || best.maxTimestamp() < 0) {
            return Optional.empty();
        }
        BatchLocation at = best.translateOffset(Math.max(best.offsetOfMaxTimestamp(), logStartOffset), 0);
        if (at == null) {
            return Optional.empty();
        }
        BatchScanner scanner = BatchScanner.batches(best.file(), at.position(), best.size());
        RecordBatch b = scanner.next();
        if (b == null) {
            return Optional.empty();
        }
        for (Record r : BatchRecords.decode(b)) {
            if (r.timestamp() == b.maxTimestamp()) {
                return Optional.of(new TimestampAndOffset(r.timestamp(), r.offset(), b.partitionLeaderEpoch()));
            }
        }
        return Optional.of(new TimestampAndOffset(b.maxTimestamp(), b.lastOffset(), b.partitionLeaderEpoch()));
    }

    /**
     * Visits the header of every batch (only the first {@link RecordBatch#HEADER_SIZE} bytes of each view are valid) in
     * the segments whose newest timestamp is at least {@code minTimestamp}, in offset order, from the log start. The
     * broker rebuilds its producer state this way without reading the records.
     */
    public void scanBatchHeaders(long minTimestamp, Consumer<RecordBatch> visitor) throws IOException {
        long start = logStartOffset;
        for (Segment s : segments.values()) {
            if (s.maxTimestamp() < minTimestamp && s != segments.lastEntry().getValue()) {
                continue;
            }
            BatchScanner scanner = BatchScanner.headers(s.file(), 0, s.size());
            for (RecordBatch b = scanner.next(); b != null; b = scanner.next()) {
                if (b.nextOffset() > start) {
                    visitor.accept(b);
                }
            }
        }
    }

    // ---- removal ------------------------------------------------------------------------------------------------

    /**
     * Removes everything from {@code offset} on, as a follower does where its log diverged from the leader's. A batch
     * that straddles {@code offset} goes as a whole, so the log end offset may end up below it.
     *
     * @return whether anything was removed
     */
    public boolean truncateTo(long offset) throws IOException {
        synchronized (lock) {
            ensureOpen();
            if (offset >= logEndOffset) {
                return false;
            }
            if (offset <= segments.firstKey()) {
                truncateFullyAndStartAt(offset);
                return true;
            }
            truncations++;
            List<Segment> doomed =
                    new ArrayList<>(segments.tailMap(offset, true).values());
            if (doomed.size() == segments.size()) {
                doomed.remove(0);
            }
            removeSegments(doomed, "truncation");
            Segment active = segments.lastEntry().getValue();
            int cut = active.truncateTo(offset);
            if (active.nextOffset() < logStartOffset) {
                // A batch straddling the target (or a segment a crash emptied) took the end below the log start
                // offset, where nothing can be read or appended sensibly: start over, empty, at the start offset.
                truncateFullyAndStartAt(logStartOffset);
                return true;
            }
            active.reactivate();
            // The cut must be durable before anything is appended after it: recovery starts at the recovery point,
            // which may lie past this segment once a later one exists.
            active.flush();
            storage.syncDirectory(dir);
            synchronized (flushLock) {
                logEndOffset = active.nextOffset();
                recoveryPoint = Math.min(recoveryPoint, logEndOffset);
            }
            log.info(
                    "Truncated {} to offset {} ({} bytes cut from the active segment, {} segments removed)",
                    topicPartition,
                    logEndOffset,
                    cut,
                    doomed.size());
            return true;
        }
    }

    /** Deletes every segment and starts the log empty at {@code offset} (a follower far behind the leader). */
    public void truncateFullyAndStartAt(long offset) throws IOException {
        synchronized (lock) {
            ensureOpen();
            truncations++;
            removeSegments(new ArrayList<>(segments.values()), "full truncation");
            segments.put(
                    offset,
                    Segment.create(storage, dir, offset, config, env.clock().millis(), ""));
            synchronized (flushLock) {
                logStartOffset = offset;
                logEndOffset = offset;
                recoveryPoint = offset;
            }
        }
    }

    /**
     * Makes {@code offset} the log start offset (the Kafka DeleteRecords API): offsets below it can no longer be read,
     * and segments wholly below it are deleted.
     *
     * @return the new log start offset
     * @throws OffsetOutOfRangeException if {@code offset} is above the log end offset
     */
    public long deleteRecordsBefore(long offset) throws IOException {
        synchronized (lock) {
            ensureOpen();
            if (offset > logEndOffset) {
                throw new OffsetOutOfRangeException("Cannot delete records before offset " + offset + " of "
                        + topicPartition + ": the log ends at " + logEndOffset);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                removeSegmentsBelowStart("DeleteRecords");
            }
            return logStartOffset;
        }
    }

    /**
     * One retention pass: deletes the oldest segments while they are older than {@code retention.ms}, while the log is
     * larger than {@code retention.bytes}, or while they lie wholly below the log start offset. Segments that reach
     * {@code maxOffset} (the high watermark) are kept. An expired active segment is rolled first.
     *
     * @return the number of segments deleted
     */
    public int deleteOldSegments(long maxOffset) throws IOException {
        LogConfig cfg = config;
        long now = env.clock().millis();
        synchronized (lock) {
            if (closed) {
                return 0;
            }
            List<Segment> doomed = new ArrayList<>();
            if (cfg.delete()) {
                long excess = cfg.retentionBytes() < 0 ? Long.MIN_VALUE : size() - cfg.retentionBytes();
                for (Segment s : segments.values()) {
                    boolean expired = cfg.retentionMs() >= 0
                            && s.maxTimestamp() >= 0
                            && now - s.maxTimestamp() > cfg.retentionMs();
                    boolean oversize = excess != Long.MIN_VALUE && excess - s.size() >= 0;
                    if (!(expired || oversize) || s.nextOffset() > maxOffset || s.size() == 0) {
                        break;
                    }
                    doomed.add(s);
                    if (oversize) {
                        excess -= s.size();
                    }
                }
            }
            if (!doomed.isEmpty()
                    && doomed.get(doomed.size() - 1) == segments.lastEntry().getValue()) {
                roll(logEndOffset, now);
            }
            if (!doomed.isEmpty()) {
                // Raise the start first, so no read is sent into a segment that is going away.
                logStartOffset = Math.max(
                        logStartOffset,
                        segments.higherKey(doomed.get(doomed.size() - 1).baseOffset()));
                removeSegments(doomed, "retention");
            }
            return doomed.size() + removeSegmentsBelowStart("log start offset");
        }
    }

    private int removeSegmentsBelowStart(String reason) throws IOException {
        List<Segment> doomed = new ArrayList<>();
        for (Map.Entry<Long, Segment> e : segments.entrySet()) {
            Long nextBase = segments.higherKey(e.getKey());
            if (nextBase == null || nextBase > logStartOffset) {
                break;
            }
            doomed.add(e.getValue());
        }
        removeSegments(doomed, reason);
        return doomed.size();
    }

    /**
     * Takes segments out of the log and schedules their deletion after {@code file.delete.delay.ms}. Caller holds the
     * lock.
     */
    private void removeSegments(List<Segment> doomed, String reason) throws IOException {
        for (Segment s : doomed) {
            segments.remove(s.baseOffset(), s);
            log.info(
                    "Deleting segment {} of {} ({}): offsets {} to {}, {} bytes",
                    s.path(),
                    topicPartition,
                    reason,
                    s.baseOffset(),
                    s.nextOffset() - 1,
                    s.size());
            scheduleDelete(s);
        }
    }

    private void scheduleDelete(Segment s) throws IOException {
        s.changeSuffix("", Segment.DELETED_SUFFIX);
        pendingDeletes.add(s);
        env.scheduler()
                .schedule("delete-" + s.path().getFileName(), () -> deleteQuietly(s), config.fileDeleteDelayMs());
    }

    private void deleteQuietly(Segment s) {
        if (!pendingDeletes.remove(s)) {
            return;
        }
        try {
            s.deleteFiles(storage);
        } catch (IOException e) {
            log.warn("Deleting {} failed: {}", s.path(), e.toString());
        }
    }

    /**
     * Replaces {@code old}, consecutive segments, with {@code cleaned}, a segment written with suffix {@value
     * Segment#CLEANED_SUFFIX} holding their retained batches. Crash-safe: the cleaned files become {@code .swap}
     * (complete, flushed) before the old ones go, and recovery finishes a swap it finds (see {@link LogLoader}).
     */
    void replaceSegments(List<Segment> old, Segment cleaned, long truncationsSeen) throws IOException {
        cleaned.onBecomeInactive();
        cleaned.flush();
        synchronized (lock) {
            ensureOpen();
            if (truncations != truncationsSeen) {
                throw new CancellationException("The log was truncated while being cleaned");
            }
            for (Segment s : old) {
                if (segments.get(s.baseOffset()) != s) {
                    throw new IllegalStateException("Segment " + s + " changed while being cleaned");
                }
            }
            cleaned.changeSuffix(Segment.CLEANED_SUFFIX, Segment.SWAP_SUFFIX);
            storage.syncDirectory(dir);
            for (Segment s : old) {
                segments.remove(s.baseOffset(), s);
                scheduleDelete(s);
            }
            cleaned.changeSuffix(Segment.SWAP_SUFFIX, "");
            segments.put(cleaned.baseOffset(), cleaned);
            storage.syncDirectory(dir);
        }
    }

    /** How many truncations the log has seen; {@link #replaceSegments} refuses output made before a later one. */
    long truncations() {
        return truncations;
    }

    Storage storage() {
        return storage;
    }

    LogEnvironment environment() {
        return env;
    }

    /** Runs {@code action} under the writer lock (for the cleaner's checks against concurrent changes). */
    <T> T underLock(IoSupplier<T> action) throws IOException {
        synchronized (lock) {
            return action.get();
        }
    }

    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException;
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------------

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /** Flushes everything and closes the segment files (trimming the active segment's indexes). */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (closed) {
                return;
            }
            flush();
            closed = true;
            new ArrayList<>(pendingDeletes).forEach(this::deleteQuietly);
            IOException failure = null;
            for (Segment s : segments.values()) {
                try {
                    s.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes the log and deletes its directory: renamed first, so a crash part-way leaves nothing that looks live. */
    public void delete() throws IOException {
        synchronized (lock) {
            new ArrayList<>(pendingDeletes).forEach(this::deleteQuietly);
            if (!closed) {
                closed = true;
                for (Segment s : segments.values()) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        log.warn("Closing {} before deletion failed: {}", s.path(), e.toString());
                    }
                }
            }
            Path doomed = dir.resolveSibling(dir.getFileName() + "."
                    + UUID.randomUUID().toString().replace("-", "") + LogManager.DELETE_DIR_SUFFIX);
            storage.move(dir, doomed);
            storage.syncDirectory(doomed.getParent());
            dir = doomed;
            storage.deleteRecursively(doomed);
            segments.clear();
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", end=" + logEndOffset + ", segments="
                + segments.size() + ")";
    }
}
