package io.herald.server.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The byte layouts of {@code __consumer_offsets} records: every value decodes to what was encoded. */
class GroupRecordsTest {

    @Test
    void keysStartWithTheirTypeAndDecodeBack() {
        byte[] offsetKey = GroupRecords.offsetKey("group", "topic", 7);
        byte[] groupKey = GroupRecords.groupKey("group");

        assertThat(ByteBuffer.wrap(offsetKey).getShort()).isEqualTo(GroupRecords.OFFSET_KEY);
        assertThat(GroupRecords.decodeKey(ByteBuffer.wrap(offsetKey)))
                .isEqualTo(new GroupRecords.OffsetKey("group", "topic", 7));
        assertThat(GroupRecords.decodeKey(ByteBuffer.wrap(groupKey))).isEqualTo(new GroupRecords.GroupKey("group"));
        assertThat(GroupRecords.decodeKey(ByteBuffer.wrap(new byte[] {0, 99, 1, 2})))
                .isEqualTo(new GroupRecords.UnknownKey((short) 99));
        assertThat(offsetKey)
                .as("compaction relies on equal keys for the same partition")
                .isEqualTo(GroupRecords.offsetKey("group", "topic", 7));
    }

    @Test
    void committedOffsetsRoundTrip() {
        CommittedOffset o = new CommittedOffset(42, 3, "metadata ü", 1_700_000_000_000L, -1);

        assertThat(GroupRecords.decodeOffset(ByteBuffer.wrap(GroupRecords.offsetValue(o))))
                .isEqualTo(o);
    }

    @Test
    void classicGroupsRoundTrip() {
        ClassicGroup.Snapshot s = new ClassicGroup.Snapshot(
                "consumer",
                5,
                "range",
                "m1",
                123L,
                List.of(
                        new ClassicGroup.MemberSnapshot(
                                "m1", null, "client", "/127.0.0.1", 30_000, 10_000, new byte[] {1}, new byte[] {2}),
                        new ClassicGroup.MemberSnapshot(
                                "m2", "static", "client", "/10.0.0.1", 1, 2, new byte[0], new byte[] {3, 4})));

        ClassicGroup.Snapshot decoded = ((GroupRecords.ClassicValue)
                        GroupRecords.decodeGroup(ByteBuffer.wrap(GroupRecords.classicGroupValue(s))))
                .snapshot();

        assertThat(decoded)
                .usingRecursiveComparison()
                .withEqualsForType(Arrays::equals, byte[].class)
                .isEqualTo(s);
    }

    @Test
    void consumerGroupsRoundTrip() {
        Uuid t1 = Uuid.randomUuid();
        Uuid t2 = Uuid.randomUuid();
        ConsumerMember m = new ConsumerMember(
                "member",
                new ConsumerMember.Client("instance", "rack", "client", "/host", 45_000),
                new ConsumerMember.Subscription(List.of("a", "b"), "c.*", "uniform"),
                new ConsumerMember.Reconciliation(
                        4,
                        3,
                        ConsumerMember.MemberState.UNREVOKED_PARTITIONS,
                        Map.of(t1, Set.of(0, 2)),
                        Map.of(t2, Set.of(1))));
        ConsumerMember plain = ConsumerMember.joining("other");
        ConsumerGroup.Snapshot s = new ConsumerGroup.Snapshot(
                5,
                4,
                Map.of("a", new ConsumerGroup.TopicMetadata(t1, 3), "b", new ConsumerGroup.TopicMetadata(t2, 2)),
                List.of(m, plain),
                Map.of("member", Map.of(t1, Set.of(0, 2)), "other", Map.of(t1, Set.of(1), t2, Set.of(0, 1))));

        ConsumerGroup.Snapshot decoded = ((GroupRecords.ConsumerValue)
                        GroupRecords.decodeGroup(ByteBuffer.wrap(GroupRecords.consumerGroupValue(s))))
                .snapshot();

        assertThat(decoded.groupEpoch()).isEqualTo(5);
        assertThat(decoded.assignmentEpoch()).isEqualTo(4);
        assertThat(decoded.topics()).isEqualTo(s.topics());
        assertThat(decoded.members()).containsExactly(m, plain);
        assertThat(decoded.targetAssignment()).isEqualTo(s.targetAssignment());
    }

    @Test
    void valuesOfAnUnknownVersionOrCutShortAreRejectedRatherThanMisread() {
        byte[] value = GroupRecords.offsetValue(new CommittedOffset(1, -1, "", 2, -1));
        byte[] newer = value.clone();
        newer[1] = 9;

        assertThatThrownBy(() -> GroupRecords.decodeOffset(ByteBuffer.wrap(newer)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> GroupRecords.decodeOffset(ByteBuffer.wrap(Arrays.copyOf(value, value.length - 3))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GroupRecords.decodeGroup(ByteBuffer.wrap(new byte[] {0, 1, 7})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group type 7");
    }
}
