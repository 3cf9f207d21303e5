/**
 * The broker's own counters: traffic per topic (bytes and messages in and out) and requests per API (count, failures,
 * total time), kept as {@link java.util.concurrent.atomic.LongAdder}s on the hot paths. The broker depends on no
 * metrics library; the admin console binds these counters to Micrometer (Prometheus and JMX).
 */
package io.herald.server.metrics;
