package io.herald.server.partition;

import io.herald.log.PartitionLog;
import io.herald.log.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which leader epoch began at which offset of a partition's log, kept in {@value #FILE_NAME} in the partition's
 * directory as Kafka keeps it: a follower that returns asks the leader where its last epoch ended on the leader (the
 * OffsetForLeaderEpoch API) and truncates a diverged tail there.
 *
 * <p>File layout (text, replaced atomically on every change; changes happen once per leader change):
 *
 * <pre>
 *  0                       format version
 *  &lt;n&gt;                     number of entries
 *  &lt;epoch&gt; &lt;start offset&gt;  n lines, epochs ascending
 * </pre>
 *
 * A missing or unreadable file is rebuilt from the epochs stamped in the batch headers; entries at or past the log end
 * offset are dropped at open (a crash may have cut the log below them).
 *
 * <p>Thread-safety: not thread-safe; the owning {@link Partition} calls it under its lock.
 */
public final class LeaderEpochCache {

    public static final String FILE_NAME = "leader-epoch-checkpoint";
    /** An epoch or offset the cache does not know. */
    public static final int UNDEFINED = -1;

    private final Path file;
    private final TreeMap<Integer, Long> epochs = new TreeMap<>();

    private LeaderEpochCache(Path file) {
        this.file = file;
    }

    /** Loads (or rebuilds) the cache of {@code log}. */
    static LeaderEpochCache open(PartitionLog log) throws IOException {
        LeaderEpochCache cache = new LeaderEpochCache(log.dir().resolve(FILE_NAME));
        boolean loaded = false;
        if (Files.exists(cache.file)) {
            try {
                List<String> lines = Files.readAllLines(cache.file, StandardCharsets.US_ASCII);
                int n = Integer.parseInt(lines.get(1).trim());
                for (int i = 0; i < n; i++) {
                    String[] parts = lines.get(2 + i).trim().split(" ");
                    cache.epochs.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                }
                loaded = true;
            } catch (RuntimeException e) {
                cache.epochs.clear();
            }
        }
        if (!loaded && log.logEndOffset() > log.logStartOffset()) {
            log.scanBatchHeaders(Long.MIN_VALUE, batch -> {
                int epoch = batch.partitionLeaderEpoch();
                if (epoch >= 0 && (cache.epochs.isEmpty() || epoch > cache.epochs.lastKey())) {
                    cache.epochs.put(epoch, batch.baseOffset());
                }
            });
            cache.persist();
        }
        cache.truncateFromEnd(log.logEndOffset());
        return cache;
    }

    /** The newest epoch, or {@link #UNDEFINED}. */
    public int latestEpoch() {
        return epochs.isEmpty() ? UNDEFINED : epochs.lastKey();
    }

    /** The offset where {@code epoch} begins, or {@link #UNDEFINED} if the cache does not have it. */
    public long startOffset(int epoch) {
        Long start = epochs.get(epoch);
        return start == null ? UNDEFINED : start;
    }

    /** Records that {@code epoch} starts at {@code offset}, if it is newer than every epoch known. */
    void assign(int epoch, long offset) throws IOException {
        if (epoch < 0 || (!epochs.isEmpty() && epoch <= epochs.lastKey())) {
            return;
        }
        epochs.put(epoch, offset);
        persist();
    }

    /** Records the epochs of batches a follower appended. */
    void assignFrom(ByteBuffer batches) throws IOException {
        for (int p = batches.position(); p + RecordBatch.HEADER_SIZE <= batches.limit(); ) {
            RecordBatch b = RecordBatch.at(batches, p);
            assign(b.partitionLeaderEpoch(), b.baseOffset());
            p += b.sizeInBytes();
        }
    }

    /** Epoch and end offset answer of OffsetForLeaderEpoch. */
    public record EpochEnd(int epoch, long endOffset) {}

    /**
     * The largest epoch not above {@code requested}, and the offset where it ended: the start of the next epoch, or
     * {@code logEndOffset} if it is the newest. {@link #UNDEFINED} for both if every known epoch is larger.
     */
    public EpochEnd endOffsetFor(int requested, long logEndOffset) {
        Map.Entry<Integer, Long> floor = epochs.floorEntry(requested);
        if (floor == null) {
            return new EpochEnd(UNDEFINED, UNDEFINED);
        }
        Map.Entry<Integer, Long> next = epochs.higherEntry(floor.getKey());
        return new EpochEnd(floor.getKey(), next == null ? logEndOffset : next.getValue());
    }

    /** Drops the epochs that start at or after {@code offset} (the log was truncated there). */
    void truncateFromEnd(long offset) throws IOException {
        boolean changed = epochs.values().removeIf(start -> start >= offset);
        if (changed) {
            persist();
        }
    }

    /** Forgets everything (the log starts over empty). */
    void clear() throws IOException {
        if (!epochs.isEmpty()) {
            epochs.clear();
            persist();
        }
    }

    private void persist() throws IOException {
        StringBuilder sb = new StringBuilder("0\n").append(epochs.size()).append('\n');
        epochs.forEach((e, o) -> sb.append(e).append(' ').append(o).append('\n'));
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
