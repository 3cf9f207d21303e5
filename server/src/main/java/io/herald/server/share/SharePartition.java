package io.herald.server.share;

import io.herald.log.TimestampAndOffset;
import io.herald.log.TopicPartition;
import io.herald.log.record.BatchRecords;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import io.herald.server.partition.Partition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.InvalidRecordStateException;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * One share group's view of one topic partition (KIP-932's share partition): which records between the start offset
 * and the end offset are in flight, in which {@link RecordState}, how often each was delivered, and which member holds
 * each acquired one until when.
 *
 * <p>Design note: records below {@code startOffset} are done; records from {@code endOffset} on were never acquired.
 * In between, {@code inFlight} has one entry per offset this partition handed out (including offsets a compacted batch
 * no longer has: the client acknowledges those as gaps). Acquiring first takes released records, then new ones from
 * the log, never letting the window exceed {@code share.partition.max.record.locks}. A record released, or whose lock
 * timed out, after its last allowed delivery is archived and handed to the dead-letter hook. Every change marks the
 * partition dirty in the {@link ShareStateWriter}; whoever made the change flushes the writer before answering, which
 * writes the state as it is then (a later state includes every earlier change); after a restart, records that were
 * acquired come back available with the delivery count they had.
 *
 * <p>Thread-safety: thread-safe; every method takes the partition's lock (reads of the log happen under it: they are
 * bounded by the request's byte limit).
 */
final class SharePartition {

    /** What an acquisition gave: the ranges and the batches that hold them. */
    record Acquired(List<AcquiredRange> ranges, List<ByteBuffer> batches, int count) {
        static final Acquired NONE = new Acquired(List.of(), List.of(), 0);
    }

    /** Called with the offsets archived because they reached the delivery count limit. */
    interface DeliveryLimitListener {
        void onArchived(SharePartition partition, List<Long> offsets);
    }

    private static final class InFlight {
        RecordState state = RecordState.AVAILABLE;
        int deliveryCount;
        String member;
        long lockDeadline;
    }

    /** The most one read of the log takes while acquiring (a larger first batch is still read whole). */
    static final int READ_CHUNK_BYTES = 64 * 1024;

    private final String group;
    private final Partition partition;
    private final Supplier<ShareGroupConfigs.Settings> settings;
    private final ShareStateWriter writer;
    private final DeliveryLimitListener deliveryLimit;
    /** The leader epoch of the data partition this state belongs to: a later leadership starts its own. */
    private final int leaderEpoch;

    private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
    private long startOffset;
    private long endOffset;

    private SharePartition(
            String group,
            Partition partition,
            Supplier<ShareGroupConfigs.Settings> settings,
            ShareStateWriter writer,
            DeliveryLimitListener deliveryLimit,
            long startOffset) {
        this.group = group;
        this.partition = partition;
        this.settings = settings;
        this.writer = writer;
        this.deliveryLimit = deliveryLimit;
        this.leaderEpoch = partition.leaderEpoch();
        this.startOffset = startOffset;
        this.endOffset = startOffset;
    }

    /** A share partition without state: it starts where {@code share.auto.offset.reset} says, and records that. */
    static SharePartition initialize(
            String group,
            Partition partition,
            Supplier<ShareGroupConfigs.Settings> settings,
            ShareStateWriter writer,
            DeliveryLimitListener deliveryLimit,
            long nowMs)
            throws IOException {
        long start = startOffset(partition, settings.get().autoOffsetReset(), nowMs);
        SharePartition sp = new SharePartition(group, partition, settings, writer, deliveryLimit, start);
        synchronized (sp) {
            sp.persist();
        }
        return sp;
    }

    /**
     * Whether this broker still leads the data partition in the epoch this state was loaded in. A share partition that
     * no longer leads is not written any more: the new leader owns the state, and a late write from here would
     * overwrite it.
     */
    boolean leads() {
        return partition.isLeader() && partition.leaderEpoch() == leaderEpoch;
    }

