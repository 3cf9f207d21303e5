package io.herald.server.share;

import io.herald.server.config.ConfigUpdater;
import io.herald.server.queue.MessageSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * IncrementalAlterConfigs on a {@code GROUP} resource: SET and DELETE of {@link ShareGroupConfigs} keys, all of a
 * request's changes at once or none; they take effect at once (the next acquisition, release or heartbeat uses them)
 * and are kept in {@code __share_group_state}. In a cluster the configs changed are those the state topic holds now,
 * whichever broker set them last.
 *
 * <p>Thread-safety: thread-safe (serialised on the manager).
 */
public final class ShareGroupConfigUpdater {

    /**
     * Herald extension (version 1): {@code herald.v1.selector.<client id>} set on a share group gives the member
     * whose requests carry that client id a JMS message selector, evaluated by the broker when it acquires records;
     * DELETE removes it. Kept in memory only (a consumer registers it again after a broker restart); in a cluster, on
     * every broker (see {@link ShareGroupNotices}). An invalid selector gets INVALID_CONFIG with the parser's message.
     */
    public static final String SELECTOR_PREFIX = "herald.v1.selector.";

    private final SharePartitionManager manager;

    public ShareGroupConfigUpdater(SharePartitionManager manager) {
        this.manager = manager;
    }

    /**
     * Applies {@code ops} to the configs of {@code group}.
     *
     * @throws InvalidConfigurationException for an unknown key or an invalid value, naming it
     * @throws InvalidRequestException for APPEND or SUBTRACT (no group config is a list)
     */
    public void alter(String group, List<ConfigUpdater.Op> ops, boolean validateOnly) {
        if (group == null || group.isEmpty()) {
            throw new InvalidRequestException("A group resource needs a group id");
        }
        List<ConfigUpdater.Op> selectorOps =
                ops.stream().filter(op -> op.name().startsWith(SELECTOR_PREFIX)).toList();
        List<ConfigUpdater.Op> configOps = ops.stream()
                .filter(op -> !op.name().startsWith(SELECTOR_PREFIX))
                .toList();
        for (ConfigUpdater.Op op : selectorOps) {
            if (op.type() == AlterConfigOp.OpType.SET) {
                try {
                    MessageSelector.parse(op.value()); // refused before anything changes
                } catch (MessageSelector.InvalidSelectorException e) {
                    throw new InvalidConfigurationException(e.getMessage());
                }
            } else if (op.type() != AlterConfigOp.OpType.DELETE) {
                throw new InvalidRequestException(op.type() + " is not supported for " + op.name());
            }
        }
        // Read outside the lock: in a cluster it may be read from another broker.
        Map<String, String> current = configOps.isEmpty() ? Map.of() : manager.currentGroupConfigs(group);
        synchronized (manager) {
            Map<String, String> configs = new LinkedHashMap<>(current);
            for (ConfigUpdater.Op op : configOps) {
                ShareGroupConfigs.key(op.name());
                switch (op.type()) {
                    case SET -> configs.put(op.name(), op.value());
                    case DELETE -> configs.remove(op.name());
                    default ->
                        throw new InvalidRequestException(
                                op.type() + " is not supported for group config " + op.name() + ": it is not a list");
                }
            }
            ShareGroupConfigs.validate(configs);
            if (validateOnly) {
                return;
            }
            if (!configOps.isEmpty()) {
                manager.setGroupConfigs(group, configs);
            }
            for (ConfigUpdater.Op op : selectorOps) {
                String clientId = op.name().substring(SELECTOR_PREFIX.length());
                manager.setSelector(
                        group,
                        clientId,
                        op.type() == AlterConfigOp.OpType.SET ? Optional.of(op.value()) : Optional.empty());
            }
        }
    }
}
