package io.herald.console.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.console.http.ForbiddenException;
import io.herald.console.http.Json;
import io.herald.console.http.Params;
import io.herald.console.http.Routes;
import io.herald.console.http.TooManyRequestsException;
import io.herald.console.http.UnauthenticatedException;
import io.herald.server.api.SecurityAdmin;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.util.Headers;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.SecurityDisabledException;

/**
 * The console's login: {@code GET /api/session} (whether a login is needed, and who is logged in, with the CSRF token
 * for changes), {@code POST /api/session} {@code {"user", "password"}} (logs in with the user's SCRAM password) and
 * {@code DELETE /api/session} (logs out). A refused login is answered 401 with the same words for an unknown user and a
 * wrong password, and written to the audit log with the user name tried and the client's address; an address with too
 * many failures in a row waits ({@link LoginThrottle}, 429).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class LoginResource {

    /**
     * The answer of the session endpoints.
     *
     * @param securityEnabled whether the console needs a login (the broker has security on)
     * @param role {@code VIEWER}, {@code OPERATOR} or {@code ADMIN}; {@code ADMIN} without security (everyone may do
     *     everything), null when not logged in
     * @param csrfToken what a change must carry in {@code X-Herald-CSRF}; null without a session
     * @param expiresAtMs when the session ends unless used again; 0 without a session
     */
    public record SessionView(
            boolean securityEnabled,
            boolean authenticated,
            String user,
            String role,
            String csrfToken,
            long expiresAtMs) {}

    private final boolean secured;
    private final SessionStore sessions;
    private final SecurityAdmin security;
    private final RoleMapping roles;
    private final LoginThrottle throttle;

    public LoginResource(boolean secured, SessionStore sessions, SecurityAdmin security, LoginThrottle throttle) {
        this.secured = secured;
        this.sessions = sessions;
        this.security = security;
        this.roles = new RoleMapping(security);
        this.throttle = throttle;
    }

    public void register(Routes routes) {
        routes.get("/api/session", this::current);
        routes.post("/api/session", this::login);
        routes.delete("/api/session", this::logout);
    }

    private SessionView current(HttpServerExchange exchange) {
        if (!secured) {
            return new SessionView(false, false, null, Role.ADMIN.name(), null, 0);
        }
        String client = ConsoleGuard.clientAddress(exchange);
        return sessions.use(ConsoleGuard.sessionId(exchange))
                .map(s -> view(s, roles.roleOf(s.user(), client)))
                .orElse(new SessionView(true, false, null, null, null, 0));
    }

    private SessionView login(HttpServerExchange exchange) throws Exception {
        if (!secured) {
            throw new SecurityDisabledException("The console needs no login: the broker has security off.");
        }
        JsonNode body = Json.body(exchange);
        String user = Params.text(body, "user").orElse("");
        String password = Params.text(body, "password").orElse("");
        String client = ConsoleGuard.clientAddress(exchange);
        OptionalLong wait = throttle.waitMs(client);
        if (wait.isPresent()) {
            long seconds = (wait.getAsLong() + 999) / 1000;
            security.auditLoginFailed(user, client, "too many failed logins from this address, not checked");
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, seconds);
            throw new TooManyRequestsException(
                    "Too many failed logins from this address: try again in " + seconds + " s.", seconds);
        }
        if (!security.verifyPassword(user, password)) {
            throttle.failed(client);
            security.auditLoginFailed(user, client, ConsoleGuard.failure(security, user));
            throw new UnauthenticatedException("Wrong user name or password.");
        }
        throttle.succeeded(client);
        Optional<Role> role = roles.roleOf(user, client);
        if (role.isEmpty()) {
            security.auditLoginFailed(user, client, "no console role in the ACLs");
            throw new ForbiddenException(
                    "FORBIDDEN",
                    "User '" + user + "' may not use the console: the ACLs give it no role (it needs at least"
                            + " DESCRIBE on the cluster, a topic or a group).");
        }
        // A login replaces the session the browser had, if any.
        Optional.ofNullable(ConsoleGuard.sessionId(exchange)).ifPresent(sessions::remove);
        ConsoleSession session = sessions.create(user);
        exchange.setResponseCookie(cookie(exchange, session.id(), sessions.maxLifetimeMs() / 1000));
        security.auditLogin(user, client, role.get().name());
        return view(session, role);
    }

    private Object logout(HttpServerExchange exchange) {
        Optional<ConsoleSession> session = sessions.use(ConsoleGuard.sessionId(exchange));
        if (session.isPresent()) {
            ConsoleGuard.checkCsrf(exchange, session.get());
            sessions.remove(session.get().id());
        }
        exchange.setResponseCookie(cookie(exchange, "", 0));
        return null;
    }

    private SessionView view(ConsoleSession s, Optional<Role> role) {
        return new SessionView(
                true, true, s.user(), role.map(Role::name).orElse(null), s.csrfToken(), sessions.expiresAtMs(s));
    }

    /** HttpOnly: scripts never see the id; SameSite=Strict: other sites' requests never carry it. */
    private static CookieImpl cookie(HttpServerExchange exchange, String value, long maxAgeSeconds) {
        CookieImpl cookie = new CookieImpl(ConsoleGuard.COOKIE, value);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSameSiteMode("Strict");
        cookie.setSecure("https".equals(exchange.getRequestScheme()));
        cookie.setMaxAge((int) Math.min(Integer.MAX_VALUE, maxAgeSeconds));
        return cookie;
    }
}