    /** A share partition as the state topic left it; records that were acquired are available again. */
    static SharePartition restore(
            String group,
            Partition partition,
            Supplier<ShareGroupConfigs.Settings> settings,
            ShareStateWriter writer,
            DeliveryLimitListener deliveryLimit,
            ShareStateRecords.PartitionState state) {
        SharePartition sp = new SharePartition(group, partition, settings, writer, deliveryLimit, state.startOffset());
        for (ShareStateRecords.StateRange r : state.ranges()) {
            for (long o = r.first(); o <= r.last(); o++) {
                InFlight e = new InFlight();
                e.state = r.state() == RecordState.ACQUIRED ? RecordState.AVAILABLE : r.state();
                e.deliveryCount = r.deliveryCount();
                sp.inFlight.put(o, e);
            }
            sp.endOffset = Math.max(sp.endOffset, r.last() + 1);
        }
        return sp;
    }

    private static long startOffset(Partition partition, String reset, long nowMs) throws IOException {
        if (reset.equals("earliest")) {
            return partition.logStartOffset();
        }
        if (reset.startsWith("by_duration:")) {
            long ts = nowMs
                    - Duration.parse(reset.substring("by_duration:".length())).toMillis();
            Optional<TimestampAndOffset> found = partition.log().offsetForTimestamp(ts);
            return found.map(TimestampAndOffset::offset).orElse(partition.highWatermark());
        }
        return partition.highWatermark();
    }

    String group() {
        return group;
    }

    TopicPartition topicPartition() {
        return partition.topicPartition();
    }

    Partition partition() {
        return partition;
    }

    synchronized long startOffset() {
        return startOffset;
    }

    /** Records in flight in each state (for describing and tests). */
    synchronized Map<RecordState, Integer> stateCounts() {
        Map<RecordState, Integer> counts = new java.util.EnumMap<>(RecordState.class);
        inFlight.values().forEach(e -> counts.merge(e.state, 1, Integer::sum));
        return counts;
    }

    /** A snapshot of the window and the state counts, for the administration API. */
    synchronized SharePartitionView view() {
        Map<RecordState, Integer> counts = stateCounts();
        return new SharePartitionView(
                group,
                partition.topicPartition().topic(),
                partition.topicPartition().partition(),
                startOffset,
                endOffset,
                counts.getOrDefault(RecordState.AVAILABLE, 0),
                counts.getOrDefault(RecordState.ACQUIRED, 0),
                counts.getOrDefault(RecordState.ACKNOWLEDGED, 0),
                counts.getOrDefault(RecordState.ARCHIVED, 0));
    }

    /** Whether an acquisition now could hand out anything. */
    synchronized boolean hasAcquirable() {
        if (inFlight.values().stream().anyMatch(e -> e.state == RecordState.AVAILABLE)) {
            return true;
        }
        return endOffset < partition.highWatermark()
                && endOffset - startOffset < settings.get().maxRecordLocks();
    }

    /**
     * Acquires for {@code member} up to {@code maxRecords} records within about {@code maxBytes} of batches, locked
     * for the group's record lock duration. The limit is exact even inside a batch (the batch is sent whole; the
     * client delivers only the acquired offsets), so that competing members share a large batch.
     */
    synchronized Acquired acquire(String member, int maxRecords, int maxBytes, long nowMs) throws IOException {
        return acquire(member, maxRecords, maxBytes, nowMs, Selection.ALL);
    }

