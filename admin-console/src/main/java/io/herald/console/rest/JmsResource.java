package io.herald.console.rest;

import io.herald.console.http.BadRequestException;
import io.herald.console.http.Json;
import io.herald.console.http.Params;
import io.herald.console.http.Routes;
import io.herald.server.api.BrokerAdmin;
import io.herald.server.api.RecordAccess;
import io.undertow.server.HttpServerExchange;

/**
 * JMS destinations: {@code GET /api/jms} (the page is there), {@code GET /api/jms/queues}, {@code GET
 * /api/jms/queues/{queue}}, the dead-letter queue's messages ({@code GET /api/jms/queues/{queue}/dlq/messages}), moving
 * them back ({@code POST /api/jms/queues/{queue}/dlq/retry}) and removing them ({@code DELETE
 * /api/jms/queues/{queue}/dlq/messages?confirm={queue}}), {@code GET /api/jms/topics} with their subscriptions, and
 * {@code GET /api/jms/connections}, the open JMS connections.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class JmsResource {

    /** {@code GET /api/jms}: the broker serves JMS (queues and subscriptions appear once clients use them). */
    public record FeatureStatus(String feature, boolean available, String reason) {}

    private static final FeatureStatus AVAILABLE = new FeatureStatus("jms", true, "");

    private final BrokerAdmin admin;

    public JmsResource(BrokerAdmin admin) {
        this.admin = admin;
    }

    public void register(Routes routes) {
        routes.get("/api/jms", exchange -> AVAILABLE);
        routes.get("/api/jms/queues", exchange -> admin.jms().queues());
        routes.get("/api/jms/queues/{queue}", exchange -> admin.jms().queue(queue(exchange)));
        routes.get("/api/jms/queues/{queue}/dlq/messages", this::deadLetters);
        routes.post("/api/jms/queues/{queue}/dlq/retry", this::retry);
        routes.delete("/api/jms/queues/{queue}/dlq/messages", this::purge);
        routes.get("/api/jms/topics", exchange -> admin.jms().topics());
        routes.get("/api/jms/connections", exchange -> admin.jmsConnections().list());
    }

    private static String queue(HttpServerExchange exchange) {
        return Params.required(exchange, "queue");
    }

    private Object deadLetters(HttpServerExchange exchange) throws Exception {
        String queue = queue(exchange);
        String dlq = admin.jms().queue(queue).queue().deadLetterQueue();
        int partition = Params.intValue(exchange, "partition", 0);
        long offset = Params.longValue(exchange, "offset").orElse(0L);
        int limit = Params.intValue(exchange, "limit", MessageResource.DEFAULT_LIMIT);
        if (limit < 1 || limit > RecordAccess.MAX_PAGE) {
            throw new BadRequestException("'limit' must be between 1 and " + RecordAccess.MAX_PAGE + ", not " + limit);
        }
        if (offset < 0) {
            throw new BadRequestException("'offset' must be 0 or more, not " + offset);
        }
        return MessageResource.pageView(admin.records().read(dlq, partition, offset, limit), limit);
    }

    private Object retry(HttpServerExchange exchange) throws Exception {
        // A JSON body ({}), like every change: a cross-site form cannot send one.
        Json.body(exchange);
        return admin.jms().retryDeadLetters(queue(exchange));
    }

    private Object purge(HttpServerExchange exchange) throws Exception {
        String queue = queue(exchange);
        if (!Params.string(exchange, "confirm").orElse("").equals(queue)) {
            throw new BadRequestException("To remove every dead letter of queue '" + queue + "', confirm with its name"
                    + " (confirm=" + queue + ")");
        }
        return admin.jms().purgeDeadLetters(queue);
    }
}
