package io.herald.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SessionStoreTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final SessionStore store = new SessionStore(clock, 1_000, 5_000);

    @Test
    void aSessionUnusedForTheIdleTimeoutEnds() {
        ConsoleSession s = store.create("alice");
        now.addAndGet(999);
        assertThat(store.use(s.id())).isPresent();
        now.addAndGet(999);
        assertThat(store.use(s.id())).as("each use restarts the idle time").isPresent();
        now.addAndGet(1_000);
        assertThat(store.use(s.id())).isEmpty();
        assertThat(store.use(s.id())).isEmpty();
    }

    @Test
    void aBusySessionEndsAtItsMaximumLifetime() {
        ConsoleSession s = store.create("alice");
        for (int i = 0; i < 9; i++) {
            now.addAndGet(500);
            assertThat(store.use(s.id())).isPresent();
        }
        now.addAndGet(500);
        assertThat(store.use(s.id())).isEmpty();
    }

    @Test
    void sessionsHaveUnguessableDistinctIdsAndTokensAndEndAtLogout() {
        ConsoleSession a = store.create("alice");
        ConsoleSession b = store.create("alice");
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43);
        assertThat(a.csrfToken()).isNotEqualTo(a.id()).isNotEqualTo(b.csrfToken());
        store.remove(a.id());
        assertThat(store.use(a.id())).isEmpty();
        assertThat(store.use(b.id())).isPresent();
        assertThat(store.use(null)).isEmpty();
        assertThat(store.use("made-up")).isEmpty();
    }
}
