package io.herald.log;

import io.herald.log.record.BatchRecords;
import io.herald.log.record.Compression;
import io.herald.log.record.Record;
import io.herald.log.record.RecordBatch;
import io.herald.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts one log: keeps the newest record of each key, drops tombstones once their delete horizon has passed, and
 * keeps every offset where it was.
 *
 * <p>Design note, as in Kafka's cleaner: a pass first maps each key of the dirty section (from the first dirty offset to
 * the first uncleanable one) to its newest offset, then rewrites the segments from the start of the log up to where the
 * map ends, in groups that fit one segment. A record is dropped if the map knows a newer offset for its key. A tombstone
 * that survives gets a delete horizon (now + {@code delete.retention.ms}) stamped in its batch (KIP-534), and a later
 * pass drops it once the horizon is past, so a consumer that keeps up within {@code delete.retention.ms} sees every
 * delete. Batches keep their offset range; a batch that loses all its records is dropped, unless it is its producer's
 * last (its sequence numbers must survive for idempotence) or the last of its group (so the cleaned segment ends at the
 * offset the replaced ones ended at, which crash recovery relies on), in which case an empty batch stays. Transactional
 * and control batches are kept as they are.
 *
 * <p>Crash safety comes from {@link PartitionLog#replaceSegments}: output is written to {@code .cleaned} files and
 * becomes live only through a {@code .swap} rename that recovery completes if a crash interrupts it.
 *
 * <p>Thread-safety: not thread-safe; one per cleaner thread.
 */
final class Compactor {

    private static final Logger log = LoggerFactory.getLogger(Compactor.class);

    /** What a pass did. */
    record Result(
            long newFirstDirtyOffset,
            int segmentsCleaned,
            long bytesBefore,
            long bytesAfter,
            long recordsRemoved,
            long earliestDeleteHorizon) {}

    private final OffsetMap map;
    private final BooleanSupplier aborted;

    Compactor(long memoryBytes, BooleanSupplier aborted) {
        this.map = new OffsetMap(memoryBytes);
        this.aborted = aborted;
    }

    /**
     * Cleans {@code partition} from its start up to where the map of the dirty section [{@code firstDirty}, {@code
     * firstUncleanable}) ends.
     *
     * @throws CancellationException if the log was deleted or truncated meanwhile
     */
    Result clean(PartitionLog partition, long firstDirty, long firstUncleanable, long now) throws IOException {
        LogConfig cfg = partition.config();
        long truncations = partition.truncations();
        List<Segment> segments = partition.segments();
        Segment active = segments.get(segments.size() - 1);
        long mapEnd = buildMap(segments, firstDirty, Math.min(firstUncleanable, active.baseOffset()));
        long cleanUpTo = Math.max(mapEnd, firstDirty);
        List<Segment> toClean = new ArrayList<>();
        for (Segment s : segments) {
            if (s != active && s.baseOffset() < cleanUpTo) {
                toClean.add(s);
            }
        }
        Map<Long, Long> producerLastBatch = producerLastBatches(toClean);
        Pass pass = new Pass(cfg, now, mapEnd, producerLastBatch, truncations);
        for (List<Segment> group : groups(toClean, cfg)) {
            cleanGroup(partition, group, pass);
        }
        log.info(
                "Compacted {} up to offset {}: {} segments, {} -> {} bytes, {} records removed",
                partition.topicPartition(),
                cleanUpTo,
                pass.segments,
                pass.bytesBefore,
                pass.bytesAfter,
                pass.removed);
        return new Result(
                cleanUpTo, pass.segments, pass.bytesBefore, pass.bytesAfter, pass.removed, pass.earliestHorizon);
    }

    /** Maps each key in [firstDirty, limit) to its newest offset; returns where the map ends (exclusive). */
    private long buildMap(List<Segment> segments, long firstDirty, long limit) throws IOException {
        map.clear();
        long end = firstDirty;
        for (Segment s : segments) {
            if (s.nextOffset() <= firstDirty || s.baseOffset() >= limit) {
                continue;
            }
            BatchScanner scanner = BatchScanner.batches(s.file(), 0, s.size());
            for (RecordBatch b = scanner.next(); b != null; b = scanner.next()) {
                checkAborted();
                if (b.nextOffset() <= firstDirty) {
                    continue;
                }
                if (b.nextOffset() > limit) {
                    return end;
                }
                if (!b.isControl()) {
                    for (Record r : BatchRecords.decode(b)) {
                        if (r.hasKey()) {
                            if (map.isFull()) {
                                return r.offset();
                            }
                            map.put(r.key(), r.offset());
                        }
                    }
                }
                end = b.nextOffset();
            }
        }
        return end;
    }

    /** For each producer id, the last offset of its last batch among {@code segments}. */
    private static Map<Long, Long> producerLastBatches(List<Segment> segments) throws IOException {
        Map<Long, Long> last = new HashMap<>();
        for (Segment s : segments) {
            BatchScanner scanner = BatchScanner.headers(s.file(), 0, s.size());
            for (RecordBatch b = scanner.next(); b != null; b = scanner.next()) {
                if (b.producerId() != RecordBatch.NO_PRODUCER_ID) {
                    last.put(b.producerId(), b.lastOffset());
                }
            }
        }
        return last;
    }

    /** Consecutive segments whose combined size fits one segment and whose offsets fit its index. */
    private static List<List<Segment>> groups(List<Segment> segments, LogConfig cfg) {
        List<List<Segment>> groups = new ArrayList<>();
        List<Segment> current = new ArrayList<>();
        long size = 0;
        for (Segment s : segments) {
            boolean fits = current.isEmpty()
                    || (size + s.size() <= cfg.segmentBytes()
                            && s.nextOffset() - 1 - current.get(0).baseOffset() <= Integer.MAX_VALUE);
            if (!fits) {
                groups.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(s);
            size += s.size();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private void cleanGroup(PartitionLog partition, List<Segment> group, Pass pass) throws IOException {
        Segment first = group.get(0);
        long groupNext = group.get(group.size() - 1).nextOffset();
        Segment out = Segment.create(
                partition.storage(), partition.dir(), first.baseOffset(), pass.cfg, pass.now, Segment.CLEANED_SUFFIX);
        try {
            for (Segment s : group) {
                pass.bytesBefore += s.size();
                BatchScanner scanner = BatchScanner.batches(s.file(), 0, s.size());
                for (RecordBatch b = scanner.next(); b != null; b = scanner.next()) {
                    checkAborted();
                    ByteBuffer kept = filter(b, pass);
                    if (kept == null && b.nextOffset() == groupNext) {
                        kept = emptyBatch(b);
                    }
                    if (kept != null) {
                        out.append(kept);
                    }
                }
                if (scanner.stopReason() != null) {
                    throw new CorruptLogException(s.path(), scanner.position(), scanner.stopReason());
                }
            }
            pass.bytesAfter += out.size();
            partition.replaceSegments(group, out, pass.truncations);
            pass.segments += group.size();
        } catch (IOException | RuntimeException e) {
            try {
                out.deleteFiles(partition.storage());
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The batch as it should be after cleaning: itself, a rewritten copy, or {@code null} if it goes. */
    private ByteBuffer filter(RecordBatch b, Pass pass) {
        if (b.isControl() || b.isTransactional()) {
            return b.slice();
        }
        List<Record> records = BatchRecords.decode(b);
        List<Record> kept = new ArrayList<>(records.size());
        boolean keptTombstone = false;
        for (Record r : records) {
            if (retain(r, b, pass)) {
                kept.add(r);
                keptTombstone |= r.isTombstone();
            }
        }
        pass.removed += records.size() - kept.size();
        boolean stampHorizon = keptTombstone && !b.hasDeleteHorizon();
        if (kept.size() == records.size() && !stampHorizon) {
            if (keptTombstone) {
                pass.earliestHorizon = Math.min(pass.earliestHorizon, b.deleteHorizonMs());
            }
            return b.slice();
        }
        if (kept.isEmpty()) {
            Long producerLast = pass.producerLastBatch.get(b.producerId());
            boolean producersLast = b.producerId() != RecordBatch.NO_PRODUCER_ID
                    && producerLast != null
                    && producerLast == b.lastOffset();
            return producersLast ? emptyBatch(b) : null;
        }
        RecordBatchBuilder builder = RecordBatchBuilder.create(b.compression())
                .producer(b.producerId(), b.producerEpoch(), b.baseSequence())
                .partitionLeaderEpoch(b.partitionLeaderEpoch())
                .offsetRange(b.baseOffset(), b.lastOffset());
        if (b.isLogAppendTime()) {
            builder.logAppendTime(b.maxTimestamp());
        }
        if (keptTombstone) {
            long horizon = b.hasDeleteHorizon() ? b.deleteHorizonMs() : pass.now + pass.cfg.deleteRetentionMs();
            builder.deleteHorizonMs(horizon);
            pass.earliestHorizon = Math.min(pass.earliestHorizon, horizon);
        }
        kept.forEach(builder::append);
        return builder.build();
    }

    private boolean retain(Record r, RecordBatch b, Pass pass) {
        if (r.offset() >= pass.mapEnd || !r.hasKey()) {
            return true;
        }
        long newest = map.get(r.key());
        if (newest > r.offset()) {
            return false;
        }
        if (r.isTombstone()) {
            return !(b.hasDeleteHorizon() && b.deleteHorizonMs() <= pass.now);
        }
        return true;
    }

    /** A batch with the same offsets and producer fields and no records. */
    private static ByteBuffer emptyBatch(RecordBatch b) {
        return RecordBatchBuilder.create(Compression.NONE)
                .producer(b.producerId(), b.producerEpoch(), b.baseSequence())
                .partitionLeaderEpoch(b.partitionLeaderEpoch())
                .offsetRange(b.baseOffset(), b.lastOffset())
                .emptyBatchTimestamp(b.maxTimestamp())
                .build();
    }

    private void checkAborted() {
        if (aborted.getAsBoolean()) {
            throw new CancellationException("Compaction aborted");
        }
    }

    /** The state of one cleaning pass. */
    private static final class Pass {
        final LogConfig cfg;
        final long now;
        final long mapEnd;
        final Map<Long, Long> producerLastBatch;
        final long truncations;
        int segments;
        long bytesBefore;
        long bytesAfter;
        long removed;
        long earliestHorizon = Long.MAX_VALUE;

        Pass(LogConfig cfg, long now, long mapEnd, Map<Long, Long> producerLastBatch, long truncations) {
            this.truncations = truncations;
            this.cfg = cfg;
            this.now = now;
            this.mapEnd = mapEnd;
            this.producerLastBatch = producerLastBatch;
        }
    }
}
