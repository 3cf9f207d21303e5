package io.herald.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.console.http.BadRequestException;
import io.herald.console.http.Json;
import io.herald.console.http.Params;
import io.herald.console.http.Routes;
import io.herald.server.api.BrokerAdmin;
import io.herald.server.api.RecordAccess;
import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Messages: {@code GET /api/topics/{topic}/partitions/{partition}/messages} (a page from an offset, a time, the start
 * or the end) and {@code POST /api/topics/{topic}/messages} (produce one message with key and headers).
 *
 * <p>Keys, values and header values are sent as {@link Data}: the bytes in base64, and as text when they are valid
 * UTF-8, with a flag for text that is a JSON document; the UI shows them as text, pretty-printed JSON or hex.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class MessageResource {

    /** Records per page unless {@code limit} says otherwise. */
    static final int DEFAULT_LIMIT = 20;

    /**
     * Bytes of a key, value or header value.
     *
     * @param text the bytes as UTF-8 text, or {@code null} if they are not valid UTF-8
     * @param json whether the text is a JSON object or array
     */
    public record Data(int size, String base64, String text, boolean json) {

        static Data of(byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            String text = utf8(bytes);
            return new Data(
                    bytes.length,
                    Base64.getEncoder().encodeToString(bytes),
                    text,
                    text != null && Json.isJsonDocument(text));
        }
    }

    /** A header; {@code value} is {@code null} for a header without one. */
    public record HeaderView(String key, Data value) {}

    /** A message; {@code key} or {@code value} is {@code null} when the record has none. */
    public record MessageView(
            long offset, long timestamp, String timestampType, Data key, Data value, List<HeaderView> headers) {}

    /**
     * A page of messages.
     *
     * @param previousOffset where the page before this one starts, or {@code null} at the log start
     */
    public record PageView(
            String topic,
            int partition,
            long logStartOffset,
            long highWatermark,
            long firstOffset,
            long nextOffset,
            Long previousOffset,
            List<MessageView> messages) {}

    private final BrokerAdmin admin;

    public MessageResource(BrokerAdmin admin) {
        this.admin = admin;
    }

    public void register(Routes routes) {
        routes.get("/api/topics/{topic}/partitions/{partition}/messages", this::browse);
        routes.post("/api/topics/{topic}/messages", this::produce);
    }

    private PageView browse(HttpServerExchange exchange) throws Exception {
        String topic = TopicResource.topic(exchange);
        int partition = (int) Params.parseLong("partition", Params.required(exchange, "partition"));
        int limit = Params.intValue(exchange, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > RecordAccess.MAX_PAGE) {
            throw new BadRequestException("'limit' must be between 1 and " + RecordAccess.MAX_PAGE + ", not " + limit);
        }
        RecordAccess records = admin.records();
        Optional<String> timestamp = Params.string(exchange, "timestamp");
        Optional<Long> offset = Params.longValue(exchange, "offset");
        String position = Params.string(exchange, "position").orElse("earliest");
        long from;
        if (offset.isPresent()) {
            from = offset.get();
            if (from < 0) {
                throw new BadRequestException("'offset' must be 0 or more, not " + from);
            }
        } else if (timestamp.isPresent()) {
            from = records.offsetForTimestamp(topic, partition, Params.parseTime("timestamp", timestamp.get()));
        } else if (position.equals("latest")) {
            RecordAccess.Offsets end = records.offsets(topic, partition);
            from = Math.max(end.logStartOffset(), end.highWatermark() - limit);
        } else if (position.equals("earliest")) {
            from = 0;
        } else {
            throw new BadRequestException("'position' must be earliest or latest, not '" + position + "'");
        }
        return pageView(records.read(topic, partition, from, limit), limit);
    }

    /** A page of records as the API shows it, with where the page before starts for pages of {@code limit}. */
    static PageView pageView(RecordAccess.RecordPage page, int limit) {
        List<MessageView> messages = new ArrayList<>();
        for (RecordAccess.StoredRecord r : page.records()) {
            List<HeaderView> headers = new ArrayList<>();
            r.headers().forEach(h -> headers.add(new HeaderView(h.key(), Data.of(h.value()))));
            messages.add(new MessageView(
                    r.offset(), r.timestamp(), r.timestampType(), Data.of(r.key()), Data.of(r.value()), headers));
        }
        Long previous = page.firstOffset() > page.logStartOffset()
                ? Math.max(page.logStartOffset(), page.firstOffset() - limit)
                : null;
        return new PageView(
                page.topic(),
                page.partition(),
                page.logStartOffset(),
                page.highWatermark(),
                page.firstOffset(),
                page.nextOffset(),
                previous,
                messages);
    }

    private Object produce(HttpServerExchange exchange) throws Exception {
        String topic = TopicResource.topic(exchange);
        JsonNode body = Json.body(exchange);
        OptionalInt partition = Params.intField(body, "partition", 0, Integer.MAX_VALUE)
                .map(OptionalInt::of)
                .orElse(OptionalInt.empty());
        byte[] key = bytes(body, "key", encoding(body, "keyEncoding"));
        byte[] value = bytes(body, "value", encoding(body, "valueEncoding"));
        List<RecordAccess.RecordHeader> headers = new ArrayList<>();
        JsonNode list = body.get("headers");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new BadRequestException("'headers' must be a list of {\"key\": ..., \"value\": ...}");
            }
            for (JsonNode h : list) {
                String name = Params.text(h, "key").orElse("");
                if (name.isBlank()) {
                    throw new BadRequestException("Every header needs a 'key'");
                }
                byte[] headerValue = Params.text(h, "value")
                        .map(v -> v.getBytes(StandardCharsets.UTF_8))
                        .orElse(null);
                headers.add(new RecordAccess.RecordHeader(name, headerValue));
            }
        }
        return new Routes.Created(admin.records().produce(topic, partition, key, value, headers));
    }

    private static boolean encoding(JsonNode body, String field) {
        String e = Params.text(body, field).orElse("text");
        return switch (e) {
            case "text" -> false;
            case "base64" -> true;
            default -> throw new BadRequestException("'" + field + "' must be text or base64, not '" + e + "'");
        };
    }

    private static byte[] bytes(JsonNode body, String field, boolean base64) {
        Optional<String> text = Params.text(body, field);
        if (text.isEmpty()) {
            return null;
        }
        if (!base64) {
            return text.get().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(text.get().strip());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("'" + field + "' is not valid base64: " + e.getMessage());
        }
    }

    /** The bytes as text if they are valid UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
