/**
 * The broker's metrics as an operator reads them: {@link io.herald.console.metrics.ConsoleMetrics} binds the broker's
 * counters and the cluster's and groups' state to Micrometer under Kafka's metric names, for the Prometheus endpoint
 * and for JMX (with Kafka's MBean names); {@link io.herald.console.metrics.TrafficHistory} samples the traffic every
 * second for the live charts.
 */
package io.herald.console.metrics;
