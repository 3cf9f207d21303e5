package io.herald.server.handler;

import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * Finds the topic a request names: by id when the request version carries ids (KIP-516), otherwise by name.
 *
 * <p>Thread-safety: stateless.
 */
final class TopicResolver {

    private TopicResolver() {}

    static Optional<TopicInfo> resolve(MetadataStore metadata, String name, Uuid id) {
        if (id != null && !id.equals(Uuid.ZERO_UUID)) {
            return metadata.topic(id);
        }
        return name == null || name.isEmpty() ? Optional.empty() : metadata.topic(name);
    }
}
