package io.herald.console.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * JSON bodies of the REST API, with Jackson: Java records are written with their component names; request bodies are
 * read as trees so that each endpoint can say precisely which field is missing or wrong.
 *
 * <p>Thread-safety: thread-safe (Jackson's {@link ObjectMapper} is, once configured).
 */
public final class Json {

    /** The largest request body accepted (a produced message's value and headers fit). */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    /** Sends {@code body} as JSON with {@code status}. */
    public static void send(HttpServerExchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "Cannot write JSON for " + body.getClass().getName(), e);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(bytes));
    }

    /**
     * The request's body as a JSON object (the exchange must be blocking).
     *
     * @throws BadRequestException if there is none, it is too large or it is not a JSON object
     * @throws UnsupportedMediaTypeException if it is not sent as {@code application/json}
     */
    public static JsonNode body(HttpServerExchange exchange) throws IOException {
        // Only application/json: a web page of another site can make a browser send a text/plain or form POST here
        // without asking (a "simple" cross-origin request), but not a JSON one, which needs a CORS preflight that the
        // console never grants. Without this, any site an operator visits could create topics or produce messages.
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new UnsupportedMediaTypeException(
                    "The request body must be JSON, sent with Content-Type: application/json (was "
                            + (type == null ? "none" : type) + ")");
        }
        InputStream in = exchange.getInputStream();
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new BadRequestException("The request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            throw new BadRequestException("The request needs a JSON body");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("The request body must be a JSON object");
        }
        return node;
    }

    /** Whether {@code text} is a JSON object or array (what the UI pretty-prints). */
    public static boolean isJsonDocument(String text) {
        String t = text.strip();
        if (t.isEmpty() || (t.charAt(0) != '{' && t.charAt(0) != '[')) {
            return false;
        }
        try {
            MAPPER.readTree(t.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
