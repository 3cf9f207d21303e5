package io.herald.server.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The broker's side of one Kafka API: the versions it serves and what it does with a request. One implementation per
 * API key; {@code ApiVersions} advertises exactly the registered handlers and their version ranges.
 *
 * <p>A handler may answer later (long-poll fetches, acks=all): it returns a future. A future completed with {@code
 * null} sends no response (acks=0 produce). A handler that throws or fails its future gets the protocol's error
 * response for the whole request, with the error code {@link ErrorMapper} assigns.
 *
 * <p>Thread-safety: implementations are called concurrently from the I/O threads.
 *
 * @param <Q> the request's generated message class
 */
public interface ApiHandler<Q extends ApiMessage> {

    ApiKeys apiKey();

    /** Lowest version served; at least the lowest kafka-clients still knows. */
    default short minVersion() {
        return apiKey().oldestVersion();
    }

    /** Highest version served. */
    short maxVersion();

    CompletableFuture<? extends ApiMessage> handle(RequestContext context, Q request);
}
