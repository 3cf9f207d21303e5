package io.herald.console.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/**
 * The REST API's route table: each endpoint is a function from the exchange to a response body, run on a worker
 * thread (it may touch the disk) with a blocking exchange; its result is sent as JSON with 200 (201 for a POST that
 * {@link Created created} something, 204 for {@code null}), and any failure goes through {@link ErrorResponses}.
 *
 * <p>Thread-safety: build on one thread, then serve from any.
 */
public final class Routes {

    /** An endpoint. */
    @FunctionalInterface
    public interface Endpoint {
        Object handle(HttpServerExchange exchange) throws Exception;
    }

    /** A body that answers with 201 Created. */
    public record Created(Object body) {}

    private final RoutingHandler routing = new RoutingHandler(false);

    public Routes get(String template, Endpoint endpoint) {
        return add(Methods.GET, template, endpoint);
    }

    public Routes post(String template, Endpoint endpoint) {
        return add(Methods.POST, template, endpoint);
    }

    public Routes patch(String template, Endpoint endpoint) {
        return add(Methods.PATCH, template, endpoint);
    }

    public Routes delete(String template, Endpoint endpoint) {
        return add(Methods.DELETE, template, endpoint);
    }

    /** Routes {@code template} to a raw handler (not JSON), such as the Prometheus endpoint. */
    public Routes raw(HttpString method, String template, HttpHandler handler) {
        routing.add(method, template, handler);
        return this;
    }

    private Routes add(HttpString method, String template, Endpoint endpoint) {
        routing.add(method, template, new BlockingHandler(exchange -> serve(exchange, endpoint)));
        return this;
    }

    /** The routes, answering 404 (and 405 for a known path with another method) as JSON errors. */
    public HttpHandler handler() {
        routing.setFallbackHandler(exchange -> Json.send(
                exchange,
                404,
                ErrorResponses.body(new ErrorResponses.ErrorBody(
                        404, "NOT_FOUND", "There is no API endpoint " + exchange.getRequestPath()))));
        routing.setInvalidMethodHandler(exchange -> Json.send(
                exchange,
                405,
                ErrorResponses.body(new ErrorResponses.ErrorBody(
                        405,
                        "METHOD_NOT_ALLOWED",
                        exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath()))));
        return routing;
    }

    private static void serve(HttpServerExchange exchange, Endpoint endpoint) {
        Object result;
        try {
            result = endpoint.handle(exchange);
        } catch (Exception e) {
            ErrorResponses.ErrorBody error = ErrorResponses.of(e);
            Json.send(exchange, error.status(), ErrorResponses.body(error));
            return;
        }
        if (result == null) {
            exchange.setStatusCode(204);
            exchange.endExchange();
        } else if (result instanceof Created created) {
            Json.send(exchange, 201, created.body());
        } else {
            Json.send(exchange, 200, result);
        }
    }
}
