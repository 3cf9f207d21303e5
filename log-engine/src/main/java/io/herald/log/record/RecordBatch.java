package io.herald.log.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A view of one Kafka record batch (magic v2) in a {@link ByteBuffer}, reading and writing header fields in
 * place without copying.
 *
 * <p>Byte layout, all integers big-endian (the Kafka protocol guide, "Record Batch"):
 *
 * <pre>
 *  offset  size  field
 *  0       8     baseOffset            offset of the first record; rewritten by the log on append
 *  8       4     batchLength           bytes that follow this field (total size - 12)
 *  12      4     partitionLeaderEpoch  stamped by the leader; not covered by the CRC
 *  16      1     magic                 always 2
 *  17      4     crc                   CRC-32C of bytes [21, end)
 *  21      2     attributes            bits 0-2 compression, 3 timestamp type (1 = log-append time),
 *                                      4 transactional, 5 control, 6 has delete horizon
 *  23      4     lastOffsetDelta       lastOffset - baseOffset
 *  27      8     baseTimestamp         (or the delete horizon when attribute bit 6 is set)
 *  35      8     maxTimestamp
 *  43      8     producerId
 *  51      2     producerEpoch
 *  53      4     baseSequence
 *  57      4     recordCount
 *  61      ...   records, compressed as a whole when the compression bits are not 0
 * </pre>
 *
 * <p>Thread-safety: a view is not thread-safe; it reads the shared buffer with absolute accessors only, so many
 * views may read the same buffer concurrently as long as nobody writes it.
 */
public final class RecordBatch {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;

    /** Size of the fixed header; the records start here. */
    public static final int HEADER_SIZE = 61;
    /** baseOffset and batchLength: the bytes before the part that batchLength counts. */
    public static final int LOG_OVERHEAD = 12;

    public static final byte MAGIC = 2;
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    private static final int COMPRESSION_MASK = 0x07;
    private static final int TIMESTAMP_TYPE_MASK = 0x08;
    private static final int TRANSACTIONAL_MASK = 0x10;
    private static final int CONTROL_MASK = 0x20;
    private static final int DELETE_HORIZON_MASK = 0x40;

    private final ByteBuffer buffer;
    private final int start;

    private RecordBatch(ByteBuffer buffer, int start) {
        this.buffer = buffer;
        this.start = start;
    }

    /** A view of the batch that starts at absolute index {@code start} of {@code buffer}. */
    public static RecordBatch at(ByteBuffer buffer, int start) {
        return new RecordBatch(buffer, start);
    }

    /** The buffer this view reads. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the batch's first byte in {@link #buffer()}. */
    public int start() {
        return start;
    }

    public long baseOffset() {
        return buffer.getLong(start + BASE_OFFSET_OFFSET);
    }

    public int batchLength() {
        return buffer.getInt(start + LENGTH_OFFSET);
    }

    /** Total size of the batch in bytes, header included, as declared by its length field. */
    public int sizeInBytes() {
        return batchLength() + LOG_OVERHEAD;
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(start + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(start + MAGIC_OFFSET);
    }

    /** The stored CRC, as an unsigned 32-bit value. */
    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(start + CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(start + ATTRIBUTES_OFFSET);
    }

    public Compression compression() {
        return Compression.forId(attributes() & COMPRESSION_MASK);
    }

    public boolean isLogAppendTime() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_MASK) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_MASK) != 0;
    }

    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(start + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset after this batch: where the next batch starts numbering. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buffer.getLong(start + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(start + MAX_TIMESTAMP_OFFSET);
    }

    /** The delete horizon of a compacted batch holding tombstones (KIP-534), or {@link #NO_TIMESTAMP}. */
    public long deleteHorizonMs() {
        return hasDeleteHorizon() ? baseTimestamp() : NO_TIMESTAMP;
    }

    public long producerId() {
        return buffer.getLong(start + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(start + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(start + BASE_SEQUENCE_OFFSET);
    }

    /** Sequence number of the last record, wrapping at {@code Integer.MAX_VALUE} as Kafka producers do. */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) base + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public int recordCount() {
        return buffer.getInt(start + RECORD_COUNT_OFFSET);
    }

    /** CRC-32C over the bytes the CRC field covers: from the attributes to the end of the batch. */
    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = buffer.duplicate();
        covered.limit(start + sizeInBytes()).position(start + ATTRIBUTES_OFFSET);
        crc.update(covered);
        return crc.getValue();
    }

    public boolean isChecksumValid() {
        return computeChecksum() == checksum();
    }

    /** A read-only buffer holding exactly this batch's bytes, position 0. */
    public ByteBuffer slice() {
        ByteBuffer dup = buffer.duplicate();
        dup.limit(start + sizeInBytes()).position(start);
        return dup.slice().asReadOnlyBuffer();
    }

    // ---- in-place writes (the buffer must be writable) -------------------------------------------------

    /** Rewrites the base offset; the CRC does not cover it, so the batch stays valid. */
    public void setBaseOffset(long baseOffset) {
        buffer.putLong(start + BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Stamps the leader epoch; the CRC does not cover it. */
    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Marks the batch as log-append time with {@code appendTimeMs} as its max timestamp (which consumers then report
     * for every record), and recomputes the CRC that covers both fields.
     */
    public void setLogAppendTime(long appendTimeMs) {
        short attributes = (short) (attributes() | TIMESTAMP_TYPE_MASK);
        buffer.putShort(start + ATTRIBUTES_OFFSET, attributes);
        buffer.putLong(start + MAX_TIMESTAMP_OFFSET, appendTimeMs);
        writeChecksum();
    }

    /** Recomputes and stores the CRC after a write to a covered field. */
    public void writeChecksum() {
        buffer.putInt(start + CRC_OFFSET, (int) computeChecksum());
    }

    static short attributes(
            Compression compression,
            boolean logAppendTime,
            boolean transactional,
            boolean control,
            boolean hasDeleteHorizon) {
        int attributes = compression.id();
        if (logAppendTime) {
            attributes |= TIMESTAMP_TYPE_MASK;
        }
        if (transactional) {
            attributes |= TRANSACTIONAL_MASK;
        }
        if (control) {
            attributes |= CONTROL_MASK;
        }
        if (hasDeleteHorizon) {
            attributes |= DELETE_HORIZON_MASK;
        }
        return (short) attributes;
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", size=" + sizeInBytes()
                + ", records=" + recordCount() + ", compression=" + compression() + ", maxTimestamp="
                + maxTimestamp() + ", producerId=" + producerId() + ")";
    }
}
