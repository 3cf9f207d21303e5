package io.herald.server.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A read of the state topic that began before another broker's change arrived cannot put the older configs back;
 * one that began after it can put newer ones in force.
 */
class ShareGroupConfigTableTest {

    private final ShareGroupConfigTable table =
            new ShareGroupConfigTable(ShareGroupConfig.defaults(1), null, Runnable::run);

    @Test
    void aReadBegunBeforeAChangeDoesNotUndoIt() {
        long readStart = System.nanoTime();
        table.put("g", Map.of("share.record.lock.duration.ms", "1000")); // sent by another broker meanwhile
        table.restore("g", Map.of("share.record.lock.duration.ms", "300000"), readStart);

        assertThat(table.settings("g").recordLockDurationMs()).isEqualTo(1000);
    }

    @Test
    void aReadBegunAfterAChangeIsPutInForce() {
        table.put("g", Map.of("share.record.lock.duration.ms", "1000"));
        long readStart = System.nanoTime();
        table.restore("g", Map.of("share.record.lock.duration.ms", "2000"), readStart);
        table.restore("other", Map.of("share.delivery.count.limit", "3"), readStart);

        assertThat(table.settings("g").recordLockDurationMs()).isEqualTo(2000);
        assertThat(table.configs("other")).containsEntry("share.delivery.count.limit", "3");
    }

    @Test
    void emptyConfigsFromAnotherBrokerRemoveTheGroupsOwn() {
        table.put("g", Map.of("share.delivery.count.limit", "3"));
        table.put("g", Map.of());

        assertThat(table.has("g")).isFalse();
        assertThat(table.configs("g")).isEmpty();
    }
}
