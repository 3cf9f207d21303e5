package io.herald.security.certs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The period a certificate is valid in.
 *
 * <p>Thread-safety: immutable.
 */
public record Validity(Instant notBefore, Instant notAfter) {

    /** Certificates start this long before they are made, so that a peer whose clock lags a little accepts them. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    public Validity {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException(
                    "a certificate must end after it starts: " + notBefore + " .. " + notAfter);
        }
    }

    /** Valid from now (less a small allowance for clock skew) for {@code duration}. */
    public static Validity startingNow(Clock clock, Duration duration) {
        Instant now = clock.instant();
        return new Validity(now.minus(CLOCK_SKEW), now.plus(duration));
    }

    /** {@link #startingNow} for a number of days. */
    public static Validity days(Clock clock, int days) {
        if (days <= 0) {
            throw new IllegalArgumentException("the validity must be at least one day, not " + days);
        }
        return startingNow(clock, Duration.ofDays(days));
    }
}
