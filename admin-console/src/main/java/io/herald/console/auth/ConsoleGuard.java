package io.herald.console.auth;

import io.herald.console.http.ErrorResponses;
import io.herald.console.http.ForbiddenException;
import io.herald.console.http.Json;
import io.herald.console.http.UnauthenticatedException;
import io.herald.server.api.SecurityAdmin;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Stands in front of every request of the console. Always: a change (POST, PUT, PATCH, DELETE) whose {@code Origin}
 * (or, without one, {@code Referer}) names another site is refused, so a page elsewhere cannot drive an operator's
 * browser. When the broker has security on: an API request needs a live session (its cookie), a change also the
 * session's CSRF token in {@code X-Herald-CSRF}, and the user the role {@link AccessPolicy} asks, from the ACLs
 * ({@link RoleMapping}); {@code /metrics} also accepts HTTP Basic credentials, for Prometheus. Refusals are 401 without
 * a session, 403 otherwise, and role refusals go to the audit log.
 *
 * <p>Design note: the session cookie is {@code SameSite=Strict} and {@code HttpOnly}, which already keeps other sites'
 * requests from carrying it; the token and the origin check are the second and third locks, for browsers or proxies
 * that get one of them wrong.
 *
 * <p>Thread-safety: thread-safe (state lives in the {@link SessionStore}).
 */
public final class ConsoleGuard implements HttpHandler {

    /** The session cookie's name. */
    public static final String COOKIE = "herald_session";

    /** The header that carries the CSRF token. */
    public static final HttpString CSRF_HEADER = HttpString.tryFromString("X-Herald-CSRF");

    /** The session of the request, for the endpoints behind the guard. */
    public static final AttachmentKey<ConsoleSession> SESSION = AttachmentKey.create(ConsoleSession.class);

    private final boolean secured;
    private final SessionStore sessions;
    private final RoleMapping roles;
    private final SecurityAdmin security;
    private final HttpHandler next;

    public ConsoleGuard(boolean secured, SessionStore sessions, SecurityAdmin security, HttpHandler next) {
        this.secured = secured;
        this.sessions = sessions;
        this.roles = new RoleMapping(security);
        this.security = security;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        try {
            check(exchange);
        } catch (UnauthenticatedException | ForbiddenException e) {
            ErrorResponses.ErrorBody error = ErrorResponses.of(e);
            if (error.status() == 401) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Herald-Console");
            }
            Json.send(exchange, error.status(), ErrorResponses.body(error));
            return;
        } catch (BasicNeedsWorker e) {
            exchange.dispatch(this);
            return;
        }
        next.handleRequest(exchange);
    }

    private void check(HttpServerExchange exchange) {
        HttpString method = exchange.getRequestMethod();
        String path = exchange.getRequestPath();
        if (AccessPolicy.isChange(method)) {
            checkOrigin(exchange);
        }
        if (!secured || AccessPolicy.isOpen(path)) {
            return;
        }
        String client = clientAddress(exchange);
        Optional<ConsoleSession> session = sessions.use(sessionId(exchange));
        String user;
        if (session.isPresent()) {
            user = session.get().user();
            if (AccessPolicy.isChange(method)) {
                checkCsrf(exchange, session.get());
            }
            exchange.putAttachment(SESSION, session.get());
        } else if (AccessPolicy.isMetrics(path) && exchange.getRequestHeaders().contains(Headers.AUTHORIZATION)) {
            user = basicUser(exchange, client);
        } else {
            throw new UnauthenticatedException("Log in to the console first: the broker has security on.");
        }
        Role role = roles.roleOf(user, client)
                .orElseThrow(
                        () -> denied(
                                user,
                                client,
                                method,
                                path,
                                "The ACLs give user '" + user
                                        + "' no console role (it needs at least DESCRIBE on the cluster, a topic or a group)."));
        Role required = AccessPolicy.required(method, path);
        if (!role.includes(required)) {
            throw denied(
                    user,
                    client,
                    method,
                    path,
                    "User '" + user + "' has the " + name(role) + " role; this needs the " + name(required)
                            + " role (see docs/security.md for how ACLs give roles).");
        }
        if (role != Role.ADMIN) {
            for (AccessPolicy.ResourceCheck c : AccessPolicy.resourceChecks(method, path)) {
                if (!roles.allowed(user, client, c)) {
                    throw denied(
                            user,
                            client,
                            method,
                            path,
                            "User '" + user + "' may not do this: it needs " + c.operation() + " on " + c.type() + " '"
                                    + c.name() + "' (as a Kafka client would).");
                }
            }
        }
    }

    private ForbiddenException denied(String user, String client, HttpString method, String path, String message) {
        security.auditDenied(user, client, method.toString(), path);
        return new ForbiddenException("FORBIDDEN", message);
    }

    private static String name(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    static void checkCsrf(HttpServerExchange exchange, ConsoleSession session) {
        String token = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
        if (token == null
                || !MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.UTF_8),
                        session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenException(
                    "CSRF_TOKEN_MISSING",
                    "A change needs the session's CSRF token in the X-Herald-CSRF header (GET /api/session gives it).");
        }
    }

    /** A change must come from the console's own pages: the origin the browser names must be the one it asked. */
    static void checkOrigin(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin == null) {
            String referer = exchange.getRequestHeaders().getFirst(Headers.REFERER);
            if (referer == null) {
                return; // not a browser (curl, scripts): the CSRF token still applies
            }
            origin = originOf(referer);
        }
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        String expected = exchange.getRequestScheme() + "://" + host;
        if (host == null || !expected.equalsIgnoreCase(origin)) {
            throw new ForbiddenException(
                    "CROSS_ORIGIN",
                    "Refused a change sent from another site (" + origin + "): the console accepts changes only from"
                            + " its own pages.");
        }
    }

    private static String originOf(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "null";
        }
    }

    /** The user of valid HTTP Basic credentials; PBKDF2 is slow, so this runs on a worker thread. */
    private String basicUser(HttpServerExchange exchange, String client) {
        if (exchange.isInIoThread()) {
            throw new BasicNeedsWorker();
        }
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        String user = "";
        String password = "";
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    user = decoded.substring(0, colon);
                    password = decoded.substring(colon + 1);
                }
            } catch (IllegalArgumentException e) {
                // treated as wrong credentials below
            }
        }
        if (!security.verifyPassword(user, password)) {
            security.auditLoginFailed(user, client, "HTTP Basic on /metrics: " + failure(security, user));
            throw new UnauthenticatedException("Wrong user name or password.");
        }
        return user;
    }

    static String failure(SecurityAdmin security, String user) {
        return security.userExists(user) ? "wrong password" : "unknown user";
    }

    static String sessionId(HttpServerExchange exchange) {
        Cookie cookie = exchange.getRequestCookie(COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    /** The peer's address; forwarded-for headers are not trusted, a proxy would name itself. */
    static String clientAddress(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getSourceAddress();
        return peer == null || peer.getAddress() == null
                ? "unknown"
                : peer.getAddress().getHostAddress();
    }

    /** Thrown to move a request with Basic credentials off the I/O thread. */
    private static final class BasicNeedsWorker extends RuntimeException {
        BasicNeedsWorker() {
            super(null, null, false, false);
        }
    }
}
