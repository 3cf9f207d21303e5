package io.herald.server.share;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of {@code __share_group_state}: the key says what a record is about, the value is its newest state (the
 * topic is compacted, so only the newest value of each key survives).
 *
 * <pre>
 * key, partition state:   int16 type=0 | string group | string topic | int32 partition
 * key, group configs:     int16 type=1 | string group
 * value, partition state: int16 version=0 | int64 startOffset | int32 n | n x (int64 first | int64 last |
 *                         int8 state | int16 deliveryCount)
 * value, group configs:   int16 version=0 | int32 n | n x (string key | string value)
 * string:                 int16 length | UTF-8 bytes
 * </pre>
 *
 * A null value (tombstone) deletes the key. Ranges list the in-flight records above the start offset; offsets in
 * between that no range covers are done (or never existed).
 *
 * <p>Thread-safety: stateless.
 */
final class ShareStateRecords {

    static final short PARTITION_STATE = 0;
    static final short GROUP_CONFIGS = 1;

    private ShareStateRecords() {}

    /** What a key is about. */
    sealed interface Key permits PartitionKey, GroupConfigsKey {}

    /** The state of one share partition. */
    record PartitionKey(String group, String topic, int partition) implements Key {}

    /** The configs of one share group. */
    record GroupConfigsKey(String group) implements Key {}

    /** A run of in-flight records with the same state and delivery count. */
    record StateRange(long first, long last, RecordState state, int deliveryCount) {}

    /** A share partition's durable state. */
    record PartitionState(long startOffset, List<StateRange> ranges) {}

    static byte[] key(Key key) {
        if (key instanceof PartitionKey k) {
            ByteBuffer b = ByteBuffer.allocate(10 + utf8(k.group()).length + utf8(k.topic()).length);
            b.putShort(PARTITION_STATE);
            putString(b, k.group());
            putString(b, k.topic());
            b.putInt(k.partition());
            return b.array();
        }
        String group = ((GroupConfigsKey) key).group();
        ByteBuffer b = ByteBuffer.allocate(4 + utf8(group).length);
        b.putShort(GROUP_CONFIGS);
        putString(b, group);
        return b.array();
    }

    /**
     * Decodes a key.
     *
     * @throws IllegalArgumentException for a type this version does not know or a malformed key
     */
    static Key decodeKey(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            short type = b.getShort();
            return switch (type) {
                case PARTITION_STATE -> new PartitionKey(string(b), string(b), b.getInt());
                case GROUP_CONFIGS -> new GroupConfigsKey(string(b));
                default -> throw new IllegalArgumentException("Unknown key type " + type);
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("Truncated key", e);
        }
    }

    static byte[] partitionValue(PartitionState state) {
        ByteBuffer b = ByteBuffer.allocate(14 + state.ranges().size() * 19);
        b.putShort((short) 0);
        b.putLong(state.startOffset());
        b.putInt(state.ranges().size());
        for (StateRange r : state.ranges()) {
            b.putLong(r.first()).putLong(r.last()).put(r.state().id()).putShort((short) r.deliveryCount());
        }
        return b.array();
    }

    static PartitionState decodePartition(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            short version = b.getShort();
            if (version != 0) {
                throw new IllegalArgumentException("Unknown partition state version " + version);
            }
            long start = b.getLong();
            int n = b.getInt();
            List<StateRange> ranges = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ranges.add(new StateRange(b.getLong(), b.getLong(), RecordState.of(b.get()), b.getShort()));
            }
            return new PartitionState(start, ranges);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("Truncated partition state", e);
        }
    }

    static byte[] configsValue(Map<String, String> configs) {
        int size = 6;
        for (Map.Entry<String, String> e : configs.entrySet()) {
            size += 4 + utf8(e.getKey()).length + utf8(e.getValue()).length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort((short) 0);
        b.putInt(configs.size());
        configs.forEach((k, v) -> {
            putString(b, k);
            putString(b, v);
        });
        return b.array();
    }

    static Map<String, String> decodeConfigs(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            short version = b.getShort();
            if (version != 0) {
                throw new IllegalArgumentException("Unknown group configs version " + version);
            }
            int n = b.getInt();
            Map<String, String> configs = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                configs.put(string(b), string(b));
            }
            return configs;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("Truncated group configs", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = utf8(s);
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("String too long for a share state key: " + bytes.length + " bytes");
        }
        b.putShort((short) bytes.length).put(bytes);
    }

    private static String string(ByteBuffer b) {
        int n = b.getShort();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("Bad string length " + n);
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
