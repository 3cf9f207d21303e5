package io.herald.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.server.EmbeddedHerald;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A real broker ({@link EmbeddedHerald}) with its admin console on 127.0.0.1 and an ephemeral port, and a small HTTP
 * client for the console's REST API. Consumer groups rebalance without the initial delay.
 *
 * <p>Thread-safety: one test thread.
 */
final class ConsoleBroker implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer: status, the body as text, and as JSON when it is JSON. */
    record Response(int status, String text, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + text, e);
            }
        }

        /** The message of an error answer. */
        String errorMessage() {
            return json().path("error").path("message").asText();
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    private final EmbeddedHerald broker;
    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ConsoleBroker(EmbeddedHerald broker) {
        this.broker = broker;
        AdminConsole console = broker.server().extensions().stream()
                .filter(AdminConsole.class::isInstance)
                .map(AdminConsole.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the broker started no admin console"));
        InetSocketAddress address = console.addresses().get(0);
        this.base = URI.create("http://127.0.0.1:" + address.getPort());
    }

    static ConsoleBroker start(Path dataDir) throws Exception {
        return start(dataDir, Map.of());
    }

    static ConsoleBroker start(Path dataDir, Map<String, String> overrides) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("admin.listeners", "http://127.0.0.1:0");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.putAll(overrides);
        return new ConsoleBroker(EmbeddedHerald.start(dataDir, settings));
    }

    URI base() {
        return base;
    }

    EmbeddedHerald broker() {
        return broker;
    }

    String bootstrap() {
        return broker.bootstrap();
    }

    /** Kafka client properties for this broker. */
    Properties clientProperties() {
        return broker.clientProperties();
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Response post(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST with another content type than JSON, as a form or a cross-site page may send. */
    Response post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response patch(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(
                    request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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

    @Override
    public void close() {
        broker.close();
    }
}
