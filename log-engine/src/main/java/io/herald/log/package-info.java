/**
 * The log engine: a partition is a directory of segments, each a file of Kafka v2 record batches exactly as producers
 * sent them, with a sparse offset index and a time index.
 *
 * <p>The public API is {@link io.herald.log.LogManager} (the data directories and their partitions), {@link
 * io.herald.log.PartitionLog} (append, read, truncate, retention of one partition), {@link io.herald.log.LogSlice} (a
 * zero-copy view of file bytes for the network) and {@link io.herald.log.LogConfig} (per-topic settings with Kafka's
 * names). The rest — segments, loading and recovery, compaction, group commit — supports them.
 */
package io.herald.log;
