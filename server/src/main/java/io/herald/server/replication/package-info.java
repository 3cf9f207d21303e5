/**
 * Data replication, Herald's own as in Kafka: {@link io.herald.server.replication.ReplicaManager} turns each cluster
 * image into partition roles on this broker, {@link io.herald.server.replication.ReplicaFetcher}s copy the leaders'
 * logs (Fetch with a replica id, OffsetForLeaderEpoch to find where a returning replica diverged), and the leaders'
 * ISR proposals go to the cluster conductor.
 */
package io.herald.server.replication;
