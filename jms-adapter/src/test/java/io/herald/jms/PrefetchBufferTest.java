package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class PrefetchBufferTest {

    private static ConsumerRecord<byte[], byte[]> record(long offset, Integer priority) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("t", 0, offset, null, null);
        if (priority != null) {
            r.headers().add("jms.priority", String.valueOf(priority).getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    private static List<Long> drain(PrefetchBuffer b) {
        List<Long> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r = b.poll(); r != null; r = b.poll()) {
            out.add(r.offset());
        }
        return out;
    }

    @Test
    void higherPrioritiesFirstThenArrivalOrderAndAKafkaRecordCountsAsTheDefault() {
        PrefetchBuffer b = new PrefetchBuffer();
        b.add(record(0, 1));
        b.add(record(1, null)); // a Kafka client's record: priority 4
        b.add(record(2, 9));
        b.add(record(3, 4));
        b.add(record(4, 1));

        assertThat(drain(b)).containsExactly(2L, 1L, 3L, 0L, 4L);
    }

    @Test
    void aRecordGivenBackGoesBeforeOthersOfItsPriority() {
        PrefetchBuffer b = new PrefetchBuffer();
        b.add(record(5, 4));
        b.add(record(6, 4));
        b.addFirst(record(4, 4));
        b.add(record(7, 7));

        assertThat(b.records()).hasSize(4);
        assertThat(drain(b)).containsExactly(7L, 4L, 5L, 6L);
        assertThat(b.isEmpty()).isTrue();
    }
}
