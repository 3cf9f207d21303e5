package io.herald.server.share;

import io.herald.server.config.ConfigUpdater;
import io.herald.server.queue.MessageSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * IncrementalAlterConfigs on a {@code GROUP} resource: SET and DELETE of {@link ShareGroupConfigs} keys, all of a
 * request's changes at once or none; they take effect at once (the next acquisition, release or heartbeat uses them)
 * and are kept in {@code __share_group_state}. In a cluster the configs changed are those the state topic holds now,
 * whichever broker set them last.
 *
 * <p>Thread-safety: thread-safe (a group's config changes are serialised by the manager).
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
     * Applies {@code ops} to the configs of {@code group}, after any change of them under way (see {@link
     * SharePartitionManager#changeGroupConfigs}); selectors are set once the configs are written.
     *
     * @return completes once the changes are in force (the configs durable); fails with {@link
     *     InvalidConfigurationException} for an unknown key or an invalid value, naming it, and {@link
     *     InvalidRequestException} for APPEND or SUBTRACT (no group config is a list)
     */
    public CompletableFuture<Void> alter(String group, List<ConfigUpdater.Op> ops, boolean validateOnly) {
        if (group == null || group.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidRequestException("A group resource needs a group id"));
        }
        List<ConfigUpdater.Op> selectorOps =
                ops.stream().filter(op -> op.name().startsWith(SELECTOR_PREFIX)).toList();
        List<ConfigUpdater.Op> configOps = ops.stream()
                .filter(op -> !op.name().startsWith(SELECTOR_PREFIX))
                .toList();
        try {
            for (ConfigUpdater.Op op : selectorOps) {
                validateSelector(op);
            }
            if (configOps.isEmpty()) {
                if (!validateOnly) {
                    setSelectors(group, selectorOps);
                }
                return CompletableFuture.completedFuture(null);
            }
            for (ConfigUpdater.Op op : configOps) {
                ShareGroupConfigs.key(op.name()); // an unknown key is refused before anything is read
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return manager.changeGroupConfigs(group, current -> apply(current, configOps), validateOnly)
                .thenRun(() -> {
                    if (!validateOnly) {
                        setSelectors(group, selectorOps);
                    }
                });
    }

    private static void validateSelector(ConfigUpdater.Op op) {
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

    /** {@code current} with {@code configOps} applied, validated as a whole. */
    private static Map<String, String> apply(Map<String, String> current, List<ConfigUpdater.Op> configOps) {
        Map<String, String> configs = new LinkedHashMap<>(current);
        for (ConfigUpdater.Op op : configOps) {
            switch (op.type()) {
                case SET -> configs.put(op.name(), op.value());
                case DELETE -> configs.remove(op.name());
                default ->
                    throw new InvalidRequestException(
                            op.type() + " is not supported for group config " + op.name() + ": it is not a list");
            }
        }
        ShareGroupConfigs.validate(configs);
        return configs;
    }

    private void setSelectors(String group, List<ConfigUpdater.Op> selectorOps) {
        for (ConfigUpdater.Op op : selectorOps) {
            String clientId = op.name().substring(SELECTOR_PREFIX.length());
            manager.setSelector(
                    group,
                    clientId,
                    op.type() == AlterConfigOp.OpType.SET ? Optional.of(op.value()) : Optional.empty());
        }
    }
}
