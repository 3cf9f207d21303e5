package io.herald.server.fetch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * One incremental fetch session: the partitions a consumer fetches, what it last asked for each, and what it was last
 * told (high watermark, log start offset), so that an incremental response can leave out partitions without news.
 *
 * <p>Thread-safety: guarded by its own monitor; requests on one session are sequential by protocol (epochs).
 */
public final class FetchSession {

    /** A partition of a session, keyed by topic id and name (either may be unknown) and partition. */
    public record Key(Uuid topicId, String topic, int partition) {}

    /** What the session knows of one partition. */
    public static final class Entry {
        public long fetchOffset;
        public int maxBytes;
        public long sentHighWatermark = -1;
        public long sentLogStartOffset = -1;

        public Entry(long fetchOffset, int maxBytes) {
            this.fetchOffset = fetchOffset;
            this.maxBytes = maxBytes;
        }
    }

    private final int id;
    private int epoch = 1;
    private final LinkedHashMap<Key, Entry> partitions = new LinkedHashMap<>();

    FetchSession(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The epoch the next request must carry. */
    public synchronized int expectedEpoch() {
        return epoch;
    }

    public synchronized void advanceEpoch() {
        epoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    /** Adds or updates a partition the request lists. */
    public synchronized void upsert(Key key, long fetchOffset, int maxBytes) {
        Entry e = partitions.get(key);
        if (e == null) {
            partitions.put(key, new Entry(fetchOffset, maxBytes));
        } else {
            e.fetchOffset = fetchOffset;
            e.maxBytes = maxBytes;
        }
    }

    public synchronized void forget(Key key) {
        partitions.remove(key);
    }

    /** The partitions in fetch order. */
    public synchronized List<Map.Entry<Key, Entry>> entries() {
        return new ArrayList<>(partitions.entrySet());
    }

    /** Moves partitions that just returned data to the back, so each gets its turn at the response's byte budget. */
    public synchronized void rotate(List<Key> servedFirst) {
        for (Key k : servedFirst) {
            Entry e = partitions.remove(k);
            if (e != null) {
                partitions.put(k, e);
            }
        }
    }

    public synchronized int size() {
        return partitions.size();
    }
}