    /**
     * {@link #acquire(String, int, int, long)} of the records {@code selection} accepts: the others are left
     * available for other members (a JMS consumer's message selector). Reads on past batches with nothing
     * selected, up to the end of the in-flight window, so a selective member is not starved by records it skips.
     */
    synchronized Acquired acquire(String member, int maxRecords, int maxBytes, long nowMs, Selection selection)
            throws IOException {
        ShareGroupConfigs.Settings s = settings.get();
        skipDeletedRecords();
        long hw = partition.highWatermark();
        long from = -1;
        for (Map.Entry<Long, InFlight> e : inFlight.entrySet()) {
            if (e.getValue().state == RecordState.AVAILABLE) {
                from = e.getKey();
                break;
            }
        }
        if (from < 0) {
            if (endOffset >= hw || endOffset - startOffset >= s.maxRecordLocks()) {
                return Acquired.NONE;
            }
            from = endOffset;
        }
        List<ByteBuffer> batches = new ArrayList<>();
        RangeCollector ranges = new RangeCollector();
        boolean changed = false;
        boolean windowFull = false;
        int bytesTaken = 0;
        while (ranges.count < maxRecords && bytesTaken < Math.max(maxBytes, 1) && from < hw && !windowFull) {
            // Read in chunks, not maxBytes at once: clients ask for up to fetch.max.bytes (50 MiB), and reading and
            // copying that much of a backlog to hand out a prefetch window of 20 records made every ShareFetch of a
            // queue with a backlog cost a copy of the whole backlog (and a humongous allocation).
            int chunk = Math.min(Math.max(maxBytes - bytesTaken, 1), READ_CHUNK_BYTES);
            ByteBuffer buf = partition.log().read(from, chunk, hw, true).toByteBuffer();
            if (!buf.hasRemaining()) {
                break;
            }
            long next = from;
            for (int pos = 0; pos + RecordBatch.HEADER_SIZE <= buf.limit() && ranges.count < maxRecords; ) {
                RecordBatch batch = RecordBatch.at(buf, pos);
                int size = batch.sizeInBytes();
                if (size < RecordBatch.HEADER_SIZE || pos + size > buf.limit()) {
                    break;
                }
                pos += size;
                next = batch.nextOffset();
                if (batch.isControl()) {
                    if (batch.nextOffset() > endOffset && batch.baseOffset() <= endOffset) {
                        endOffset = batch.nextOffset();
                        changed = true;
                    }
                    continue;
                }
                Map<Long, Record> records = selection == Selection.ALL ? Map.of() : byOffset(batch);
                int before = ranges.count;
                for (long o = Math.max(batch.baseOffset(), from);
                        o <= batch.lastOffset() && ranges.count < maxRecords;
                        o++) {
                    InFlight e = inFlight.get(o);
                    if (e == null) {
                        if (o < endOffset) {
                            continue; // done
                        }
                        if (o - startOffset >= s.maxRecordLocks()) {
                            windowFull = true;
                            break;
                        }
                        e = new InFlight();
                        inFlight.put(o, e);
                        endOffset = o + 1;
                        changed = true;
                    } else if (e.state != RecordState.AVAILABLE) {
                        continue;
                    }
                    Record r = records.get(o);
                    Decision decision = r == null ? Decision.TAKE : selection.decide(r, e.deliveryCount + 1);
                    if (decision == Decision.LEAVE) {
                        continue; // stays available for the others, or for later
                    }
                    if (decision == Decision.ARCHIVE) {
                        e.state = RecordState.ARCHIVED;
                        changed = true;
                        continue;
                    }
                    e.state = RecordState.ACQUIRED;
                    e.deliveryCount++;
                    e.member = member;
                    e.lockDeadline = nowMs + s.recordLockDurationMs();
                    ranges.add(o, e.deliveryCount);
                }
                if (ranges.count > before) {
                    ByteBuffer b = buf.duplicate();
                    b.position(pos - size).limit(pos);
                    batches.add(b.slice());
                    bytesTaken += size;
                }
                if (windowFull) {
                    break;
                }
            }
            if (next <= from) {
                break;
            }
            from = next;
        }
        if (ranges.count > 0 || changed) {
            advance();
            persist();
        }
        return ranges.count == 0 ? Acquired.NONE : new Acquired(ranges.ranges, batches, ranges.count);
    }

    private static Map<Long, Record> byOffset(RecordBatch batch) {
        Map<Long, Record> out = new java.util.HashMap<>();
        for (Record r : BatchRecords.decode(batch)) {
            out.put(r.offset(), r);
        }
        return out;
    }

    /** What becomes of an available record a member's fetch comes to. */
    enum Decision {
        /** The member acquires it. */
        TAKE,
        /** It stays available: another member's selector may take it, or its delivery time has not come. */
        LEAVE,
        /** Nobody will ever get it (a JMS message that expired): archived. */
        ARCHIVE
    }

