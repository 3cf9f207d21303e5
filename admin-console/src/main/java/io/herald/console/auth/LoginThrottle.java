package io.herald.console.auth;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@link #FREE_FAILURES} failed logins in a row from one client address, that
 * address may not try again for 30 seconds, doubling with each further failure up to 15 minutes; a successful login
 * clears it. A refused attempt is answered without checking the password, so guessing costs the broker nothing.
 *
 * <p>Design note: keyed by address, not by user, so that nobody can lock a user out by failing on purpose from
 * elsewhere; an attacker with many addresses is slowed only by the cost of each check (PBKDF2).
 *
 * <p>Thread-safety: thread-safe (a concurrent map of immutable entries).
 */
public final class LoginThrottle {

    /** Failures in a row allowed before the address has to wait. */
    public static final int FREE_FAILURES = 5;

    static final long FIRST_LOCK_MS = 30_000;
    static final long MAX_LOCK_MS = 15 * 60_000;

    private record Failures(int count, long lockedUntilMs, long lastMs) {}

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code address} must still wait before it may try a password, if it must. */
    public OptionalLong waitMs(String address) {
        Failures f = failures.get(address);
        long now = clock.millis();
        return f == null || f.lockedUntilMs() <= now ? OptionalLong.empty() : OptionalLong.of(f.lockedUntilMs() - now);
    }

    /** Records a failed login from {@code address}. */
    public void failed(String address) {
        long now = clock.millis();
        failures.values().removeIf(f -> now - f.lastMs() > MAX_LOCK_MS && f.lockedUntilMs() <= now);
        failures.compute(address, (a, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            long lock = 0;
            if (count >= FREE_FAILURES) {
                lock = Math.min(MAX_LOCK_MS, FIRST_LOCK_MS << Math.min(20, count - FREE_FAILURES));
            }
            return new Failures(count, now + lock, now);
        });
    }

    /** Records a successful login from {@code address}: it starts afresh. */
    public void succeeded(String address) {
        failures.remove(address);
    }
}
