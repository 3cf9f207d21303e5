package io.herald.server.share;

import io.herald.server.config.ConfigUpdater;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * IncrementalAlterConfigs on a {@code GROUP} resource: SET and DELETE of {@link ShareGroupConfigs} keys, all of a
 * request's changes at once or none; they take effect at once (the next acquisition, release or heartbeat uses them)
 * and are kept in {@code __share_group_state}.
 *
 * <p>Thread-safety: thread-safe (serialised on the manager).
 */
public final class ShareGroupConfigUpdater {

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
        synchronized (manager) {
            Map<String, String> configs = new LinkedHashMap<>(manager.groupConfigs(group));
            for (ConfigUpdater.Op op : ops) {
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
            if (!validateOnly) {
                manager.setGroupConfigs(group, configs);
            }
        }
    }
}
