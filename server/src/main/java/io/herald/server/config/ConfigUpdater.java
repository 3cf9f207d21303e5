package io.herald.server.config;

import io.herald.server.metadata.TopicInfo;
import io.herald.server.metadata.TopicManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Changes the configuration of a topic or of the broker, for IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT
 * per key) and the legacy AlterConfigs (the whole set replaced). One resource changes all at once or not at all: the
 * new set of overrides is computed, validated as a whole, then stored and applied in one step; {@code validateOnly}
 * stops after the validation.
 *
 * <p>APPEND and SUBTRACT apply to list-valued keys ({@code cleanup.policy}); they start from the value in force, so
 * appending {@code compact} to a topic that inherits {@code delete} gives {@code compact,delete}.
 *
 * <p>Thread-safety: thread-safe; changes are serialised so that two read-modify-write changes cannot lose one another.
 */
public final class ConfigUpdater {

    /** One operation of an IncrementalAlterConfigs request. */
    public record Op(String name, OpType type, String value) {}

    private final TopicManager topics;
    private final DynamicBrokerConfig broker;

    public ConfigUpdater(TopicManager topics, DynamicBrokerConfig broker) {
        this.topics = topics;
        this.broker = broker;
    }

    /** The broker configuration this updater changes. */
    public DynamicBrokerConfig broker() {
        return broker;
    }

    /** Applies {@code ops} to the overrides of {@code topicName}. */
    public synchronized void alterTopic(String topicName, List<Op> ops, boolean validateOnly) throws IOException {
        TopicInfo topic = existing(topicName);
        for (Op op : ops) {
            if (ConfigCatalog.topicKey(op.name()).isEmpty()) {
                throw new InvalidConfigurationException("Unknown topic config " + op.name());
            }
        }
        Map<String, String> effective =
                broker.current().topicDefaults().with(topic.configs()).toMap();
        Map<String, String> updated = apply(
                topic.configs(),
                ops,
                name -> ConfigCatalog.topicKey(name).orElseThrow(),
                name -> Optional.ofNullable(effective.get(name)));
        topics.setConfigs(topicName, updated, validateOnly);
    }

    /** Replaces the overrides of {@code topicName} with {@code configs} (legacy AlterConfigs). */
    public synchronized void replaceTopic(String topicName, Map<String, String> configs, boolean validateOnly)
            throws IOException {
        existing(topicName);
        topics.setConfigs(topicName, configs, validateOnly);
    }

    /** Applies {@code ops} to the dynamic configs of the broker resource {@code resourceName}. */
    public synchronized void alterBroker(String resourceName, List<Op> ops, boolean validateOnly) throws IOException {
        String scope = broker.scopeOf(resourceName);
        for (Op op : ops) {
            if (ConfigCatalog.brokerKey(op.name()).isEmpty()) {
                throw new InvalidConfigurationException("Unknown broker config " + op.name());
            }
        }
        Map<String, String> effective = broker.current().describe();
        Map<String, String> updated = apply(
                broker.overrides(scope),
                ops,
                name -> ConfigCatalog.brokerKey(name).orElseThrow(),
                name -> Optional.ofNullable(ConfigCatalog.shown(effective.get(name))));
        broker.replace(scope, updated, validateOnly);
    }

    /** Replaces the dynamic configs of the broker resource {@code resourceName} (legacy AlterConfigs). */
    public synchronized void replaceBroker(String resourceName, Map<String, String> configs, boolean validateOnly)
            throws IOException {
        broker.replace(broker.scopeOf(resourceName), configs, validateOnly);
    }

    private static Map<String, String> apply(
            Map<String, String> current,
            List<Op> ops,
            Function<String, ConfigCatalog.Entry> catalog,
            Function<String, Optional<String>> inForce) {
        Set<String> seen = new HashSet<>();
        for (Op op : ops) {
            if (!seen.add(op.name())) {
                throw new InvalidRequestException("Config " + op.name() + " appears more than once in the request");
            }
        }
        Map<String, String> updated = new LinkedHashMap<>(current);
        for (Op op : ops) {
            String name = op.name();
            switch (op.type()) {
                case SET -> {
                    if (op.value() == null) {
                        throw new InvalidConfigurationException("Null value for config " + name);
                    }
                    updated.put(name, op.value());
                }
                case DELETE -> updated.remove(name);
                case APPEND, SUBTRACT -> {
                    if (!ConfigCatalog.isList(catalog.apply(name))) {
                        throw new InvalidConfigurationException("Config " + name + " is not a list: " + op.type()
                                + " applies only to list-valued configs such as cleanup.policy");
                    }
                    String base = updated.containsKey(name)
                            ? updated.get(name)
                            : inForce.apply(name).orElse("");
                    List<String> items = new ArrayList<>(split(base));
                    List<String> operand = split(op.value() == null ? "" : op.value());
                    if (op.type() == OpType.APPEND) {
                        operand.stream().filter(v -> !items.contains(v)).forEach(items::add);
                    } else {
                        items.removeAll(operand);
                    }
                    updated.put(name, String.join(",", items));
                }
                default -> throw new InvalidRequestException("Unknown config operation " + op.type());
            }
        }
        return updated;
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private TopicInfo existing(String name) {
        return topics.topic(name)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist."));
    }
}
