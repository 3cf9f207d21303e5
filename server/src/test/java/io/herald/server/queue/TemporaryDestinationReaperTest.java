package io.herald.server.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which topics the reaper may ever delete: only {@code jms.temp.<owner>.<uuid>}, judged by group {@code jms.owner.<owner>}. */
class TemporaryDestinationReaperTest {

    @ParameterizedTest
    @CsvSource({
        "jms.temp.c0ffee-1.9a8b-7c, jms.owner.c0ffee-1",
        "jms.temp.a.b, jms.owner.a",
    })
    void aTemporaryDestinationNameNamesItsOwnerGroup(String topic, String group) {
        assertThat(TemporaryDestinationReaper.ownerGroup(topic)).contains(group);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "orders",
                "jms.temp.",
                "jms.temp.0b7e4a2c-uuid-without-owner",
                "jms.temp..x",
                "jms.temp.x.",
                "jms.temp.a.b.c",
                "DLQ.jms.temp.a.b",
                "jms.queue.jms.temp.a.b"
            })
    void noOtherTopicHasAnOwnerSoNoOtherIsEverDeleted(String topic) {
        assertThat(TemporaryDestinationReaper.ownerGroup(topic)).isEmpty();
    }
}
