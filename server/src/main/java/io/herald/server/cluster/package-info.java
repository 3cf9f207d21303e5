/**
 * The cluster: membership and the strongly consistent state behind one interface ({@link
 * io.herald.server.cluster.ClusterBackend}: Hazelcast's CP subsystem; an in-memory fake in tests), the versioned
 * cluster metadata ({@link io.herald.server.cluster.ClusterImage}), the controller's decisions as pure functions
 * ({@link io.herald.server.cluster.ControllerLogic}), the one thread that owns the broker's view of the cluster ({@link
 * io.herald.server.cluster.ClusterConductor}) and what the request handlers see of it ({@link
 * io.herald.server.cluster.ClusterView}; a broker without cluster configuration is a cluster of one, {@link
 * io.herald.server.cluster.SingleBrokerView}).
 */
package io.herald.server.cluster;
