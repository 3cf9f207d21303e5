package io.herald.server.handler;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A handler of group requests whose work runs on the group coordinator's threads ({@link GroupCoordinator#run}), not
 * on the request-handler thread that took the request: that work may wait for {@code __consumer_offsets} to replicate,
 * which needs the followers' fetches the request-handler threads serve.
 *
 * <p>Thread-safety: as thread-safe as the handler it runs.
 *
 * @param <Q> the request's generated message class
 */
public final class OnGroupThreads<Q extends ApiMessage> implements ApiHandler<Q> {

    private final ApiHandler<Q> handler;
    private final GroupCoordinator groups;

    private OnGroupThreads(ApiHandler<Q> handler, GroupCoordinator groups) {
        this.handler = handler;
        this.groups = groups;
    }

    /** {@code handler}, its requests run on the threads of {@code groups}. */
    public static <Q extends ApiMessage> OnGroupThreads<Q> of(ApiHandler<Q> handler, GroupCoordinator groups) {
        return new OnGroupThreads<>(handler, groups);
    }

    @Override
    public ApiKeys apiKey() {
        return handler.apiKey();
    }

    @Override
    public short minVersion() {
        return handler.minVersion();
    }

    @Override
    public short maxVersion() {
        return handler.maxVersion();
    }

    @Override
    public CompletableFuture<? extends ApiMessage> handle(RequestContext context, Q request) {
        return groups.<ApiMessage>run(() -> handler.handle(context, request));
    }
}
