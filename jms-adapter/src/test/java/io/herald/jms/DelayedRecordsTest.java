package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DelayedRecordsTest {

    private static final long SENT_AT = 1_000_000;

    /** A record sent at {@link #SENT_AT} with {@code deliveryTime} as its JMS delivery time (null: none). */
    private static ConsumerRecord<byte[], byte[]> record(long offset, String deliveryTime) {
        RecordHeaders headers = new RecordHeaders();
        if (deliveryTime != null) {
            headers.add(RecordMapping.DELIVERY_TIME, deliveryTime.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(
                "t", 0, offset, SENT_AT, TimestampType.CREATE_TIME, 0, 0, null, null, headers, Optional.empty());
    }

    private static List<Long> due(DelayedRecords d, long now) {
        List<Long> out = new ArrayList<>();
        d.releaseDue(now, r -> out.add(r.offset()));
        return out;
    }

    @Test
    void aRecordIsHeldUntilItsDeliveryTimeAndTheEarliestComesFirst() {
        DelayedRecords d = new DelayedRecords(10);
        assertThat(d.holdIfEarly(record(0, String.valueOf(SENT_AT + 500)), SENT_AT))
                .isTrue();
        assertThat(d.holdIfEarly(record(1, String.valueOf(SENT_AT + 200)), SENT_AT))
                .isTrue();
        assertThat(d.holdIfEarly(record(2, String.valueOf(SENT_AT + 200)), SENT_AT))
                .isTrue();

        assertThat(d.msUntilNextDue(SENT_AT)).isEqualTo(200);
        assertThat(due(d, SENT_AT + 199)).isEmpty();
        assertThat(due(d, SENT_AT + 200)).containsExactly(1L, 2L);
        assertThat(due(d, SENT_AT + 10_000)).containsExactly(0L);
        assertThat(d.msUntilNextDue(SENT_AT)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void recordsWithoutADelayOrWithATimeNotAfterTheirTimestampOrAnUnreadableOneAreNotHeld() {
        DelayedRecords d = new DelayedRecords(10);
        long brokerBehind = SENT_AT - 5_000; // the consumer's clock behind the sender's: still only delays count
        assertThat(d.holdIfEarly(record(0, null), brokerBehind)).isFalse();
        assertThat(d.holdIfEarly(record(1, String.valueOf(SENT_AT)), brokerBehind))
                .isFalse();
        assertThat(d.holdIfEarly(record(2, "soon"), brokerBehind)).isFalse();
        assertThat(d.holdIfEarly(record(3, String.valueOf(SENT_AT + 1)), SENT_AT + 1))
                .isFalse();
        assertThat(d.size()).isZero();
    }

    @Test
    void itIsFullAtItsCapacityAndNotOnceOneIsDue() {
        DelayedRecords d = new DelayedRecords(2);
        d.holdIfEarly(record(0, String.valueOf(SENT_AT + 100)), SENT_AT);
        assertThat(d.isFull()).isFalse();
        d.holdIfEarly(record(1, String.valueOf(SENT_AT + 200)), SENT_AT);
        assertThat(d.isFull()).isTrue();
        assertThat(due(d, SENT_AT + 100)).containsExactly(0L);
        assertThat(d.isFull()).isFalse();
        assertThatThrownBy(() -> new DelayedRecords(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