    /** Which records a member takes. */
    interface Selection {
        Selection ALL = (record, deliveryCount) -> Decision.TAKE;

        Decision decide(Record record, int deliveryCount);
    }

    /** Merges consecutive offsets with the same delivery count into ranges. */
    private static final class RangeCollector {
        final List<AcquiredRange> ranges = new ArrayList<>();
        int count;

        void add(long offset, int deliveryCount) {
            count++;
            if (!ranges.isEmpty()) {
                AcquiredRange last = ranges.get(ranges.size() - 1);
                if (last.last() + 1 == offset && last.deliveryCount() == deliveryCount) {
                    ranges.set(ranges.size() - 1, new AcquiredRange(last.first(), offset, deliveryCount));
                    return;
                }
            }
            ranges.add(new AcquiredRange(offset, offset, deliveryCount));
        }
    }

    /**
     * Applies one acknowledgement batch of {@code member}: all of its offsets must be acquired by that member, or
     * nothing changes.
     *
     * @param types one type for the whole range, or one per offset: 0 gap, 1 accept, 2 release, 3 reject, 4 renew
     * @throws InvalidRecordStateException if an offset is not acquired by {@code member}
     * @throws InvalidRequestException if the types do not match the range
     */
    synchronized void acknowledge(String member, long first, long last, List<Byte> types, long nowMs) {
        if (last < first || (types.size() != 1 && types.size() != last - first + 1)) {
            throw new InvalidRequestException("Acknowledgement types do not match offsets " + first + "-" + last);
        }
        for (long o = first; o <= last; o++) {
            InFlight e = inFlight.get(o);
            if (e == null || e.state != RecordState.ACQUIRED || !member.equals(e.member)) {
                throw new InvalidRecordStateException("Record " + o + " of " + partition.topicPartition()
                        + " is not acquired by member " + member + " of share group " + group);
            }
            byte t = types.size() == 1 ? types.get(0) : types.get((int) (o - first));
            if (t < 0 || t > 4) {
                throw new InvalidRequestException("Unknown acknowledge type " + t);
            }
        }
        List<Long> limited = new ArrayList<>();
        ShareGroupConfigs.Settings s = settings.get();
        for (long o = first; o <= last; o++) {
            InFlight e = inFlight.get(o);
            byte t = types.size() == 1 ? types.get(0) : types.get((int) (o - first));
            switch (t) {
                case 1 -> finish(e, RecordState.ACKNOWLEDGED);
                case 2 -> release(o, e, s, limited);
                case 4 -> e.lockDeadline = nowMs + s.recordLockDurationMs();
                default -> finish(e, RecordState.ARCHIVED); // 0 gap, 3 reject
            }
        }
        advance();
        persist();
        notifyLimited(limited);
    }

    /** Releases every record {@code member} holds (it left, or its session closed). Returns how many. */
    synchronized int releaseMember(String member) {
        return releaseWhere(e -> member.equals(e.member));
    }

    /** Releases the records whose lock has expired at {@code nowMs}. Returns how many. */
    synchronized int expireLocks(long nowMs) {
        return releaseWhere(e -> e.lockDeadline <= nowMs);
    }

    /** The earliest lock deadline of an acquired record, or {@code Long.MAX_VALUE}. */
    synchronized long nextLockDeadline() {
        long next = Long.MAX_VALUE;
        for (InFlight e : inFlight.values()) {
            if (e.state == RecordState.ACQUIRED) {
                next = Math.min(next, e.lockDeadline);
            }
        }
        return next;
    }

    private int releaseWhere(java.util.function.Predicate<InFlight> which) {
        List<Long> limited = new ArrayList<>();
        ShareGroupConfigs.Settings s = settings.get();
        int n = 0;
        for (Map.Entry<Long, InFlight> entry : inFlight.entrySet()) {
            InFlight e = entry.getValue();
            if (e.state == RecordState.ACQUIRED && which.test(e)) {
                release(entry.getKey(), e, s, limited);
                n++;
            }
        }
        if (n > 0) {
            advance();
            persist();
            notifyLimited(limited);
        }
        return n;
    }

