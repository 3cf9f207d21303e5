package io.herald.console.auth;

/**
 * A logged-in console user: the session id (the cookie's value), the CSRF token every change must carry in a header,
 * who logged in, and the times that end the session.
 *
 * <p>Thread-safety: immutable; {@link SessionStore} replaces a session to record its use.
 *
 * @param id 256 random bits, base64url; only the cookie carries it
 * @param csrfToken 256 random bits, base64url; the UI reads it from {@code GET /api/session} and sends it back in
 *     {@code X-Herald-CSRF}, which another site's page can neither read nor set
 * @param lastUsedMs when the session last served a request
 */
public record ConsoleSession(String id, String csrfToken, String user, long createdMs, long lastUsedMs) {

    ConsoleSession usedAt(long nowMs) {
        return new ConsoleSession(id, csrfToken, user, createdMs, nowMs);
    }
}
