package io.herald.server.partition;

import io.herald.log.record.RecordBatch;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.UnknownProducerIdException;

/**
 * The idempotent-producer state of one partition: for each producer id its epoch and its last five batches (sequence
 * range and offsets), as Kafka keeps it. A batch is appended only if its sequence continues the producer's; a retry of
 * one of the last five batches is recognised and answered with the offsets it got the first time, without appending
 * again.
 *
 * <p>The state is rebuilt at start from the batch headers of recent segments (producers idle for longer than {@code
 * producer.id.expiration.ms} are forgotten, as in Kafka).
 *
 * <p>Thread-safety: not thread-safe; the owning {@link Partition} serialises access with its append lock.
 */
final class ProducerStateManager {

    static final int BATCHES_RETAINED = 5;

    /** A batch the producer wrote. */
    record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {}

    private static final class Entry {
        short epoch;
        final Deque<BatchMetadata> batches = new ArrayDeque<>();
        long lastTimestamp;

        Entry(short epoch) {
            this.epoch = epoch;
        }
    }

    private final Map<Long, Entry> producers = new HashMap<>();

    /**
     * Checks a batch of producer {@code pid} before it is appended.
     *
     * @return the metadata of the earlier identical batch if this one is a retry of it, else empty
     * @throws InvalidProducerEpochException if the epoch is older than the producer's
     * @throws OutOfOrderSequenceException if the sequence does not continue the producer's
     * @throws UnknownProducerIdException if the producer is unknown and the batch does not start its sequence
     */
    Optional<BatchMetadata> check(RecordBatch batch) {
        long pid = batch.producerId();
        short epoch = batch.producerEpoch();
        int firstSeq = batch.baseSequence();
        int lastSeq = batch.lastSequence();
        Entry entry = producers.get(pid);
        if (entry == null) {
            if (firstSeq != 0) {
                throw new UnknownProducerIdException("Producer " + pid + " is unknown to this partition and its batch "
                        + "starts at sequence " + firstSeq + ", not 0");
            }
            return Optional.empty();
        }
        if (epoch < entry.epoch) {
            throw new InvalidProducerEpochException(
                    "Producer " + pid + " has epoch " + epoch + ", older than the current " + entry.epoch);
        }
        if (epoch > entry.epoch) {
            if (firstSeq != 0) {
                throw new OutOfOrderSequenceException(
                        "Producer " + pid + " starts new epoch " + epoch + " at sequence " + firstSeq + ", not 0");
            }
            return Optional.empty();
        }
        for (BatchMetadata b : entry.batches) {
            if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
                return Optional.of(b);
            }
        }
        BatchMetadata last = entry.batches.peekLast();
        int expected = last == null ? 0 : nextSequence(last.lastSeq());
        if (last != null && firstSeq != expected) {
            throw new OutOfOrderSequenceException("Producer " + pid + " sent sequence " + firstSeq + " but " + expected
                    + " was expected (last appended: " + last.lastSeq() + ")");
        }
        return Optional.empty();
    }

    /** Records an appended batch (its offsets assigned). */
    void update(RecordBatch batch, long timestamp) {
        long pid = batch.producerId();
        Entry entry = producers.get(pid);
        if (entry == null || batch.producerEpoch() > entry.epoch) {
            entry = new Entry(batch.producerEpoch());
            producers.put(pid, entry);
        }
        entry.batches.addLast(new BatchMetadata(
                batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), timestamp));
        while (entry.batches.size() > BATCHES_RETAINED) {
            entry.batches.removeFirst();
        }
        entry.lastTimestamp = Math.max(entry.lastTimestamp, timestamp);
    }

    /** Forgets producers that wrote nothing since {@code cutoffTimestamp}. */
    void expire(long cutoffTimestamp) {
        Iterator<Entry> it = producers.values().iterator();
        while (it.hasNext()) {
            if (it.next().lastTimestamp < cutoffTimestamp) {
                it.remove();
            }
        }
    }

    /** Forgets everything (before a rebuild after a truncation). */
    void clear() {
        producers.clear();
    }

    int size() {
        return producers.size();
    }

    private static int nextSequence(int seq) {
        return seq == Integer.MAX_VALUE ? 0 : seq + 1;
    }
}
