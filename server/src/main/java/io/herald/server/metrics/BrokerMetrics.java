package io.herald.server.metrics;

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

    /** Request counters of one API key. */
    public static final class Requests {
        private final LongAdder count = new LongAdder();
        private final LongAdder failed = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();

        public long count() {
            return count.sum();
        }

        public long failed() {
            return failed.sum();
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

    /** A request of {@code api} was answered {@code nanos} after its frame was read; {@code failed} if it threw. */
    public void requestCompleted(ApiKeys api, long nanos, boolean failed) {
        Requests r = requests.get(api);
        r.count.increment();
        r.totalNanos.add(Math.max(0, nanos));
        if (failed) {
            r.failed.increment();
        }
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
