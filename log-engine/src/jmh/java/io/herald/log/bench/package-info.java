/**
 * JMH benchmarks of the log engine: append throughput without and with fsync (group commit), and zero-copy read
 * throughput into a loopback socket. Compiled only under the Maven profile {@code jmh}; run them with {@code
 * log-engine/bench/run.sh}, which measures the machine's limits in the same run (see {@code log-engine/README.md}).
 */
package io.herald.log.bench;
