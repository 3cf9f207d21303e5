package io.herald.log;

import io.herald.log.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a partition log should hold, kept the simplest way: a sorted map of batches (their exact stored bytes) and three
 * offsets. {@link PartitionLogModelTest} drives a {@link PartitionLog} and this model with the same operations and
 * compares them. Segment boundaries are the engine's business; where an expectation depends on them (reads stop at a
 * segment's end, retention deletes whole segments) the test passes the engine's boundaries in and the model computes
 * everything else from its own batches.
 *
 * <p>Thread-safety: not thread-safe; one test thread.
 */
final class LogModel {

    /** A batch as it must be stored: bytes with the offset, epoch and (log-append time) timestamp assigned. */
    record Batch(long base, long last, byte[] bytes, long maxTimestamp, int epoch, long[] recordTimestamps) {

        static Batch of(ByteBuffer stored, long[] recordTimestamps) {
            RecordBatch b = RecordBatch.at(stored, stored.position());
            byte[] bytes = new byte[b.sizeInBytes()];
            stored.duplicate().get(bytes);
            return new Batch(
                    b.baseOffset(),
                    b.lastOffset(),
                    bytes,
                    b.maxTimestamp(),
                    b.partitionLeaderEpoch(),
                    recordTimestamps);
        }

        long next() {
            return last + 1;
        }

        int size() {
            return bytes.length;
        }

        boolean sameBytes(byte[] other) {
            return Arrays.equals(bytes, other);
        }

        @Override
        public String toString() {
            return "Batch[" + base + ".." + last + ", " + bytes.length + " bytes, maxTs " + maxTimestamp + "]";
        }
    }

    /** Every batch still in a segment file, those below the log start offset included, by base offset. */
    final TreeMap<Long, Batch> batches = new TreeMap<>();

    /**
     * Batches removed by a truncation. The cut of the active segment is not flushed, so after a power loss such a batch
     * may come back beyond the durable end; it must then be byte for byte what it was.
     */
    final Map<Long, List<Batch>> ghosts = new HashMap<>();

    long start;
    long end;
    /** Batches that end at or below this offset must survive a crash. */
    long durableEnd;

    void append(List<Batch> appended) {
        for (Batch b : appended) {
            batches.put(b.base(), b);
            end = b.next();
        }
    }

    /** The batch holding {@code offset}, if any. */
    Optional<Batch> containing(long offset) {
        Map.Entry<Long, Batch> e = batches.floorEntry(offset);
        return e != null && e.getValue().last() >= offset ? Optional.of(e.getValue()) : Optional.empty();
    }

    /**
     * Batches from the one holding {@code offset} on, in order (from the next one if {@code offset} falls in a gap a
     * crash left between segments).
     */
    List<Batch> from(long offset) {
        Optional<Batch> holding = containing(offset);
        Long first = holding.isPresent() ? Long.valueOf(holding.get().base()) : batches.ceilingKey(offset);
        return first == null
                ? List.of()
                : new ArrayList<>(batches.tailMap(first, true).values());
    }

    /**
     * Removes every batch whose last offset is at least {@code target}, as {@link PartitionLog#truncateTo} does: the
     * segments from {@code target} on go, the last one left is cut, and the log ends where that one now ends. When
     * {@code target} is at or below the first segment, the log restarts empty at {@code target}.
     */
    void truncateTo(long target, List<Long> segmentBases) {
        List<Batch> doomed = new ArrayList<>(
                batches.tailMap(containing(target).map(Batch::base).orElse(target), true)
                        .values());
        for (Batch b : doomed) {
            batches.remove(b.base());
            ghosts.computeIfAbsent(b.base(), k -> new ArrayList<>()).add(b);
        }
        if (target <= segmentBases.get(0)) {
            start = target;
            end = target;
        } else {
            long activeBase = segmentBases.stream()
                    .filter(b -> b < target)
                    .max(Long::compare)
                    .orElseThrow();
            end = Math.max(
                    activeBase,
                    batches.isEmpty()
                            ? activeBase
                            : batches.lastEntry().getValue().next());
        }
        if (end < start) {
            // The engine starts over, empty, at the log start offset rather than end below it.
            for (Batch b : new ArrayList<>(batches.values())) {
                batches.remove(b.base());
                ghosts.computeIfAbsent(b.base(), k -> new ArrayList<>()).add(b);
            }
            end = start;
        }
        durableEnd = Math.min(durableEnd, end);
    }

    /** Forgets batches of segments the engine deleted (those below its first segment). */
    void dropBelow(long firstSegmentBase) {
        batches.headMap(firstSegmentBase, false).clear();
    }

    /** Whether {@code bytes} at {@code base} is a version of that batch the log ever held. */
    boolean isKnownVersion(long base, byte[] bytes) {
        Batch current = batches.get(base);
        if (current != null && current.sameBytes(bytes)) {
            return true;
        }
        return ghosts.getOrDefault(base, List.of()).stream().anyMatch(g -> g.sameBytes(bytes));
    }

    /** The first record at or after the start whose timestamp is at least {@code timestamp}. */
    Optional<TimestampAndOffset> offsetForTimestamp(long timestamp) {
        for (Batch b : batches.values()) {
            for (int i = 0; i < b.recordTimestamps().length; i++) {
                long offset = b.base() + i;
                if (offset >= start && b.recordTimestamps()[i] >= timestamp) {
                    return Optional.of(new TimestampAndOffset(b.recordTimestamps()[i], offset, b.epoch()));
                }
            }
        }
        return Optional.empty();
    }

    /** Bytes of the batches whose base offset lies in [from, to). */
    long bytesIn(long from, long to) {
        return batches.subMap(from, true, to, false).values().stream()
                .mapToLong(Batch::size)
                .sum();
    }

    /** Largest batch timestamp in [from, to), or -1. */
    long maxTimestampIn(long from, long to) {
        return batches.subMap(from, true, to, false).values().stream()
                .mapToLong(Batch::maxTimestamp)
                .max()
                .orElse(RecordBatch.NO_TIMESTAMP);
    }

    /** The offset after the last batch in [from, to), or {@code from} if there is none. */
    long nextOffsetIn(long from, long to) {
        Map.Entry<Long, Batch> last = batches.subMap(from, true, to, false).lastEntry();
        return last == null ? from : last.getValue().next();
    }

    long totalBytes() {
        return batches.values().stream().mapToLong(Batch::size).sum();
    }
}
