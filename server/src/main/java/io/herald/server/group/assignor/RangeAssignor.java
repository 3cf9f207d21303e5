package io.herald.server.group.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The {@code range} assignor: for each topic, its subscribers (ordered by instance id, then member id) get contiguous
 * ranges of partitions, the first {@code partitions % subscribers} one more than the rest. Members subscribed to the
 * same co-partitioned topics get the same partition numbers of each, which joins across topics need.
 *
 * <p>Thread-safety: stateless.
 */
public final class RangeAssignor implements PartitionAssignor {

    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Map<Uuid, Set<Integer>>> assign(AssignmentSpec spec) {
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        spec.members().keySet().forEach(id -> result.put(id, new HashMap<>()));
        for (Map.Entry<Uuid, Integer> topic : spec.partitionCounts().entrySet()) {
            List<String> subscribers = new ArrayList<>();
            spec.members().forEach((id, m) -> {
                if (m.subscribedTopics().contains(topic.getKey())) {
                    subscribers.add(id);
                }
            });
            if (subscribers.isEmpty()) {
                continue;
            }
            subscribers.sort(Comparator.comparing(id -> spec.members().get(id).sortKey(id)));
            int partitions = topic.getValue();
            int quota = partitions / subscribers.size();
            int extra = partitions % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = quota + (i < extra ? 1 : 0);
                Set<Integer> range = new TreeSet<>();
                for (int p = next; p < next + count; p++) {
                    range.add(p);
                }
                next += count;
                if (!range.isEmpty()) {
                    result.get(subscribers.get(i)).put(topic.getKey(), range);
                }
            }
        }
        return result;
    }
}
