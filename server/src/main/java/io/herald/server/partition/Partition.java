package io.herald.server.partition;

import io.herald.log.AppendInfo;
import io.herald.log.PartitionLog;
import io.herald.log.TopicPartition;
import io.herald.log.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.DuplicateSequenceException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;

/**
 * A partition this broker leads: its log, the idempotent producers' state, and the high watermark that bounds what
 * consumers may read. On a single broker every appended record is committed at once, so the high watermark is the log
 * end offset; replication will make it trail.
 *
 * <p>Thread-safety: thread-safe. Appends are serialised by the partition's lock, which covers the producer-state check
 * and the write but not the fsync of the flush policy (see {@link PartitionLog#appendAsLeaderDeferringFlush}).
 */
public final class Partition {

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final PartitionLog log;
    private final Clock clock;
    private final ProducerStateManager producers = new ProducerStateManager();
    private final List<Consumer<TopicPartition>> appendListeners = new CopyOnWriteArrayList<>();
    private volatile int leaderEpoch;

    private Partition(TopicPartition tp, Uuid topicId, PartitionLog log, Clock clock) {
        this.topicPartition = tp;
        this.topicId = topicId;
        this.log = log;
        this.clock = clock;
    }

    /** Wraps an open log and rebuilds its producer state from the batches of the last {@code producerExpirationMs}. */
    static Partition open(TopicPartition tp, Uuid topicId, PartitionLog log, Clock clock, long producerExpirationMs)
            throws IOException {
        Partition p = new Partition(tp, topicId, log, clock);
        long cutoff = clock.millis() - producerExpirationMs;
        log.scanBatchHeaders(cutoff, batch -> {
            if (batch.producerId() != RecordBatch.NO_PRODUCER_ID) {
                p.producers.update(batch, batch.maxTimestamp());
            }
        });
        p.producers.expire(cutoff);
        return p;
    }

    /** What an append did. */
    public record AppendResult(long baseOffset, long logAppendTimeMs, long logStartOffset, boolean duplicate) {}

    /**
     * Appends a producer's batches: idempotent producers' sequences are checked, a retried batch is answered with its
     * first offsets instead of being written again.
     */
    public AppendResult appendAsLeader(ByteBuffer records) throws IOException {
        AppendInfo info;
        synchronized (this) {
            Optional<ProducerStateManager.BatchMetadata> duplicate = checkProducers(records);
            if (duplicate.isPresent()) {
                return new AppendResult(duplicate.get().firstOffset(), -1, log.logStartOffset(), true);
            }
            info = log.appendAsLeaderDeferringFlush(records, leaderEpoch);
            long now = clock.millis();
            forEachBatch(records, batch -> {
                if (batch.producerId() != RecordBatch.NO_PRODUCER_ID) {
                    producers.update(batch, now);
                }
            });
        }
        log.applyFlushPolicy(info);
        appendListeners.forEach(l -> l.accept(topicPartition));
        return new AppendResult(info.firstOffset(), info.logAppendTimeMs(), info.logStartOffset(), false);
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

    /** Calls {@code listener} after each append (long-poll fetches waiting for data). */
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

    /** The offset below which records are committed and visible to consumers. */
    public long highWatermark() {
        return log.logEndOffset();
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
