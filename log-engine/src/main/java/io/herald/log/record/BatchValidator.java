package io.herald.log.record;

import java.nio.ByteBuffer;

/**
 * Checks the batches offered for append before a byte of them is written: framing, magic, CRC-32C, offset deltas,
 * size, timestamps and, on compacted topics, that every record has a key. A batch that fails raises one of the
 * {@link InvalidBatchException} subclasses, whose message names the batch and what is wrong.
 *
 * <p>Only compacted topics pay for decompression (their keys must be checked); every other check reads the fixed
 * 61-byte header and runs the CRC over the bytes as they are.
 *
 * <p>Thread-safety: immutable.
 *
 * @param maxBatchBytes the largest batch accepted ({@code max.message.bytes})
 * @param timestampBeforeMaxMs how far in the past a create-time timestamp may be
 * @param timestampAfterMaxMs how far in the future a create-time timestamp may be
 * @param requireKeys whether every record needs a key (compacted topics)
 */
public record BatchValidator(
        int maxBatchBytes, long timestampBeforeMaxMs, long timestampAfterMaxMs, boolean requireKeys) {

    /** What a validated buffer holds. */
    public record Summary(int batchCount, long offsetCount, long maxTimestamp, int sizeInBytes) {}

    /**
     * Validates batches a producer sent, to which the leader will assign offsets: every batch must number its records
     * 0..count-1 and may not be a control batch.
     */
    public Summary validateForLeader(ByteBuffer batches, long nowMs) {
        return validate(batches, nowMs, true);
    }

    /**
     * Validates batches copied from a leader, which keep their offsets: they may have gaps left by compaction and
     * control batches written by coordinators, and their timestamps were checked by the leader.
     */
    public Summary validateForFollower(ByteBuffer batches) {
        return validate(batches, 0, false);
    }

    private Summary validate(ByteBuffer batches, long nowMs, boolean leader) {
        int position = batches.position();
        int end = batches.limit();
        if (position == end) {
            throw new CorruptRecordException("No record batch in an append");
        }
        int count = 0;
        long offsets = 0;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        long previousLastOffset = Long.MIN_VALUE;
        while (position < end) {
            RecordBatch batch = checkFraming(batches, position, end, count);
            checkContents(batch, leader);
            if (leader) {
                checkTimestamps(batch, nowMs);
            } else if (batch.baseOffset() <= previousLastOffset) {
                throw new CorruptRecordException("Batch " + count + " starts at offset " + batch.baseOffset()
                        + ", not after the previous batch's last offset " + previousLastOffset);
            }
            if (requireKeys && !batch.isControl()) {
                checkKeys(batch);
            }
            previousLastOffset = batch.lastOffset();
            offsets += batch.lastOffsetDelta() + 1L;
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
            position += batch.sizeInBytes();
            count++;
        }
        return new Summary(count, offsets, maxTimestamp, end - batches.position());
    }

    private RecordBatch checkFraming(ByteBuffer batches, int position, int end, int index) {
        int remaining = end - position;
        if (remaining < RecordBatch.HEADER_SIZE) {
            throw new CorruptRecordException("Batch " + index + " is truncated: " + remaining + " bytes, less than the "
                    + RecordBatch.HEADER_SIZE + "-byte header");
        }
        RecordBatch batch = RecordBatch.at(batches, position);
        long size = (long) batch.batchLength() + RecordBatch.LOG_OVERHEAD;
        if (size < RecordBatch.HEADER_SIZE) {
            throw new CorruptRecordException(
                    "Batch " + index + " declares length " + batch.batchLength() + ", too small for a batch header");
        }
        if (size > maxBatchBytes) {
            throw new RecordTooLargeException(
                    "Batch " + index + " is " + size + " bytes, more than max.message.bytes=" + maxBatchBytes);
        }
        if (size > remaining) {
            throw new CorruptRecordException(
                    "Batch " + index + " declares " + size + " bytes but only " + remaining + " were received");
        }
        return batch;
    }

    private static void checkContents(RecordBatch batch, boolean leader) {
        if (batch.magic() != RecordBatch.MAGIC) {
            throw new CorruptRecordException("Batch at offset " + batch.baseOffset() + " has magic " + batch.magic()
                    + "; only record batch format v2 (magic 2) is supported");
        }
        if (!batch.isChecksumValid()) {
            throw new CorruptRecordException("Batch at offset " + batch.baseOffset() + " fails its CRC: stored "
                    + batch.checksum() + ", computed " + batch.computeChecksum());
        }
        batch.compression(); // throws on ids 5-7
        int records = batch.recordCount();
        int lastOffsetDelta = batch.lastOffsetDelta();
        if (leader) {
            if (batch.isControl()) {
                throw new InvalidRecordException("Clients may not write control batches");
            }
            if (records < 1 || lastOffsetDelta != records - 1) {
                throw new CorruptRecordException("Batch has " + records + " records but lastOffsetDelta "
                        + lastOffsetDelta + "; a producer's batch numbers its records 0..count-1");
            }
        } else if (records < 0 || lastOffsetDelta < 0 || lastOffsetDelta < records - 1) {
            throw new CorruptRecordException("Batch at offset " + batch.baseOffset() + " has " + records
                    + " records but lastOffsetDelta " + lastOffsetDelta);
        }
    }

    private void checkTimestamps(RecordBatch batch, long nowMs) {
        if (batch.isLogAppendTime()) {
            return; // the log stamps its own time over whatever the producer wrote
        }
        checkTimestamp(batch.baseTimestamp(), nowMs, "base");
        checkTimestamp(batch.maxTimestamp(), nowMs, "max");
        if (batch.maxTimestamp() < batch.baseTimestamp()) {
            throw new InvalidTimestampException("Batch max timestamp " + batch.maxTimestamp()
                    + " is before its base timestamp " + batch.baseTimestamp());
        }
    }

    private void checkTimestamp(long timestamp, long nowMs, String which) {
        if (timestamp < RecordBatch.NO_TIMESTAMP) {
            throw new InvalidTimestampException("Batch " + which + " timestamp " + timestamp + " is negative");
        }
        if (timestamp == RecordBatch.NO_TIMESTAMP) {
            return;
        }
        if (timestampBeforeMaxMs < Long.MAX_VALUE && timestamp < nowMs - timestampBeforeMaxMs) {
            throw new InvalidTimestampException("Batch " + which + " timestamp " + timestamp + " is more than "
                    + timestampBeforeMaxMs + " ms before the broker's time " + nowMs
                    + " (message.timestamp.before.max.ms)");
        }
        if (timestampAfterMaxMs < Long.MAX_VALUE && timestamp > nowMs + timestampAfterMaxMs) {
            throw new InvalidTimestampException("Batch " + which + " timestamp " + timestamp + " is more than "
                    + timestampAfterMaxMs + " ms after the broker's time " + nowMs
                    + " (message.timestamp.after.max.ms)");
        }
    }

    private static void checkKeys(RecordBatch batch) {
        for (Record record : BatchRecords.decode(batch)) {
            if (!record.hasKey()) {
                throw new InvalidRecordException("Compacted topic cannot accept a record without a key (offset delta "
                        + (record.offset() - batch.baseOffset()) + " of the batch)");
            }
        }
    }
}
