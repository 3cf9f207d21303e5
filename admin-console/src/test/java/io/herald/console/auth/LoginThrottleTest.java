package io.herald.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    });

    @Test
    void anAddressWaitsAfterFiveFailuresInARowLongerWithEachFurtherOne() {
        for (int i = 1; i < LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("10.0.0.7");
            assertThat(throttle.waitMs("10.0.0.7")).isEmpty();
        }
        throttle.failed("10.0.0.7");
        assertThat(throttle.waitMs("10.0.0.7")).hasValue(LoginThrottle.FIRST_LOCK_MS);
        assertThat(throttle.waitMs("10.0.0.8"))
                .as("other addresses are not slowed")
                .isEmpty();

        now.addAndGet(LoginThrottle.FIRST_LOCK_MS);
        assertThat(throttle.waitMs("10.0.0.7")).isEmpty();
        throttle.failed("10.0.0.7");
        assertThat(throttle.waitMs("10.0.0.7")).hasValue(2 * LoginThrottle.FIRST_LOCK_MS);
        for (int i = 0; i < 30; i++) {
            throttle.failed("10.0.0.7");
        }
        assertThat(throttle.waitMs("10.0.0.7")).hasValue(LoginThrottle.MAX_LOCK_MS);
    }

    @Test
    void aSuccessfulLoginStartsAfresh() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES - 1; i++) {
            throttle.failed("10.0.0.7");
        }
        throttle.succeeded("10.0.0.7");
        throttle.failed("10.0.0.7");
        assertThat(throttle.waitMs("10.0.0.7")).isEmpty();
    }
}
