package io.herald.server.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Changes of one group's configs made at once keep each other's settings, and the thread that asks never waits for a
 * write: the writes here complete only when the test says so, as a replication does when followers fetch.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ShareGroupConfigChangesTest {

    /** The configs "in the state topic", as the writes left them once complete. */
    private final Map<String, Map<String, String>> stored = new ConcurrentHashMap<>();
    /** The writes begun and not yet completed, in order. */
    private final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();

    private final ShareGroupConfigChanges changes =
            new ShareGroupConfigChanges(group -> stored.getOrDefault(group, Map.of()), (group, configs) -> {
                CompletableFuture<Void> replicated = new CompletableFuture<>();
                pending.add(replicated);
                return replicated.thenRun(() -> stored.put(group, configs));
            });

    @AfterEach
    void close() {
        changes.close();
    }

    @Test
    void changesMadeAtOnceKeepOneAnothersSettings() throws Exception {
        CompletableFuture<Void> first = changes.change("g", set("share.auto.offset.reset", "earliest"), false);
        CompletableFuture<Void> second = changes.change("g", set("share.delivery.count.limit", "3"), false);

        awaitPending(1);
        assertThat(pending).as("the second is not written before the first is").hasSize(1);
        assertThat(first).isNotDone();
        assertThat(second).as("waits for the first write, not for a thread").isNotDone();
        pending.get(0).complete(null);
        first.get(10, TimeUnit.SECONDS);

        awaitPending(2);
        pending.get(1).complete(null);
        second.get(10, TimeUnit.SECONDS);
        assertThat(stored.get("g"))
                .containsEntry("share.auto.offset.reset", "earliest")
                .containsEntry("share.delivery.count.limit", "3");
    }

    @Test
    void aChangeOfAnotherGroupDoesNotWaitForAWriteUnderWay() throws Exception {
        CompletableFuture<Void> slow = changes.change("g", set("share.delivery.count.limit", "3"), false);
        awaitPending(1);

        CompletableFuture<Void> other = changes.change("h", set("share.delivery.count.limit", "4"), false);
        awaitPending(2);
        pending.get(1).complete(null);
        other.get(10, TimeUnit.SECONDS);

        assertThat(slow).isNotDone();
        pending.get(0).complete(null);
        slow.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRefusedOrFailedChangeFailsAloneAndTheNextGoesOn() throws Exception {
        CompletableFuture<Void> refused = changes.change(
                "g",
                c -> {
                    throw new InvalidConfigurationException("share.delivery.count.limit must be at least 2");
                },
                false);
        CompletableFuture<Void> failed = changes.change("g", set("share.delivery.count.limit", "3"), false);
        CompletableFuture<Void> next = changes.change("g", set("share.delivery.count.limit", "4"), false);

        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidConfigurationException.class);
        awaitPending(1);
        pending.get(0).completeExceptionally(new CoordinatorNotAvailableException("the ISR shrank"));
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CoordinatorNotAvailableException.class);
        awaitPending(2);
        pending.get(1).complete(null);
        next.get(10, TimeUnit.SECONDS);
        assertThat(stored.get("g")).containsEntry("share.delivery.count.limit", "4");
    }

    @Test
    void aValidationWritesNothing() throws Exception {
        changes.change("g", set("share.delivery.count.limit", "3"), true).get(10, TimeUnit.SECONDS);

        assertThat(pending).isEmpty();
        assertThat(stored).isEmpty();
    }

    private static UnaryOperator<Map<String, String>> set(String key, String value) {
        return current -> {
            Map<String, String> changed = new LinkedHashMap<>(current);
            changed.put(key, value);
            return changed;
        };
    }

    private void awaitPending(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pending.size() >= count);
    }
}
