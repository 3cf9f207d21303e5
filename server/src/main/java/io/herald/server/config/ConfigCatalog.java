package io.herald.server.config;

import io.herald.log.ConfigKey;
import io.herald.log.LogConfig;
import io.herald.server.metadata.TopicConfigs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * What Herald knows about each configuration key, for DescribeConfigs and the alter APIs: its type, documentation,
 * default, and the broker keys that supply a topic key's default (Kafka's "synonyms": {@code log.retention.ms},
 * {@code log.retention.minutes} and {@code log.retention.hours} for {@code retention.ms}).
 *
 * <p>Thread-safety: immutable.
 */
public final class ConfigCatalog {

    /** One key. {@code defaultValue} is {@code null} where the key has no default of its own (log.retention.ms). */
    public record Entry(String name, ConfigType type, String documentation, String defaultValue) {}

    /** Broker keys of which one wins over the next when several are set, in that order. */
    private static final List<List<String>> BROKER_SYNONYM_GROUPS = List.of(
            List.of(
                    BrokerConfig.LOG_RETENTION_MS.name(),
                    BrokerConfig.LOG_RETENTION_MINUTES.name(),
                    BrokerConfig.LOG_RETENTION_HOURS.name()),
            List.of(BrokerConfig.LOG_ROLL_MS.name(), BrokerConfig.LOG_ROLL_HOURS.name()));

    /** The value the unset-marker of {@code log.retention.ms} and its kind has: shown as no value. */
    private static final String UNSET = "-2";

    private static final Map<String, Entry> TOPIC = topicEntries();
    private static final Map<String, Entry> BROKER = brokerEntries();

    private ConfigCatalog() {}

    private static Map<String, Entry> topicEntries() {
        Map<String, Entry> map = new LinkedHashMap<>();
        Map<String, String> defaults = LogConfig.defaults().toMap();
        for (ConfigKey<?> key : LogConfig.KEYS) {
            map.put(key.name(), new Entry(key.name(), typeOf(key), key.doc(), defaults.get(key.name())));
        }
        ConfigKey<Integer> minIsr = BrokerConfig.MIN_INSYNC_REPLICAS;
        map.put(
                TopicConfigs.MIN_INSYNC_REPLICAS,
                new Entry(TopicConfigs.MIN_INSYNC_REPLICAS, ConfigType.INT, minIsr.doc(), "1"));
        map.put(
                TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE,
                new Entry(
                        TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE,
                        ConfigType.BOOLEAN,
                        "Whether a replica outside the in-sync set may become leader, at the cost of losing records.",
                        "false"));
        map.put(
                TopicConfigs.COMPRESSION_TYPE,
                new Entry(
                        TopicConfigs.COMPRESSION_TYPE,
                        ConfigType.STRING,
                        "Herald stores batches as the producer compressed them: only 'producer' is accepted.",
                        "producer"));
        return map;
    }

    private static Map<String, Entry> brokerEntries() {
        Map<String, Entry> map = new LinkedHashMap<>();
        for (ConfigKey<?> key : BrokerConfig.KEYS) {
            String def = String.valueOf(key.defaultValue());
            map.put(key.name(), new Entry(key.name(), typeOf(key), key.doc(), def.equals(UNSET) ? null : def));
        }
        BrokerConfig.TOPIC_SYNONYMS.forEach((brokerKey, topicKey) -> {
            Entry topic = TOPIC.get(topicKey);
            map.put(
                    brokerKey,
                    new Entry(
                            brokerKey,
                            topic.type(),
                            "The default of the topic config " + topicKey + ": " + topic.documentation(),
                            topic.defaultValue()));
        });
        return map;
    }

    private static ConfigType typeOf(ConfigKey<?> key) {
        Object value = key.defaultValue();
        if (value instanceof Boolean) {
            return ConfigType.BOOLEAN;
        } else if (value instanceof Integer) {
            return ConfigType.INT;
        } else if (value instanceof Long) {
            return ConfigType.LONG;
        } else if (value instanceof Double) {
            return ConfigType.DOUBLE;
        } else if (value instanceof Set<?>) {
            return ConfigType.LIST;
        }
        return ConfigType.STRING;
    }

    /** Every topic key, in the order of the configuration reference. */
    public static List<Entry> topicKeys() {
        return List.copyOf(TOPIC.values());
    }

    public static Optional<Entry> topicKey(String name) {
        return Optional.ofNullable(TOPIC.get(name));
    }

    /** Every broker key, sorted by name. */
    public static List<Entry> brokerKeys() {
        return BROKER.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
    }

    public static Optional<Entry> brokerKey(String name) {
        return Optional.ofNullable(BROKER.get(BrokerConfig.canonicalName(name)));
    }

    /** The broker keys that supply the default of topic key {@code topicKey}, the winning one first. */
    public static List<String> brokerSynonymsOfTopicKey(String topicKey) {
        if (topicKey.equals(LogConfig.RETENTION_MS.name())) {
            return BROKER_SYNONYM_GROUPS.get(0);
        }
        if (topicKey.equals(LogConfig.SEGMENT_MS.name())) {
            return BROKER_SYNONYM_GROUPS.get(1);
        }
        if (topicKey.equals(TopicConfigs.MIN_INSYNC_REPLICAS)) {
            return List.of(BrokerConfig.MIN_INSYNC_REPLICAS.name());
        }
        List<String> names = new ArrayList<>();
        BrokerConfig.TOPIC_SYNONYMS.forEach((brokerKey, topic) -> {
            if (topic.equals(topicKey)) {
                names.add(brokerKey);
            }
        });
        return names;
    }

    /** The broker keys of which {@code brokerKey} is one, the winning one first ({@code brokerKey} alone if none). */
    public static List<String> brokerSynonymGroup(String brokerKey) {
        return BROKER_SYNONYM_GROUPS.stream()
                .filter(g -> g.contains(brokerKey))
                .findFirst()
                .orElse(List.of(brokerKey));
    }

    /** Whether a value of {@code type} is a comma-separated list, so APPEND and SUBTRACT apply. */
    public static boolean isList(Entry entry) {
        return entry.type() == ConfigType.LIST;
    }

    /** Whether the value must not leave the broker (passwords, JAAS configs): described without its value. */
    public static boolean isSensitive(String name) {
        return name.contains("password") || name.endsWith("jaas.config") || name.endsWith(".secret");
    }

    /** A described value as clients should see it: {@code null} for the unset-marker of log.retention.ms and kin. */
    static String shown(String value) {
        return UNSET.equals(value) ? null : value;
    }
}
