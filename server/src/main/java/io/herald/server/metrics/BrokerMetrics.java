package io.herald.server.metrics;

import io.herald.server.network.RequestTimes;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Monotonic counters of one broker, updated by the request path and read by whoever exports them (the admin console's
 * Prometheus endpoint, JMX and live charts).
 *
 * <ul>
 *   <li>Traffic per topic and in total: bytes and messages appended by producers (retried batches that were already
 *       written do not count), bytes and messages sent to consumers by fetches. Messages out are the offsets a fetch
 *       response covers from the fetch offset on; on a compacted topic that counts the gaps too.
 *   <li>Requests per API key: how many were answered, how many failed as a whole (the handler threw, so the client got
 *       the request's generic error), and their total time from the moment the request frame was read until the
 *       response was handed to the network thread (Kafka's {@code TotalTimeMs}, without the send).
 *   <li>ISR changes of the partitions this broker leads: shrinks (a replica left the ISR) and expansions (one joined),
 *       as Kafka's {@code IsrShrinksPerSec} and {@code IsrExpandsPerSec} count them, whoever proposed the change.
 * </ul>
 *
 * <p>Counters never go down, so rates are differences over time, as Prometheus computes them. A deleted topic's
 * counters stay until {@link #forgetTopic} (a topic created again under the name continues them otherwise).
 *
 * <p>Thread-safety: thread-safe; updates are lock-free ({@link LongAdder}).
 */
public final class BrokerMetrics {

    /** Traffic counters of one topic, or of all topics. */
    public static final class Traffic {
        private final LongAdder bytesIn = new LongAdder();
        private final LongAdder messagesIn = new LongAdder();
        private final LongAdder bytesOut = new LongAdder();
        private final LongAdder messagesOut = new LongAdder();

        public long bytesIn() {
            return bytesIn.sum();
        }

        public long messagesIn() {
            return messagesIn.sum();
        }

        public long bytesOut() {
            return bytesOut.sum();
        }

        public long messagesOut() {
            return messagesOut.sum();
        }
    }

    /**
     * Request counters of one API key: how many were done with, how many failed as a whole, and the time they spent in
     * each stage ({@link RequestTimes}), summed.
     */
    public static final class Requests {
        private final LongAdder count = new LongAdder();
        private final LongAdder failed = new LongAdder();
        private final LongAdder requestQueueNanos = new LongAdder();
        private final LongAdder localNanos = new LongAdder();
        private final LongAdder remoteNanos = new LongAdder();
        private final LongAdder responseQueueNanos = new LongAdder();
        private final LongAdder responseSendNanos = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();

        public long count() {
            return count.sum();
        }

        public long failed() {
            return failed.sum();
        }

        public long requestQueueNanos() {
            return requestQueueNanos.sum();
        }

        public long localNanos() {
            return localNanos.sum();
        }

        public long remoteNanos() {
            return remoteNanos.sum();
        }

        public long responseQueueNanos() {
            return responseQueueNanos.sum();
        }

        public long responseSendNanos() {
            return responseSendNanos.sum();
        }

        public long totalNanos() {
            return totalNanos.sum();
        }
    }

    private final Traffic total = new Traffic();
    private final Map<String, Traffic> topics = new ConcurrentHashMap<>();
    private final Map<ApiKeys, Requests> requests;
    private final LongAdder isrShrinks = new LongAdder();
    private final LongAdder isrExpands = new LongAdder();

    public BrokerMetrics() {
        Map<ApiKeys, Requests> map = new EnumMap<>(ApiKeys.class);
        for (ApiKeys key : ApiKeys.values()) {
            map.put(key, new Requests());
        }
        this.requests = Collections.unmodifiableMap(map);
    }

    /** A produce request appended {@code messages} records in {@code bytes} bytes of batches to {@code topic}. */
    public void produced(String topic, long bytes, long messages) {
        Traffic t = topics.computeIfAbsent(topic, k -> new Traffic());
        t.bytesIn.add(bytes);
        t.messagesIn.add(messages);
        total.bytesIn.add(bytes);
        total.messagesIn.add(messages);
    }

    /** A fetch response carries {@code bytes} bytes covering {@code messages} offsets of {@code topic}. */
    public void fetched(String topic, long bytes, long messages) {
        Traffic t = topics.computeIfAbsent(topic, k -> new Traffic());
        t.bytesOut.add(bytes);
        t.messagesOut.add(messages);
        total.bytesOut.add(bytes);
        total.messagesOut.add(messages);
    }

    /** A request of {@code api} is done with (answered, or its connection closed instead), at {@code times}. */
    public void requestCompleted(ApiKeys api, RequestTimes times) {
        Requests r = requests.get(api);
        r.count.increment();
        r.requestQueueNanos.add(Math.max(0, times.requestQueueNanos()));
        r.localNanos.add(Math.max(0, times.localNanos()));
        r.remoteNanos.add(Math.max(0, times.remoteNanos()));
        r.responseQueueNanos.add(Math.max(0, times.responseQueueNanos()));
        r.responseSendNanos.add(Math.max(0, times.responseSendNanos()));
        r.totalNanos.add(Math.max(0, times.totalNanos()));
    }

    /** The handler of a request of {@code api} failed as a whole (it was answered with an error). */
    public void requestFailed(ApiKeys api) {
        requests.get(api).failed.increment();
    }

    /** The traffic of all topics together. */
    public Traffic total() {
        return total;
    }

    /** The traffic of each topic that had any since the broker started (a live view; iterate, do not keep). */
    public Map<String, Traffic> topics() {
        return Collections.unmodifiableMap(topics);
    }

    /** The counters of each API key (every key, also those never requested). */
    public Map<ApiKeys, Requests> requests() {
        return requests;
    }

    /** The ISR of a partition this broker leads lost a replica. */
    public void isrShrunk() {
        isrShrinks.increment();
    }

    /** The ISR of a partition this broker leads gained a replica. */
    public void isrExpanded() {
        isrExpands.increment();
    }

    public long isrShrinks() {
        return isrShrinks.sum();
    }

    public long isrExpands() {
        return isrExpands.sum();
    }

    /** Drops the counters of a deleted topic. */
    public void forgetTopic(String topic) {
        topics.remove(topic);
    }
}
