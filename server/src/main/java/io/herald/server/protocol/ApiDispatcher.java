package io.herald.server.protocol;

import io.herald.server.metrics.BrokerMetrics;
import io.herald.server.network.Request;
import io.herald.server.network.Response;
import io.herald.server.security.AccessControl;
import io.herald.server.security.ClientSession;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each request to the handler of its API key: checks the version, parses the body with kafka-clients'
 * generated classes, runs the handler and serialises its answer (records fields stay zero-copy, see {@link
 * SliceRecords}).
 *
 * <p>What the broker cannot serve is answered as Kafka does: an {@code ApiVersions} request of a version it does not
 * know gets {@code UNSUPPORTED_VERSION} with the supported ranges in a v0 response, so the client can retry lower; any
 * other unknown API or version, or a body that does not parse, closes that connection with a logged reason.
 *
 * <p>On a SASL listener nothing but ApiVersions, SaslHandshake and SaslAuthenticate is served before the client has
 * authenticated, nor after its authentication expired ({@code connections.max.reauth.ms}): such a request closes the
 * connection, as Kafka does.
 *
 * <p>Thread-safety: thread-safe; called from every I/O thread.
 */
public final class ApiDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ApiDispatcher.class);

    /** What a client may send before it has authenticated on a SASL listener (or after its session expired). */
    private static final Set<ApiKeys> BEFORE_AUTHENTICATION =
            EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE);

    private final Map<ApiKeys, ApiHandler<?>> handlers = new EnumMap<>(ApiKeys.class);
    private final AccessControl access;
    private final BrokerMetrics metrics;

    public ApiDispatcher(Collection<ApiHandler<?>> all) {
        this(all, AccessControl.allowAll());
    }

    public ApiDispatcher(Collection<ApiHandler<?>> all, AccessControl access) {
        this(all, access, new BrokerMetrics());
    }

    /**
     * A dispatcher that counts failed requests in {@code metrics} (the network counts requests and their times when
     * their responses are written: {@link io.herald.server.network.RequestChannel#onCompleted}).
     */
    public ApiDispatcher(Collection<ApiHandler<?>> all, AccessControl access, BrokerMetrics metrics) {
        this.access = access;
        this.metrics = metrics;
        for (ApiHandler<?> h : all) {
            if (handlers.put(h.apiKey(), h) != null) {
                throw new IllegalArgumentException("Two handlers for " + h.apiKey());
            }
        }
    }

    /** The supported APIs and versions, as ApiVersions advertises them. */
    public ApiVersionCollection apiVersions() {
        ApiVersionCollection versions = new ApiVersionCollection();
        handlers.values().stream()
                .sorted((a, b) -> Short.compare(a.apiKey().id, b.apiKey().id))
                .forEach(h -> versions.add(new ApiVersion()
                        .setApiKey(h.apiKey().id)
                        .setMinVersion(h.minVersion())
                        .setMaxVersion(h.maxVersion())));
        return versions;
    }

    /** Serves {@code request}, handing the response (now or later) to {@code respond}. */
    public void dispatch(Request request, Consumer<Response> respond) {
        RequestHeader header = request.header();
        ApiKeys key = header.apiKey();
        short version = header.apiVersion();
        ApiHandler<?> handler = handlers.get(key);
        if (handler == null || version < handler.minVersion() || version > handler.maxVersion()) {
            if (key == ApiKeys.API_VERSIONS) {
                respond.accept(unsupportedApiVersions(request));
            } else {
                log.warn(
                        "Closing connection {} from {}: {} v{} is not supported (client {})",
                        request.connectionId(),
                        request.clientAddress(),
                        key,
                        version,
                        header.clientId());
                respond.accept(Response.closeConnection(request));
            }
            return;
        }
        ClientSession session = request.session();
        if (!BEFORE_AUTHENTICATION.contains(key)
                && (!session.isAuthenticated() || session.isExpired(System.nanoTime()))) {
            log.warn(
                    "Closing connection {} from {}: {} before {} (client {})",
                    request.connectionId(),
                    request.clientAddress(),
                    key,
                    session.isAuthenticated()
                            ? "re-authenticating (connections.max.reauth.ms expired)"
                            : "SASL authentication",
                    header.clientId());
            respond.accept(Response.closeConnection(request));
            return;
        }
        AbstractRequest parsed;
        try {
            parsed = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(request.body())).request;
        } catch (RuntimeException e) {
            log.warn(
                    "Closing connection {} from {}: {} v{} request does not parse: {}",
                    request.connectionId(),
                    request.clientAddress(),
                    key,
                    version,
                    e.toString());
            respond.accept(Response.closeConnection(request));
            return;
        }
        RequestContext context = new RequestContext(
                header, request.connectionId(), request.clientAddress(), request.listener(), session, access);
        CompletableFuture<? extends ApiMessage> result;
        try {
            result = invoke(handler, context, parsed.data());
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        request.times().handled(System.nanoTime());
        result.whenComplete((message, error) -> {
            try {
                ApiMessage answer = error == null
                        ? message
                        : parsed.getErrorResponse(0, ErrorMapper.toApiException(error))
                                .data();
                if (error != null) {
                    log.debug("{} from {} failed", key, header.clientId(), error);
                }
                if (error != null) {
                    metrics.requestFailed(key);
                }
                respond.accept(
                        answer == null
                                ? Response.none(request)
                                : Response.send(
                                        request,
                                        SendBuilder.buildResponseSend(header.toResponseHeader(), answer, version)));
            } catch (RuntimeException e) {
                log.error("Could not answer {} v{} from {}", key, version, header.clientId(), e);
                respond.accept(Response.closeConnection(request));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <Q extends ApiMessage> CompletableFuture<? extends ApiMessage> invoke(
            ApiHandler<Q> handler, RequestContext context, ApiMessage data) {
        return handler.handle(context, (Q) data);
    }

    private Response unsupportedApiVersions(Request request) {
        ApiVersionsResponseData data = new ApiVersionsResponseData()
                .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                .setApiKeys(apiVersions());
        RequestHeader header = request.header();
        return Response.send(request, SendBuilder.buildResponseSend(header.toResponseHeader(), data, (short) 0));
    }
}
