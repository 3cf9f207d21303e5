package io.herald.console.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API's route table: each endpoint is a function from the exchange to a response body, run on a worker
 * thread (it may touch the disk) with a blocking exchange; its result is sent as JSON with 200 (201 for a POST that
 * {@link Created created} something, 204 for {@code null}), and any failure goes through {@link ErrorResponses}.
 *
 * <p>Templates such as {@code /api/topics/{topic}/configs} match whole path segments; the values are added as path
 * parameters ({@link Params} reads them). Design note: this is a small matcher of its own because Undertow's
 * RoutingHandler, given {@code /api/topics/{topic}} beside longer templates with the same start, matched the path but
 * lost the parameter.
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

    private record Route(HttpString method, Pattern pattern, List<String> names, HttpHandler handler) {}

    private static final Pattern PARAMETER = Pattern.compile("\\{([a-zA-Z]+)}");

    private final List<Route> routes = new ArrayList<>();

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
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder("^");
        Matcher m = PARAMETER.matcher(template);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(at, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            at = m.end();
        }
        regex.append(Pattern.quote(template.substring(at))).append('$');
        routes.add(new Route(method, Pattern.compile(regex.toString()), names, handler));
        return this;
    }

    private Routes add(HttpString method, String template, Endpoint endpoint) {
        return raw(method, template, new BlockingHandler(exchange -> serve(exchange, endpoint)));
    }

    /** The routes, answering 404 (and 405 for a known path with another method) as JSON errors. */
    public HttpHandler handler() {
        List<Route> table = List.copyOf(routes);
        return exchange -> {
            String path = exchange.getRelativePath();
            boolean pathKnown = false;
            for (Route r : table) {
                Matcher m = r.pattern().matcher(path);
                if (!m.matches()) {
                    continue;
                }
                pathKnown = true;
                if (r.method().equals(exchange.getRequestMethod())) {
                    for (int i = 0; i < r.names().size(); i++) {
                        exchange.addPathParam(r.names().get(i), m.group(i + 1));
                    }
                    r.handler().handleRequest(exchange);
                    return;
                }
            }
            if (pathKnown) {
                Json.send(
                        exchange,
                        405,
                        ErrorResponses.body(new ErrorResponses.ErrorBody(
                                405,
                                "METHOD_NOT_ALLOWED",
                                exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath())));
            } else {
                Json.send(
                        exchange,
                        404,
                        ErrorResponses.body(new ErrorResponses.ErrorBody(
                                404, "NOT_FOUND", "There is no API endpoint " + exchange.getRequestPath())));
            }
        };
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
