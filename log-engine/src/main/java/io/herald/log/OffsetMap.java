package io.herald.log;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The compactor's map from record key to the offset of its newest version, in a fixed amount of memory: an
 * open-addressing table of 16-byte MD5 digests of keys and 8-byte offsets, as Kafka's {@code SkimpyOffsetMap}. Two keys
 * with one digest would be taken for one key; at 2^-64 per pair that risk is accepted for a bounded footprint.
 *
 * <p>Thread-safety: not thread-safe; one per cleaner thread.
 */
final class OffsetMap {

    private static final int HASH_SIZE = 16;
    private static final int ENTRY_SIZE = HASH_SIZE + 8;
    private static final double MAX_LOAD = 0.9;

    private final ByteBuffer table;
    private final int slots;
    private final MessageDigest md5;
    private final byte[] hash = new byte[HASH_SIZE];
    private final byte[] probe = new byte[HASH_SIZE];
    private int entries;

    OffsetMap(long memoryBytes) {
        this.slots = (int) Math.max(16, Math.min(Integer.MAX_VALUE / ENTRY_SIZE, memoryBytes / ENTRY_SIZE));
        this.table = ByteBuffer.allocate(slots * ENTRY_SIZE);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has MD5", e);
        }
    }

    /** Whether another new key would push the table past its load limit. */
    boolean isFull() {
        return entries >= (int) (slots * MAX_LOAD);
    }

    int size() {
        return entries;
    }

    /** Records that {@code key}'s newest version so far is at {@code offset}. */
    void put(byte[] key, long offset) {
        digest(key);
        int slot = findSlot();
        int at = slot * ENTRY_SIZE;
        if (isEmpty(at)) {
            table.position(at);
            table.put(hash);
            entries++;
        }
        table.putLong(at + HASH_SIZE, offset);
    }

    /** The newest offset recorded for {@code key}, or -1. */
    long get(byte[] key) {
        digest(key);
        int at = findSlot() * ENTRY_SIZE;
        return isEmpty(at) ? -1 : table.getLong(at + HASH_SIZE);
    }

    void clear() {
        Arrays.fill(table.array(), (byte) 0);
        entries = 0;
    }

    private void digest(byte[] key) {
        md5.reset();
        md5.update(key);
        try {
            md5.digest(hash, 0, HASH_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        if (isZero(hash)) {
            hash[0] = 1; // all zeros marks an empty slot
        }
    }

    /** The slot holding {@link #hash}, or the empty slot where it belongs (linear probing). */
    private int findSlot() {
        int slot = (int) (Integer.toUnsignedLong(ByteBuffer.wrap(hash).getInt()) % slots);
        while (true) {
            int at = slot * ENTRY_SIZE;
            if (isEmpty(at)) {
                return slot;
            }
            table.get(at, probe);
            if (Arrays.equals(probe, hash)) {
                return slot;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
    }

    private boolean isEmpty(int at) {
        return table.getLong(at) == 0 && table.getLong(at + 8) == 0;
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
