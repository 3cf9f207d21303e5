package io.herald.console.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's login sessions, in memory: a broker restart logs everyone out, which is the safe direction. A session
 * ends when unused for the idle timeout, at the latest the maximum lifetime after its login, or at logout.
 *
 * <p>Expired sessions are dropped when looked up and, so that abandoned ones do not pile up, whenever a new one is
 * created.
 *
 * <p>Thread-safety: thread-safe (a concurrent map of immutable sessions; the random source is thread-safe).
 */
public final class SessionStore {

    private static final Base64.Encoder TOKEN = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, ConsoleSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final long idleTimeoutMs;
    private final long maxLifetimeMs;

    public SessionStore(Clock clock, long idleTimeoutMs, long maxLifetimeMs) {
        this.clock = clock;
        this.idleTimeoutMs = idleTimeoutMs;
        this.maxLifetimeMs = maxLifetimeMs;
    }

    /** A new session for {@code user}, with a fresh id (never one the client chose: no session fixation). */
    public ConsoleSession create(String user) {
        long now = clock.millis();
        sessions.values().removeIf(s -> expired(s, now));
        ConsoleSession session = new ConsoleSession(token(), token(), user, now, now);
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, marked as used now; empty for an unknown or expired one. */
    public Optional<ConsoleSession> use(String id) {
        if (id == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        ConsoleSession session = sessions.computeIfPresent(id, (k, s) -> expired(s, now) ? null : s.usedAt(now));
        return Optional.ofNullable(session);
    }

    /** Ends the session (logout). */
    public void remove(String id) {
        sessions.remove(id);
    }

    /** When {@code session} ends if it is not used again. */
    public long expiresAtMs(ConsoleSession session) {
        return Math.min(session.lastUsedMs() + idleTimeoutMs, session.createdMs() + maxLifetimeMs);
    }

    /** How long a cookie may live: the maximum lifetime (the store decides the real end). */
    public long maxLifetimeMs() {
        return maxLifetimeMs;
    }

    private boolean expired(ConsoleSession s, long now) {
        return now >= expiresAtMs(s);
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return TOKEN.encodeToString(bytes);
    }
}
