package io.herald.console.rest;

import io.herald.console.http.BadRequestException;
import io.herald.console.http.Params;
import io.herald.console.http.Routes;
import io.herald.console.metrics.TrafficHistory;
import java.util.Map;

/**
 * {@code GET /api/metrics/live?seconds=N}: per-second rates of messages and bytes in and out over the last N seconds
 * (at most {@link TrafficHistory#CAPACITY}), for the broker and for each topic that had traffic.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class LiveResource {

    /** The live charts' data. */
    public record LiveView(
            int intervalMs, long now, TrafficHistory.Series broker, Map<String, TrafficHistory.Series> topics) {}

    private final TrafficHistory history;
    private final java.time.Clock clock;

    public LiveResource(TrafficHistory history, java.time.Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.get("/api/metrics/live", exchange -> {
            int seconds = Params.intValue(exchange, "seconds", TrafficHistory.CAPACITY);
            if (seconds < 1 || seconds > TrafficHistory.CAPACITY) {
                throw new BadRequestException(
                        "'seconds' must be between 1 and " + TrafficHistory.CAPACITY + ", not " + seconds);
            }
            return new LiveView(1000, clock.millis(), history.broker(seconds), history.topics(seconds));
        });
    }
}
