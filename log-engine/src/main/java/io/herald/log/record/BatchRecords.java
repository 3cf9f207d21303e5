package io.herald.log.record;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the records of a batch, decompressing them when needed. The append and read paths never call this: only
 * compaction, timestamp look-ups and key checks on compacted topics look inside a batch.
 *
 * <p>Thread-safety: stateless.
 */
public final class BatchRecords {

    private BatchRecords() {}

    /**
     * All records of {@code batch}, in order, with absolute offsets and timestamps.
     *
     * @throws CorruptRecordException when the records do not decode or do not match the header's count
     */
    public static List<Record> decode(RecordBatch batch) {
        int count = batch.recordCount();
        if (count < 0) {
            throw new CorruptRecordException("Negative record count " + count + " in " + batch);
        }
        List<Record> records = new ArrayList<>(Math.min(count, 4096));
        try (DataInputStream in = new DataInputStream(batch.compression().decompress(recordBytes(batch)))) {
            long baseOffset = batch.baseOffset();
            long baseTimestamp = batch.baseTimestamp();
            boolean logAppendTime = batch.isLogAppendTime();
            long maxTimestamp = batch.maxTimestamp();
            for (int i = 0; i < count; i++) {
                records.add(readRecord(in, baseOffset, baseTimestamp, logAppendTime, maxTimestamp));
            }
        } catch (EOFException e) {
            throw new CorruptRecordException("Batch at offset " + batch.baseOffset() + " declares " + count
                    + " records but its data ends after " + records.size());
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptRecordException c) {
                throw c;
            }
            throw new CorruptRecordException(
                    "Cannot decode the records of the batch at offset " + batch.baseOffset() + ": " + e, e);
        }
        return records;
    }

    private static InputStream recordBytes(RecordBatch batch) {
        ByteBuffer body = batch.buffer().duplicate();
        body.limit(batch.start() + batch.sizeInBytes()).position(batch.start() + RecordBatch.HEADER_SIZE);
        return new ByteBufferInputStream(body.slice());
    }

    private static Record readRecord(
            DataInputStream in, long baseOffset, long baseTimestamp, boolean logAppendTime, long maxTimestamp)
            throws IOException {
        int length = Varint.readVarint(in);
        if (length < 0) {
            throw new CorruptRecordException("Negative record length " + length);
        }
        byte[] body = new byte[length];
        in.readFully(body);
        DataInputStream r = new DataInputStream(new ByteBufferInputStream(ByteBuffer.wrap(body)));
        r.readByte(); // attributes: unused in v2
        long timestampDelta = Varint.readVarlong(r);
        int offsetDelta = Varint.readVarint(r);
        byte[] key = readBytes(r);
        byte[] value = readBytes(r);
        int headerCount = Varint.readVarint(r);
        if (headerCount < 0) {
            throw new CorruptRecordException("Negative header count " + headerCount);
        }
        List<Header> headers = new ArrayList<>(Math.min(headerCount, 64));
        for (int i = 0; i < headerCount; i++) {
            byte[] headerKey = readBytes(r);
            if (headerKey == null) {
                throw new CorruptRecordException("Null header key");
            }
            headers.add(new Header(new String(headerKey, StandardCharsets.UTF_8), readBytes(r)));
        }
        if (r.available() != 0) {
            throw new CorruptRecordException("Record has " + r.available() + " bytes beyond its fields");
        }
        long timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
        return new Record(baseOffset + offsetDelta, timestamp, key, value, headers);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = Varint.readVarint(in);
        if (length < 0) {
            return null;
        }
        if (length > in.available()) {
            throw new CorruptRecordException("Field length " + length + " exceeds the record");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