    private static void finish(InFlight e, RecordState state) {
        e.state = state;
        e.member = null;
    }

    private static void release(long offset, InFlight e, ShareGroupConfigs.Settings s, List<Long> limited) {
        e.member = null;
        if (e.deliveryCount >= s.deliveryCountLimit()) {
            e.state = RecordState.ARCHIVED;
            limited.add(offset);
        } else {
            e.state = RecordState.AVAILABLE;
        }
    }

    private void notifyLimited(List<Long> limited) {
        if (!limited.isEmpty()) {
            deliveryLimit.onArchived(this, limited);
        }
    }

    /** Records the retention or DeleteRecords removed are done. */
    private void skipDeletedRecords() {
        long logStart = partition.logStartOffset();
        if (startOffset < logStart) {
            inFlight.headMap(logStart).clear();
            startOffset = logStart;
            endOffset = Math.max(endOffset, logStart);
        }
    }

    /**
     * Starts the partition over at {@code offset} (AlterShareGroupOffsets, on a group without members): nothing is in
     * flight any more, and delivery resumes there.
     *
     * @throws IllegalArgumentException if {@code offset} is outside the log (below its start or above its high
     *     watermark)
     */
    synchronized void resetTo(long offset) {
        if (offset < partition.logStartOffset() || offset > partition.highWatermark()) {
            throw new IllegalArgumentException("Start offset " + offset + " is outside " + partition.topicPartition()
                    + " (" + partition.logStartOffset() + " to " + partition.highWatermark() + ")");
        }
        inFlight.clear();
        startOffset = offset;
        endOffset = offset;
        persist();
    }

    /** Moves the start offset over the finished records at the head of the window. */
    private void advance() {
        while (!inFlight.isEmpty() && inFlight.firstEntry().getValue().state.isTerminal()) {
            inFlight.pollFirstEntry();
        }
        startOffset = inFlight.isEmpty() ? endOffset : inFlight.firstKey();
    }

    /** Marks the current state for the next group commit ({@link ShareStateWriter#flush}). */
    private void persist() {
        writer.markDirty(this);
    }

    /** The key of this share partition's state in {@code __share_group_state}. */
    ShareStateRecords.PartitionKey stateKey() {
        return new ShareStateRecords.PartitionKey(
                group, partition.topicPartition().topic(), topicPartitionIndex());
    }

    /** The current state, encoded: the start offset and the in-flight records as merged ranges. */
    synchronized byte[] stateValue() {
        List<ShareStateRecords.StateRange> ranges = new ArrayList<>();
        long runFirst = -1;
        long runLast = -1;
        RecordState runState = null;
        int runCount = -1;
        for (Map.Entry<Long, InFlight> entry : inFlight.entrySet()) {
            long o = entry.getKey();
            InFlight e = entry.getValue();
            if (runState == e.state && runCount == e.deliveryCount && runLast + 1 == o) {
                runLast = o;
                continue;
            }
            if (runState != null) {
                ranges.add(new ShareStateRecords.StateRange(runFirst, runLast, runState, runCount));
            }
            runFirst = o;
            runLast = o;
            runState = e.state;
            runCount = e.deliveryCount;
        }
        if (runState != null) {
            ranges.add(new ShareStateRecords.StateRange(runFirst, runLast, runState, runCount));
        }
        if (endOffset > (runState == null ? startOffset : runLast + 1)) {
            // Offsets up to endOffset are done but none is in flight: record the end as the start.
            if (ranges.isEmpty()) {
                startOffset = endOffset;
            } else {
                // A done, zero-length marker keeps endOffset across a restart.
                ranges.add(new ShareStateRecords.StateRange(endOffset - 1, endOffset - 1, RecordState.ARCHIVED, 0));
            }
        }
        return ShareStateRecords.partitionValue(new ShareStateRecords.PartitionState(startOffset, ranges));
    }

    private int topicPartitionIndex() {
        return partition.topicPartition().partition();
    }
}
