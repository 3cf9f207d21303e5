package io.herald.log.record;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * The compression codecs of record batch attributes bits 0-2, with the stream framing Kafka producers use, so the
 * engine can read a producer's compressed batch (compaction, timestamp look-ups) and write one a consumer can read.
 *
 * <p>Framing per codec: gzip is RFC 1952; snappy is xerial's {@code SnappyOutputStream} stream format (not the
 * snappy framing format); lz4 is the LZ4 frame format with independent 64 KiB blocks and no checksums beyond the
 * header's, as {@code KafkaLZ4BlockOutputStream} writes it; zstd is the standard zstd frame.
 *
 * <p>Thread-safety: stateless; each stream it creates belongs to one thread.
 */
public enum Compression {
    NONE(0),
    GZIP(1),
    SNAPPY(2),
    LZ4(3),
    ZSTD(4);

    private static final int BUFFER_SIZE = 16 * 1024;
    private static final Compression[] BY_ID = values();

    private final int id;

    Compression(int id) {
        this.id = id;
    }

    /** The id stored in the attributes' low three bits. */
    public int id() {
        return id;
    }

    /** The codec with the given attribute id; ids 5-7 are not assigned and make the batch corrupt. */
    public static Compression forId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new CorruptRecordException("Unknown compression type id " + id);
        }
        return BY_ID[id];
    }

    /** Wraps {@code in}, which holds the compressed records, in a stream of the uncompressed bytes. */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new BufferedInputStream(new GZIPInputStream(in, 8 * 1024), BUFFER_SIZE);
            case SNAPPY -> new SnappyInputStream(in);
            case LZ4 -> new LZ4FrameInputStream(in);
            case ZSTD -> new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), BUFFER_SIZE);
        };
    }

    /** Wraps {@code out} in a stream that compresses what is written to it; closing it finishes the frame. */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new BufferedOutputStream(new GZIPOutputStream(out, 8 * 1024), BUFFER_SIZE);
            case SNAPPY -> new SnappyOutputStream(out);
            case LZ4 ->
                new LZ4FrameOutputStream(
                        out,
                        LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                        LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE);
            case ZSTD -> new BufferedOutputStream(new ZstdOutputStreamNoFinalizer(out, 3), BUFFER_SIZE);
        };
    }
}
