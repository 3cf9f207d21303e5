package io.herald.jms;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;

/**
 * The assignor of a {@link PresenceMember}: assigns nothing (the member reads nothing) and puts the connection's
 * status ({@link ConnectionStatus}) in the member's subscription user data, where the broker's admin console reads it.
 * The status is computed at each JoinGroup, so a rejoin publishes a fresh one.
 *
 * <p>kafka-clients instantiates assignors by class name (hence public, unlike the provider's other classes); the status
 * supplier reaches it through the consumer's configs under {@link #STATUS_CONFIG}.
 *
 * <p>Thread-safety: thread-safe; called by the consumer's threads, the supplier is thread-safe.
 */
public final class PresenceAssignor implements ConsumerPartitionAssignor, Configurable {

    /** The name the member announces in JoinGroup. */
    static final String NAME = "herald-jms-presence";
    /** Consumer config key whose value is the {@code Supplier<byte[]>} of the status. */
    static final String STATUS_CONFIG = "herald.jms.presence.status";

    private volatile Supplier<byte[]> status = () -> new byte[0];

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object s = configs.get(STATUS_CONFIG);
        if (s instanceof Supplier<?> supplier) {
            this.status = (Supplier<byte[]>) supplier;
        }
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return ByteBuffer.wrap(status.get());
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Assignment> out = new HashMap<>();
        groupSubscription.groupSubscription().keySet().forEach(m -> out.put(m, new Assignment(List.of())));
        return new GroupAssignment(out);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        // nothing to read
    }

    @Override
    public String name() {
        return NAME;
    }
}
