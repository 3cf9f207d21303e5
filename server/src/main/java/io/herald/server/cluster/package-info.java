/**
 * The cluster: membership and the strongly consistent state behind one interface ({@link
 * io.herald.server.cluster.ClusterBackend}: Hazelcast's CP subsystem in a cluster, a local file for a broker that runs
 * alone, an in-memory fake in simulation tests), the versioned cluster metadata ({@link
 * io.herald.server.cluster.ClusterImage}), the controller's decisions as pure functions ({@link
 * io.herald.server.cluster.ControllerLogic}) and the one thread that owns the broker's view of the cluster ({@link
 * io.herald.server.cluster.ClusterConductor}).
 */
package io.herald.server.cluster;
