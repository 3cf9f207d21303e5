package io.herald.server.cluster;

import io.herald.server.metadata.BrokerNode;
import java.util.List;
import java.util.Optional;

/**
 * What the request handlers need to know of the cluster: its id, the controller, the live brokers and each
 * partition's replication state. A broker in a cluster reads it from the image it applied last ({@link
 * ClusterConductor}); a broker without cluster configuration is a cluster of one ({@link SingleBrokerView}).
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
public interface ClusterView {

    String clusterId();

    /** The broker that is controller, or -1 if none is known. */
    int controllerId();

    /** The registered brokers that membership sees alive, by id. */
    List<BrokerNode> liveBrokers();

    /** Every registered broker, alive or not, by id. */
    default List<BrokerNode> registeredBrokers() {
        return liveBrokers();
    }

    /** Whether {@code nodeId} is registered and alive. */
    boolean isLive(int nodeId);

    /** A registered broker, alive or not. */
    Optional<BrokerNode> broker(int nodeId);

    /** Whether this broker votes in the cluster's consistent store (see {@link ClusterBackend#votes}). */
    default boolean votes() {
        return true;
    }

    /** The replication state of a partition, if its topic and index exist. */
    Optional<PartitionState> partition(String topic, int partition);
}
