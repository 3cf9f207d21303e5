package io.herald.log.record;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one v2 record batch (layout in {@link RecordBatch}, records in {@link Record}). The log compactor uses it to
 * rewrite the records a batch keeps; tests and tools use it to make batches as a producer would.
 *
 * <p>Offsets and timestamps of the records are absolute; the builder stores them as deltas. By default the batch's
 * base offset is its first record's and its last offset delta covers its last record; a compacted batch keeps its
 * original range with {@link #offsetRange}.
 *
 * <p>Thread-safety: not thread-safe; one builder per batch.
 */
public final class RecordBatchBuilder {

    private final Compression compression;
    private final List<Record> records = new ArrayList<>();
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private boolean transactional;
    private boolean control;
    private long logAppendTime = RecordBatch.NO_TIMESTAMP;
    private long deleteHorizonMs = RecordBatch.NO_TIMESTAMP;
    private long baseOffset = -1;
    private long lastOffset = -1;
    private long emptyBatchTimestamp = RecordBatch.NO_TIMESTAMP;

    private RecordBatchBuilder(Compression compression) {
        this.compression = compression;
    }

    public static RecordBatchBuilder create(Compression compression) {
        return new RecordBatchBuilder(compression);
    }

    /** Marks the batch as an idempotent producer's: its id, epoch and the sequence of its first record. */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int epoch) {
        this.partitionLeaderEpoch = epoch;
        return this;
    }

    public RecordBatchBuilder transactional(boolean transactional) {
        this.transactional = transactional;
        return this;
    }

    public RecordBatchBuilder control(boolean control) {
        this.control = control;
        return this;
    }

    /** Marks the batch as log-append time, with {@code appendTimeMs} as the timestamp of every record. */
    public RecordBatchBuilder logAppendTime(long appendTimeMs) {
        this.logAppendTime = appendTimeMs;
        return this;
    }

    /** Sets the delete horizon of a compacted batch with tombstones (KIP-534); stored as the base timestamp. */
    public RecordBatchBuilder deleteHorizonMs(long deleteHorizonMs) {
        this.deleteHorizonMs = deleteHorizonMs;
        return this;
    }

    /**
     * Keeps an explicit offset range, as compaction does so that a producer's last sequence stays derivable from the
     * batch: records must lie inside it.
     */
    public RecordBatchBuilder offsetRange(long baseOffset, long lastOffset) {
        if (lastOffset < baseOffset) {
            throw new IllegalArgumentException("lastOffset " + lastOffset + " < baseOffset " + baseOffset);
        }
        this.baseOffset = baseOffset;
        this.lastOffset = lastOffset;
        return this;
    }

    /** The timestamp a batch without records carries (both base and max timestamp). */
    public RecordBatchBuilder emptyBatchTimestamp(long timestamp) {
        this.emptyBatchTimestamp = timestamp;
        return this;
    }

    public RecordBatchBuilder append(Record record) {
        if (!records.isEmpty()
                && record.offset() <= records.get(records.size() - 1).offset()) {
            throw new IllegalArgumentException("Offsets must increase: " + record.offset());
        }
        records.add(record);
        return this;
    }

    public RecordBatchBuilder append(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        return append(new Record(offset, timestamp, key, value, headers));
    }

    public RecordBatchBuilder append(long offset, long timestamp, byte[] key, byte[] value) {
        return append(Record.of(offset, timestamp, key, value));
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    /** The encoded batch, position 0, limit its size, CRC set. */
    public ByteBuffer build() {
        long base = baseOffset >= 0
                ? baseOffset
                : records.isEmpty() ? 0 : records.get(0).offset();
        long last = lastOffset >= 0
                ? lastOffset
                : records.isEmpty() ? base : records.get(records.size() - 1).offset();
        for (Record r : records) {
            if (r.offset() < base || r.offset() > last) {
                throw new IllegalArgumentException(
                        "Record offset " + r.offset() + " outside [" + base + ", " + last + "]");
            }
        }
        if (last - base > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Batch spans more than 2^31 offsets");
        }
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        for (Record r : records) {
            maxTimestamp = Math.max(maxTimestamp, r.timestamp());
        }
        long baseTimestamp;
        if (records.isEmpty()) {
            baseTimestamp = emptyBatchTimestamp;
            maxTimestamp = emptyBatchTimestamp;
        } else {
            baseTimestamp = deleteHorizonMs != RecordBatch.NO_TIMESTAMP
                    ? deleteHorizonMs
                    : records.get(0).timestamp();
        }
        if (logAppendTime != RecordBatch.NO_TIMESTAMP) {
            maxTimestamp = logAppendTime;
        }
        Compression used = records.isEmpty() ? Compression.NONE : compression;
        byte[] body = encodeRecords(used, base, baseTimestamp);

        ByteBuffer buf = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + body.length);
        buf.putLong(base);
        buf.putInt(RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD + body.length);
        buf.putInt(partitionLeaderEpoch);
        buf.put(RecordBatch.MAGIC);
        buf.putInt(0); // CRC, written below
        buf.putShort(RecordBatch.attributes(
                used,
                logAppendTime != RecordBatch.NO_TIMESTAMP,
                transactional,
                control,
                deleteHorizonMs != RecordBatch.NO_TIMESTAMP));
        buf.putInt((int) (last - base));
        buf.putLong(baseTimestamp);
        buf.putLong(maxTimestamp);
        buf.putLong(producerId);
        buf.putShort(producerEpoch);
        buf.putInt(baseSequence);
        buf.putInt(records.size());
        buf.put(body);
        buf.flip();
        RecordBatch.at(buf, 0).writeChecksum();
        return buf;
    }

    private byte[] encodeRecords(Compression used, long base, long baseTimestamp) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream compressed = used.compress(bytes);
                DataOutputStream out = new DataOutputStream(compressed)) {
            for (Record r : records) {
                writeRecord(out, r, base, baseTimestamp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Compression with " + used + " failed", e);
        }
        return bytes.toByteArray();
    }

    private static void writeRecord(DataOutputStream out, Record r, long base, long baseTimestamp) throws IOException {
        ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream(64);
        DataOutputStream body = new DataOutputStream(bodyBytes);
        body.writeByte(0);
        Varint.writeVarlong(r.timestamp() - baseTimestamp, body);
        Varint.writeVarint((int) (r.offset() - base), body);
        writeBytes(body, r.key());
        writeBytes(body, r.value());
        Varint.writeVarint(r.headers().size(), body);
        for (Header h : r.headers()) {
            writeBytes(body, h.key().getBytes(StandardCharsets.UTF_8));
            writeBytes(body, h.value());
        }
        Varint.writeVarint(bodyBytes.size(), out);
        bodyBytes.writeTo(out);
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            Varint.writeVarint(-1, out);
        } else {
            Varint.writeVarint(bytes.length, out);
            out.write(bytes);
        }
    }
}
