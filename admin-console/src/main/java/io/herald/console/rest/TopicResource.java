package io.herald.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.console.http.BadRequestException;
import io.herald.console.http.Json;
import io.herald.console.http.Params;
import io.herald.console.http.Routes;
import io.herald.console.metrics.TrafficHistory;
import io.herald.server.api.BrokerAdmin;
import io.herald.server.api.TopicAdmin;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Topics: {@code GET /api/topics} (with {@code search} and {@code internal}), {@code POST /api/topics}, {@code GET
 * /api/topics/{topic}}, {@code GET|PATCH /api/topics/{topic}/configs}, {@code POST /api/topics/{topic}/partitions}
 * and {@code DELETE /api/topics/{topic}?confirm={topic}}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class TopicResource {

    /** Samples averaged for a topic's current rates. */
    static final int RATE_SAMPLES = 10;

    /** A topic in the list, with its current rates (per second, over the last ten seconds). */
    public record TopicRow(
            String name,
            boolean internal,
            int partitions,
            int replicationFactor,
            long sizeBytes,
            long messages,
            TrafficHistory.Rates rates) {}

    /** A topic in detail. */
    public record TopicView(TopicAdmin.TopicState topic, TrafficHistory.Rates rates) {}

    private final BrokerAdmin admin;
    private final TrafficHistory history;

    public TopicResource(BrokerAdmin admin, TrafficHistory history) {
        this.admin = admin;
        this.history = history;
    }

    public void register(Routes routes) {
        routes.get("/api/topics", this::list);
        routes.post("/api/topics", this::create);
        routes.get("/api/topics/{topic}", exchange -> view(admin.topics().describe(topic(exchange))));
        routes.delete("/api/topics/{topic}", this::delete);
        routes.get("/api/topics/{topic}/configs", exchange -> admin.topics().configs(topic(exchange)));
        routes.patch("/api/topics/{topic}/configs", this::alterConfigs);
        routes.post("/api/topics/{topic}/partitions", this::addPartitions);
    }

    static String topic(HttpServerExchange exchange) {
        return Params.required(exchange, "topic");
    }

    private Object list(HttpServerExchange exchange) {
        String search = Params.string(exchange, "search").orElse("").toLowerCase(Locale.ROOT);
        boolean internal =
                Params.string(exchange, "internal").map(Boolean::parseBoolean).orElse(false);
        List<TopicRow> rows = new ArrayList<>();
        for (TopicAdmin.TopicState t : admin.topics().list()) {
            if ((internal || !t.internal()) && t.name().toLowerCase(Locale.ROOT).contains(search)) {
                rows.add(new TopicRow(
                        t.name(),
                        t.internal(),
                        t.partitions(),
                        t.replicationFactor(),
                        t.sizeBytes(),
                        t.messages(),
                        history.average(t.name(), RATE_SAMPLES)));
            }
        }
        return rows;
    }

    private TopicView view(TopicAdmin.TopicState topic) {
        return new TopicView(topic, history.average(topic.name(), RATE_SAMPLES));
    }

    private Object create(HttpServerExchange exchange) throws Exception {
        JsonNode body = Json.body(exchange);
        String name = Params.text(body, "name")
                .map(String::strip)
                .orElseThrow(() -> new BadRequestException("The topic needs a 'name'"));
        int partitions = Params.intField(body, "partitions", Integer.MIN_VALUE, Integer.MAX_VALUE)
                .orElse(admin.defaultPartitions());
        int replicationFactor = Params.intField(body, "replicationFactor", Short.MIN_VALUE, Short.MAX_VALUE)
                .orElse(admin.defaultReplicationFactor());
        Map<String, String> configs = stringMap(body, "configs");
        return new Routes.Created(view(admin.topics().create(name, partitions, replicationFactor, configs)));
    }

    private Object delete(HttpServerExchange exchange) throws Exception {
        String topic = topic(exchange);
        String confirm = Params.string(exchange, "confirm").orElse("");
        if (!confirm.equals(topic)) {
            throw new BadRequestException("To delete topic '" + topic + "' and all its messages, confirm with its name"
                    + " (confirm=" + topic + ")");
        }
        admin.topics().delete(topic);
        return null;
    }

    private Object alterConfigs(HttpServerExchange exchange) throws Exception {
        JsonNode body = Json.body(exchange);
        Map<String, String> set = stringMap(body, "set");
        List<String> remove = new ArrayList<>();
        JsonNode delete = body.get("delete");
        if (delete != null && !delete.isNull()) {
            if (!delete.isArray()) {
                throw new BadRequestException("'delete' must be a list of configuration names");
            }
            delete.forEach(n -> remove.add(n.asText()));
        }
        return view(admin.topics().alterConfigs(topic(exchange), set, remove));
    }

    private Object addPartitions(HttpServerExchange exchange) throws Exception {
        JsonNode body = Json.body(exchange);
        int count = Params.intField(body, "count", 1, Integer.MAX_VALUE)
                .orElseThrow(() -> new BadRequestException("Give the new partition count as 'count'"));
        return view(admin.topics().addPartitions(topic(exchange), count));
    }

    /** An object of string values, e.g. {@code "configs": {"retention.ms": "3600000"}}. */
    static Map<String, String> stringMap(JsonNode body, String field) {
        Map<String, String> map = new LinkedHashMap<>();
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw new BadRequestException("'" + field + "' must be an object of names and values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new BadRequestException("The value of '" + e.getKey() + "' in '" + field + "' must be text");
            }
            map.put(e.getKey().strip(), e.getValue().asText().strip());
        }
        return map;
    }
}
