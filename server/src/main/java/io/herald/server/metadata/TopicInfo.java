package io.herald.server.metadata;

import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A topic as the cluster knows it.
 *
 * @param name the topic's name
 * @param id its topic id (KIP-516), fixed at creation
 * @param partitions its partition count
 * @param configs its configuration overrides (the rest comes from the broker's defaults)
 */
public record TopicInfo(String name, Uuid id, int partitions, Map<String, String> configs) {

    public TopicInfo {
        configs = Map.copyOf(configs);
    }

    public boolean isInternal() {
        return name.startsWith("__");
    }
}
