package io.herald.server.group;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The records Herald writes to {@code __consumer_offsets}: their keys and values, byte for byte. The encoding is
 * Herald's own (Kafka's tools cannot read it, and need not: the topic is internal). Compaction keeps the newest value
 * per key, so every key names exactly one piece of state and every value holds that state in full; a record with a
 * null value (a tombstone) deletes it.
 *
 * <p>All integers are big-endian. {@code string} is an int16 length followed by that many UTF-8 bytes, length -1 for
 * null; {@code bytes} is an int32 length and the bytes; {@code uuid} is two int64; {@code [T]} is an int32 count and the
 * elements.
 *
 * <p><b>Keys.</b> The first int16 is the key type; it is also the version of the key layout (a new layout gets a new
 * type). A reader skips records of a type it does not know, with a warning.
 *
 * <pre>
 *  offset commit (type 1)            group metadata (type 2)
 *  +--------+-------+-------+------+ +--------+-------+
 *  | int16 1| group | topic | int32| | int16 2| group |
 *  |        | string| string| part.| |        | string|
 *  +--------+-------+-------+------+ +--------+-------+
 * </pre>
 *
 * <p><b>Values.</b> The first int16 is the value version (1). Readers reject versions they do not know (a newer
 * broker's data), with an error naming the record, rather than misread them.
 *
 * <pre>
 *  offset commit v1:  int16 1 | int64 offset | int32 leader epoch | string metadata
 *                     | int64 commit timestamp | int64 expire timestamp (-1: none)
 *
 *  group v1:          int16 1 | int8 type (0 classic, 1 consumer) | body
 *
 *  classic body:      string protocol type | int32 generation | string protocol | string leader
 *                     | int64 state timestamp | [member]
 *    member:          string member id | string instance id | string client id | string client host
 *                     | int32 rebalance timeout | int32 session timeout | bytes subscription | bytes assignment
 *
 *  consumer body:     int32 group epoch | int32 assignment epoch | [topic: string name | uuid id | int32 partitions]
 *                     | [member]
 *    member:          string member id | string instance id | string rack | string client id | string client host
 *                     | int32 rebalance timeout | string server assignor | [string subscribed topic]
 *                     | string subscribed regex | int32 member epoch | int32 previous epoch | int8 state
 *                     | assignment assigned | assignment pending revocation | assignment target
 *    assignment:      [uuid topic id | [int32 partition]]
 * </pre>
 *
 * <p>Thread-safety: stateless.
 */
final class GroupRecords {

    static final short OFFSET_KEY = 1;
    static final short GROUP_KEY = 2;
    static final short VALUE_VERSION = 1;
    private static final byte CLASSIC = 0;
    private static final byte CONSUMER = 1;

    private GroupRecords() {}

    /** A decoded key. */
    sealed interface Key permits OffsetKey, GroupKey, UnknownKey {}

    /** The key of a committed offset. */
    record OffsetKey(String group, String topic, int partition) implements Key {}

    /** The key of a group's metadata. */
    record GroupKey(String group) implements Key {}

    /** A key of a type this version does not know. */
    record UnknownKey(short type) implements Key {}

    /** A record to write: key and value bytes; a null value is a tombstone. */
    record Entry(byte[] key, byte[] value) {}

    // ---- keys ---------------------------------------------------------------------------------------------------

    static byte[] offsetKey(String group, String topic, int partition) {
        Writer w = new Writer();
        w.int16(OFFSET_KEY).string(group).string(topic).int32(partition);
        return w.bytes();
    }

    static byte[] groupKey(String group) {
        return new Writer().int16(GROUP_KEY).string(group).bytes();
    }

    static Key decodeKey(ByteBuffer buf) {
        Reader r = new Reader(buf);
        short type = r.int16();
        return switch (type) {
            case OFFSET_KEY -> new OffsetKey(r.string(), r.string(), r.int32());
            case GROUP_KEY -> new GroupKey(r.string());
            default -> new UnknownKey(type);
        };
    }

    // ---- offsets ------------------------------------------------------------------------------------------------

    static byte[] offsetValue(CommittedOffset o) {
        return new Writer()
                .int16(VALUE_VERSION)
                .int64(o.offset())
                .int32(o.leaderEpoch())
                .string(o.metadata())
                .int64(o.commitTimestampMs())
                .int64(o.expireTimestampMs())
                .bytes();
    }

    static CommittedOffset decodeOffset(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.version();
        long offset = r.int64();
        int epoch = r.int32();
        String metadata = r.string();
        return new CommittedOffset(offset, epoch, metadata == null ? "" : metadata, r.int64(), r.int64());
    }

    // ---- groups -------------------------------------------------------------------------------------------------

    static byte[] classicGroupValue(ClassicGroup.Snapshot g) {
        Writer w = new Writer().int16(VALUE_VERSION).int8(CLASSIC);
        w.string(g.protocolType())
                .int32(g.generationId())
                .string(g.protocolName())
                .string(g.leaderId())
                .int64(g.stateTimestampMs());
        w.int32(g.members().size());
        for (ClassicGroup.MemberSnapshot m : g.members()) {
            w.string(m.memberId())
                    .string(m.groupInstanceId())
                    .string(m.clientId())
                    .string(m.clientHost())
                    .int32(m.rebalanceTimeoutMs())
                    .int32(m.sessionTimeoutMs())
                    .blob(m.subscription())
                    .blob(m.assignment());
        }
        return w.bytes();
    }

    static byte[] consumerGroupValue(ConsumerGroup.Snapshot g) {
        Writer w = new Writer().int16(VALUE_VERSION).int8(CONSUMER);
        w.int32(g.groupEpoch()).int32(g.assignmentEpoch());
        w.int32(g.topics().size());
        g.topics().forEach((name, t) -> w.string(name).uuid(t.id()).int32(t.partitions()));
        w.int32(g.members().size());
        for (ConsumerMember m : g.members()) {
            ConsumerMember.Client c = m.client();
            ConsumerMember.Subscription s = m.subscription();
            ConsumerMember.Reconciliation a = m.reconciliation();
            w.string(m.memberId())
                    .string(c.instanceId())
                    .string(c.rackId())
                    .string(c.clientId())
                    .string(c.clientHost())
                    .int32(c.rebalanceTimeoutMs())
                    .string(s.serverAssignor());
            w.int32(s.topicNames().size());
            s.topicNames().forEach(w::string);
            w.string(s.regex())
                    .int32(a.memberEpoch())
                    .int32(a.previousMemberEpoch())
                    .int8((byte) a.state().ordinal());
            w.assignment(a.assigned())
                    .assignment(a.pendingRevocation())
                    .assignment(g.targetAssignment().getOrDefault(m.memberId(), Map.of()));
        }
        return w.bytes();
    }

    /** A decoded group value. */
    sealed interface GroupValue permits ClassicValue, ConsumerValue {}

    record ClassicValue(ClassicGroup.Snapshot snapshot) implements GroupValue {}

    record ConsumerValue(ConsumerGroup.Snapshot snapshot) implements GroupValue {}

    static GroupValue decodeGroup(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.version();
        byte type = r.int8();
        if (type == CLASSIC) {
            String protocolType = r.string();
            int generation = r.int32();
            String protocolName = r.string();
            String leader = r.string();
            long stateTs = r.int64();
            int n = r.count();
            List<ClassicGroup.MemberSnapshot> members = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                members.add(new ClassicGroup.MemberSnapshot(
                        r.string(), r.string(), r.string(), r.string(), r.int32(), r.int32(), r.blob(), r.blob()));
            }
            return new ClassicValue(
                    new ClassicGroup.Snapshot(protocolType, generation, protocolName, leader, stateTs, members));
        }
        if (type == CONSUMER) {
            int groupEpoch = r.int32();
            int assignmentEpoch = r.int32();
            int topicCount = r.count();
            Map<String, ConsumerGroup.TopicMetadata> topics = new LinkedHashMap<>();
            for (int i = 0; i < topicCount; i++) {
                topics.put(r.string(), new ConsumerGroup.TopicMetadata(r.uuid(), r.int32()));
            }
            int n = r.count();
            List<ConsumerMember> members = new ArrayList<>(n);
            Map<String, Map<Uuid, Set<Integer>>> target = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String memberId = r.string();
                ConsumerMember.Client client =
                        new ConsumerMember.Client(r.string(), r.string(), r.string(), r.string(), r.int32());
                String assignor = r.string();
                int names = r.count();
                List<String> topicNames = new ArrayList<>(names);
                for (int j = 0; j < names; j++) {
                    topicNames.add(r.string());
                }
                ConsumerMember.Subscription subscription =
                        new ConsumerMember.Subscription(topicNames, r.string(), assignor);
                int epoch = r.int32();
                int previous = r.int32();
                int state = r.int8();
                if (state < 0 || state >= ConsumerMember.MemberState.values().length) {
                    throw new IllegalArgumentException("Unknown member state " + state);
                }
                ConsumerMember.Reconciliation reconciliation = new ConsumerMember.Reconciliation(
                        epoch, previous, ConsumerMember.MemberState.values()[state], r.assignment(), r.assignment());
                target.put(memberId, r.assignment());
                members.add(new ConsumerMember(memberId, client, subscription, reconciliation));
            }
            return new ConsumerValue(new ConsumerGroup.Snapshot(groupEpoch, assignmentEpoch, topics, members, target));
        }
        throw new IllegalArgumentException("Unknown group type " + type);
    }

    // ---- primitives ---------------------------------------------------------------------------------------------

    /** Appends fields to a growing buffer. */
    private static final class Writer {
        private ByteBuffer buf = ByteBuffer.allocate(128);

        private void ensure(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        Writer int8(byte v) {
            ensure(1);
            buf.put(v);
            return this;
        }

        Writer int16(short v) {
            ensure(2);
            buf.putShort(v);
            return this;
        }

        Writer int32(int v) {
            ensure(4);
            buf.putInt(v);
            return this;
        }

        Writer int64(long v) {
            ensure(8);
            buf.putLong(v);
            return this;
        }

        Writer uuid(Uuid id) {
            return int64(id.getMostSignificantBits()).int64(id.getLeastSignificantBits());
        }

        Writer string(String s) {
            if (s == null) {
                return int16((short) -1);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("String of " + b.length + " bytes is too long to store");
            }
            int16((short) b.length);
            ensure(b.length);
            buf.put(b);
            return this;
        }

        Writer blob(byte[] b) {
            int32(b.length);
            ensure(b.length);
            buf.put(b);
            return this;
        }

        Writer assignment(Map<Uuid, Set<Integer>> a) {
            int32(a.size());
            a.forEach((topic, partitions) -> {
                uuid(topic);
                int32(partitions.size());
                new TreeSet<>(partitions).forEach(this::int32);
            });
            return this;
        }

        byte[] bytes() {
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }

    /** Reads fields, failing with {@link IllegalArgumentException} on truncated or malformed input. */
    private static final class Reader {
        private final ByteBuffer buf;

        Reader(ByteBuffer buf) {
            this.buf = buf.duplicate();
        }

        void version() {
            short v = int16();
            if (v != VALUE_VERSION) {
                throw new IllegalArgumentException(
                        "Unknown value version " + v + " (this broker reads version " + VALUE_VERSION + ")");
            }
        }

        byte int8() {
            return get(1).get();
        }

        short int16() {
            return get(2).getShort();
        }

        int int32() {
            return get(4).getInt();
        }

        long int64() {
            return get(8).getLong();
        }

        Uuid uuid() {
            return new Uuid(int64(), int64());
        }

        int count() {
            int n = int32();
            if (n < 0 || n > buf.remaining()) {
                throw new IllegalArgumentException("Invalid element count " + n);
            }
            return n;
        }

        String string() {
            short len = int16();
            if (len == -1) {
                return null;
            }
            if (len < 0) {
                throw new IllegalArgumentException("Invalid string length " + len);
            }
            byte[] b = new byte[len];
            get(len).get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        byte[] blob() {
            int len = count();
            byte[] b = new byte[len];
            buf.get(b);
            return b;
        }

        Map<Uuid, Set<Integer>> assignment() {
            int topics = count();
            Map<Uuid, Set<Integer>> a = new LinkedHashMap<>();
            for (int i = 0; i < topics; i++) {
                Uuid id = uuid();
                int n = count();
                Set<Integer> partitions = new TreeSet<>();
                for (int j = 0; j < n; j++) {
                    partitions.add(int32());
                }
                a.put(id, partitions);
            }
            return a;
        }

        private ByteBuffer get(int n) {
            if (buf.remaining() < n) {
                throw new IllegalArgumentException(new BufferUnderflowException());
            }
            return buf;
        }
    }
}
