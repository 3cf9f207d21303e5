package io.herald.server.share;

import io.herald.server.queue.MessageSelector;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JMS message selectors of share-group members (Herald extension {@code herald.v1.selector.<client id>}, see
 * {@link ShareGroupConfigUpdater}), by group and client id; kept in memory only, set here or, in a cluster, by another
 * broker's notice.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ShareSelectors {

    private record Key(String group, String clientId) {}

    private final Map<Key, MessageSelector> selectors = new ConcurrentHashMap<>();

    /** The selector of the member of {@code group} whose requests carry {@code clientId}, if it has one. */
    Optional<MessageSelector> selector(String group, String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(selectors.get(new Key(group, clientId)));
    }

    /**
     * Gives that member {@code selector}, or takes its selector away if empty.
     *
     * @throws MessageSelector.InvalidSelectorException if {@code selector} does not parse
     */
    void set(String group, String clientId, Optional<String> selector) {
        Key key = new Key(group, clientId);
        if (selector.isPresent()) {
            selectors.put(key, MessageSelector.parse(selector.get()));
        } else {
            selectors.remove(key);
        }
    }
}
