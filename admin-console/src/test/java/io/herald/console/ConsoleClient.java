package io.herald.console;

import io.herald.console.ConsoleBroker.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A browser-like client of a console with login: it keeps the session cookie the console sets and sends the CSRF token
 * with changes once it has one, and it keeps the last {@code Set-Cookie} header for the tests to inspect.
 *
 * <p>Thread-safety: one test thread.
 */
final class ConsoleClient {

    private final URI base;
    private final HttpClient http;
    private String cookie;
    private String csrf;
    private String lastSetCookie;

    ConsoleClient(URI base) {
        this(base, null);
    }

    ConsoleClient(URI base, SSLContext tls) {
        this.base = base;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /** Logs in; on success keeps the session cookie and the CSRF token. */
    Response login(String user, String password) {
        Response r = send(
                "POST", "/api/session", "{\"user\": \"" + user + "\", \"password\": \"" + password + "\"}", Map.of());
        if (r.status() == 200) {
            csrf = r.json().get("csrfToken").asText();
        }
        return r;
    }

    Response get(String path) {
        return send("GET", path, null, Map.of());
    }

    Response post(String path, String json) {
        return send("POST", path, json, csrfHeader());
    }

    Response delete(String path) {
        return send("DELETE", path, null, csrfHeader());
    }

    /** A request with exactly these headers (no CSRF token unless given). */
    Response send(String method, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        request.method(
                method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> r =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            List<String> setCookies = r.headers().allValues("Set-Cookie");
            for (String c : setCookies) {
                lastSetCookie = c;
                String pair = c.split(";", 2)[0];
                cookie = pair.endsWith("=") ? null : pair;
            }
            return new Response(
                    r.statusCode(),
                    r.body(),
                    r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new AssertionError("HTTP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Map<String, String> csrfHeader() {
        return csrf == null ? Map.of() : Map.of("X-Herald-CSRF", csrf);
    }

    String lastSetCookie() {
        return lastSetCookie;
    }
}
