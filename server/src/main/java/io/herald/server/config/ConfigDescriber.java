package io.herald.server.config;

import io.herald.server.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The configuration of a topic or of this broker as DescribeConfigs (and CreateTopics v5+) report it: each key with its
 * value in force, where that value comes from, and the synonyms behind it in order of precedence.
 *
 * <p>Precedence, as in Kafka: a topic's own override ({@code DYNAMIC_TOPIC_CONFIG}), this broker's dynamic config
 * ({@code DYNAMIC_BROKER_CONFIG}), the cluster-wide dynamic default ({@code DYNAMIC_DEFAULT_BROKER_CONFIG}), {@code
 * server.properties} ({@code STATIC_BROKER_CONFIG}), the built-in default ({@code DEFAULT_CONFIG}). Within one level
 * the synonyms of a key are listed winner first ({@code log.retention.ms}, {@code .minutes}, {@code .hours}).
 *
 * <p>Thread-safety: thread-safe; reads snapshots.
 */
public final class ConfigDescriber {

    /** A synonym: a key at one level that supplies (or would supply) the value. */
    public record Synonym(String name, String value, ConfigSource source) {}

    /** One described key. {@code value} is {@code null} for a sensitive key or one without a value. */
    public record Described(
            String name,
            String value,
            ConfigSource source,
            boolean readOnly,
            boolean sensitive,
            ConfigType type,
            String documentation,
            List<Synonym> synonyms) {}

    private final DynamicBrokerConfig broker;

    public ConfigDescriber(DynamicBrokerConfig broker) {
        this.broker = broker;
    }

    /** Every key of {@code topic}, or those of {@code names} that exist ({@code null}: all). */
    public List<Described> topic(TopicInfo topic, List<String> names) {
        BrokerConfig current = broker.current();
        Map<String, String> effective =
                current.topicDefaults().with(topic.configs()).toMap();
        List<Described> list = new ArrayList<>();
        for (ConfigCatalog.Entry entry : ConfigCatalog.topicKeys()) {
            String name = entry.name();
            if (names != null && !names.contains(name)) {
                continue;
            }
            List<Synonym> synonyms = new ArrayList<>();
            if (topic.configs().containsKey(name)) {
                synonyms.add(new Synonym(name, topic.configs().get(name), ConfigSource.TOPIC_CONFIG));
            }
            synonyms.addAll(brokerLevels(ConfigCatalog.brokerSynonymsOfTopicKey(name)));
            String value = effective.get(name);
            if (value == null) { // a key the broker owns, not the log
                value = synonyms.isEmpty()
                        ? entry.defaultValue()
                        : synonyms.get(0).value();
            }
            list.add(described(entry, value, false, synonyms));
        }
        return list;
    }

    /** Every key of this broker, or those of {@code names} that exist ({@code null}: all). */
    public List<Described> broker(List<String> names) {
        Map<String, String> values = broker.current().describe();
        List<Described> list = new ArrayList<>();
        for (ConfigCatalog.Entry entry : ConfigCatalog.brokerKeys()) {
            String name = entry.name();
            if (names != null && !names.contains(name)) {
                continue;
            }
            List<Synonym> synonyms = new ArrayList<>(brokerLevels(ConfigCatalog.brokerSynonymGroup(name)));
            // As Kafka: the synonyms that win over this key are not its synonyms (log.retention.hours does not list
            // log.retention.ms).
            while (!synonyms.isEmpty() && !synonyms.get(0).name().equals(name)) {
                synonyms.remove(0);
            }
            String value = ConfigCatalog.shown(values.get(name));
            list.add(described(entry, value, !DynamicBrokerConfig.isDynamic(name), synonyms));
        }
        return list;
    }

    /**
     * The cluster-wide dynamic defaults that are set (Kafka describes the {@code ""} broker resource this way), or those
     * of {@code names} ({@code null}: all).
     */
    public List<Described> clusterDefaults(List<String> names) {
        List<Described> list = new ArrayList<>();
        broker.overrides(DynamicBrokerConfig.CLUSTER_DEFAULT).forEach((name, value) -> {
            if (names == null || names.contains(name)) {
                ConfigCatalog.brokerKey(name)
                        .ifPresent(entry -> list.add(described(
                                entry,
                                value,
                                false,
                                List.of(new Synonym(name, value, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)))));
            }
        });
        list.sort((a, b) -> a.name().compareTo(b.name()));
        return list;
    }

    private static Described described(
            ConfigCatalog.Entry entry, String value, boolean readOnly, List<Synonym> synonyms) {
        boolean sensitive = ConfigCatalog.isSensitive(entry.name());
        ConfigSource source = synonyms.isEmpty()
                ? ConfigSource.DEFAULT_CONFIG
                : synonyms.get(0).source();
        List<Synonym> shown = sensitive
                ? synonyms.stream()
                        .map(s -> new Synonym(s.name(), null, s.source()))
                        .toList()
                : synonyms;
        return new Described(
                entry.name(),
                sensitive ? null : value,
                source,
                readOnly,
                sensitive,
                entry.type(),
                entry.documentation(),
                shown);
    }

    /** The broker keys {@code names} at each level they are set at, highest precedence first. */
    private List<Synonym> brokerLevels(List<String> names) {
        List<Synonym> list = new ArrayList<>();
        addLevel(list, names, broker.overrides(broker.nodeId())::get, ConfigSource.DYNAMIC_BROKER_CONFIG);
        addLevel(
                list,
                names,
                broker.overrides(DynamicBrokerConfig.CLUSTER_DEFAULT)::get,
                ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        Map<String, String> explicit = broker.staticConfig().explicitSettings();
        addLevel(list, names, explicit::get, ConfigSource.STATIC_BROKER_CONFIG);
        addLevel(
                list,
                names,
                n -> ConfigCatalog.brokerKey(n)
                        .map(ConfigCatalog.Entry::defaultValue)
                        .orElse(null),
                ConfigSource.DEFAULT_CONFIG);
        return list;
    }

    private static void addLevel(
            List<Synonym> list, List<String> names, Function<String, String> level, ConfigSource source) {
        for (String name : names) {
            String value = level.apply(name);
            if (value != null) {
                list.add(new Synonym(name, value, source));
            }
        }
    }
}
