package io.herald.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.console.http.BadRequestException;
import io.herald.console.http.Json;
import io.herald.console.http.Params;
import io.herald.console.http.Routes;
import io.herald.server.api.BrokerAdmin;
import io.herald.server.api.GroupAdmin;
import io.undertow.server.HttpServerExchange;
import java.util.Locale;
import java.util.Optional;

/**
 * Consumer groups: {@code GET /api/groups}, {@code GET /api/groups/{group}}, {@code POST
 * /api/groups/{group}/offsets/reset} and {@code DELETE /api/groups/{group}?confirm={group}}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class GroupResource {

    private final BrokerAdmin admin;

    public GroupResource(BrokerAdmin admin) {
        this.admin = admin;
    }

    public void register(Routes routes) {
        routes.get("/api/groups", exchange -> admin.groups().list());
        routes.get("/api/groups/{group}", exchange -> admin.groups().describe(group(exchange)));
        routes.post("/api/groups/{group}/offsets/reset", this::reset);
        routes.delete("/api/groups/{group}", this::delete);
    }

    private static String group(HttpServerExchange exchange) {
        return Params.required(exchange, "group");
    }

    private Object reset(HttpServerExchange exchange) throws Exception {
        String group = group(exchange);
        JsonNode body = Json.body(exchange);
        String target = Params.text(body, "target")
                .orElseThrow(() -> new BadRequestException("Give the 'target': earliest, latest or timestamp"));
        GroupAdmin.ResetTarget resetTarget;
        try {
            resetTarget = GroupAdmin.ResetTarget.valueOf(target.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("'target' must be earliest, latest or timestamp, not '" + target + "'");
        }
        long timestamp = -1;
        if (resetTarget == GroupAdmin.ResetTarget.TIMESTAMP) {
            timestamp = Params.parseTime(
                    "timestamp",
                    Params.text(body, "timestamp")
                            .orElseThrow(() -> new BadRequestException("A reset to a time needs a 'timestamp'")));
        }
        Optional<String> topic = Params.text(body, "topic").map(String::strip).filter(t -> !t.isEmpty());
        admin.groups().resetOffsets(group, resetTarget, timestamp, topic);
        return admin.groups().describe(group);
    }

    private Object delete(HttpServerExchange exchange) {
        String group = group(exchange);
        if (!Params.string(exchange, "confirm").orElse("").equals(group)) {
            throw new BadRequestException("To delete group '" + group + "' and its committed offsets, confirm with its"
                    + " id (confirm=" + group + ")");
        }
        admin.groups().delete(group);
        return null;
    }
}
