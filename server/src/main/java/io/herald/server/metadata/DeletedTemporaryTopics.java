package io.herald.server.metadata;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The topics of JMS temporary destinations ({@link TemporaryTopics}) this broker saw deleted, the newest {@link #MAX}.
 * A request naming one, by name or by topic id, is answered that it is gone for good (such a name is never used again
 * and never created on use), where the client would otherwise retry an unknown topic until its own timeout: a reply
 * to a deleted temporary queue fails at once.
 *
 * <p>Thread-safety: thread-safe (one lock, held for map operations only).
 */
public final class DeletedTemporaryTopics {

    /** How many deletions are remembered; an older one is answered as any unknown topic. */
    static final int MAX = 10_000;

    private final Map<Uuid, String> byId = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Uuid, String> eldest) {
            if (size() > MAX) {
                byName.remove(eldest.getValue());
                return true;
            }
            return false;
        }
    };
    private final Map<String, Uuid> byName = new LinkedHashMap<>();

    /** Remembers {@code topic} as deleted if it is a temporary destination's. */
    public synchronized void deleted(TopicInfo topic) {
        if (TemporaryTopics.isTemporary(topic.name())) {
            byName.put(topic.name(), topic.id());
            byId.put(topic.id(), topic.name());
        }
    }

    /** The name of the deleted temporary destination's topic with this id. */
    public synchronized Optional<String> name(Uuid id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Whether {@code name} is a deleted temporary destination's topic. */
    public synchronized boolean contains(String name) {
        return byName.containsKey(name);
    }
}
