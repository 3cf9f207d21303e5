package io.herald.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.console.http.BadRequestException;
import io.herald.console.http.Json;
import io.herald.console.http.Params;
import io.herald.console.http.Routes;
import io.herald.server.api.BrokerAdmin;
import io.herald.server.api.GroupAdmin;
import io.herald.server.api.ShareGroupAdmin;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Consumer groups and share groups: {@code GET /api/groups}, {@code GET /api/groups/{group}}, {@code POST
 * /api/groups/{group}/offsets/reset} and {@code DELETE /api/groups/{group}?confirm={group}}.
 *
 * <p>Both kinds live under one path because Kafka gives them one namespace (a group id is a consumer group or a share
 * group, never both) and one ACL resource, so the console's access rules for groups cover both. A share group answers
 * with its own shape ({@code "type": "share"}).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class GroupResource {

    private final BrokerAdmin admin;

    public GroupResource(BrokerAdmin admin) {
        this.admin = admin;
    }

    public void register(Routes routes) {
        routes.get("/api/groups", exchange -> list());
        routes.get("/api/groups/{group}", this::describe);
        routes.post("/api/groups/{group}/offsets/reset", this::reset);
        routes.delete("/api/groups/{group}", this::delete);
    }

    private static String group(HttpServerExchange exchange) {
        return Params.required(exchange, "group");
    }

    private List<GroupAdmin.GroupSummary> list() {
        List<GroupAdmin.GroupSummary> all = new ArrayList<>(admin.groups().list());
        for (ShareGroupAdmin.ShareGroupSummary s : admin.shareGroups().list()) {
            all.add(new GroupAdmin.GroupSummary(
                    s.groupId(), ShareGroupAdmin.TYPE, s.state(), ShareGroupAdmin.TYPE, s.members(), s.totalLag()));
        }
        all.sort(Comparator.comparing(GroupAdmin.GroupSummary::groupId));
        return all;
    }

    private Object describe(HttpServerExchange exchange) {
        String group = group(exchange);
        return admin.shareGroups().isShareGroup(group)
                ? admin.shareGroups().describe(group)
                : admin.groups().describe(group);
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
        if (admin.shareGroups().isShareGroup(group)) {
            return admin.shareGroups().resetOffsets(group, resetTarget, timestamp, topic);
        }
        admin.groups().resetOffsets(group, resetTarget, timestamp, topic);
        return admin.groups().describe(group);
    }

    private Object delete(HttpServerExchange exchange) {
        String group = group(exchange);
        if (!Params.string(exchange, "confirm").orElse("").equals(group)) {
            throw new BadRequestException("To delete group '" + group + "' and its committed offsets, confirm with its"
                    + " id (confirm=" + group + ")");
        }
        if (admin.shareGroups().isShareGroup(group)) {
            admin.shareGroups().delete(group);
        } else {
            admin.groups().delete(group);
        }
        return null;
    }
}
