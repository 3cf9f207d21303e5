package io.herald.server.config;

import io.herald.server.metadata.MetadataStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's configuration as it is now: {@code server.properties} overlaid with the configs changed at run time
 * (IncrementalAlterConfigs on a broker resource), at Kafka's two levels: the cluster-wide default of every broker
 * (resource name {@code ""}) and this broker's own (resource name = its node id), which wins. Both levels live in the
 * {@link MetadataStore}, so they survive a restart.
 *
 * <p>Which keys may change at run time follows Kafka: the {@code log.*} defaults of topic configs ({@link
 * BrokerConfig#TOPIC_SYNONYMS}, {@code log.retention.*}, {@code log.roll.*}) and {@code min.insync.replicas}. A change
 * reaches every topic without its own override at once, through the listeners ({@code LogManager.setTopicDefaults}).
 * Listener, thread and directory keys are read-only: Herald does not reconfigure sockets or thread pools while it runs.
 *
 * <p>Design note: the effective configuration is not patched key by key but parsed again from the merged text of all
 * three levels, with {@link BrokerConfig#parse}; precedence rules between synonyms ({@code log.retention.ms} over
 * {@code .minutes} over {@code .hours}) and validation therefore stay in one place.
 *
 * <p>Thread-safety: thread-safe; the store serialises writes, the configuration in force is replaced under one lock
 * from what is stored ({@link #refresh}), readers see an immutable snapshot. Listeners run on the thread that
 * applied the change: the one that made it, or in a cluster the conductor's when another broker made it.
 */
public final class DynamicBrokerConfig {

    /** The resource name of the cluster-wide default, as Kafka's Admin client sends it. */
    public static final String CLUSTER_DEFAULT = "";

    private static final Logger log = LoggerFactory.getLogger(DynamicBrokerConfig.class);

    /** Broker keys that may change at run time. */
    public static final Set<String> DYNAMIC_KEYS = Stream.concat(
                    BrokerConfig.TOPIC_SYNONYMS.keySet().stream(),
                    Stream.of(
                            BrokerConfig.LOG_RETENTION_HOURS.name(),
                            BrokerConfig.LOG_RETENTION_MINUTES.name(),
                            BrokerConfig.LOG_RETENTION_MS.name(),
                            BrokerConfig.LOG_ROLL_HOURS.name(),
                            BrokerConfig.LOG_ROLL_MS.name(),
                            BrokerConfig.MIN_INSYNC_REPLICAS.name()))
            .collect(Collectors.toUnmodifiableSet());

    /** The three levels and what they add up to. */
    private record Snapshot(Map<String, String> clusterDefault, Map<String, String> broker, BrokerConfig effective) {}

    private final BrokerConfig staticConfig;
    private final MetadataStore metadata;
    private final String nodeId;
    private final List<Consumer<BrokerConfig>> listeners = new CopyOnWriteArrayList<>();
    private final Object applyLock = new Object();
    private volatile Snapshot snapshot;

    private DynamicBrokerConfig(BrokerConfig staticConfig, MetadataStore metadata) {
        this.staticConfig = staticConfig;
        this.metadata = metadata;
        this.nodeId = String.valueOf(staticConfig.nodeId());
    }

    /**
     * Loads the dynamic configs stored in {@code metadata}. A stored value that is no longer valid (or a key no longer
     * dynamic) is ignored with a warning rather than stopping the broker, as Kafka does.
     */
    public static DynamicBrokerConfig load(BrokerConfig staticConfig, MetadataStore metadata) {
        DynamicBrokerConfig config = new DynamicBrokerConfig(staticConfig, metadata);
        Map<String, String> clusterDefault = config.usable(metadata.brokerConfigOverrides(CLUSTER_DEFAULT), "cluster");
        Map<String, String> broker = config.usable(metadata.brokerConfigOverrides(config.nodeId), "broker");
        config.snapshot = new Snapshot(clusterDefault, broker, config.merge(clusterDefault, broker));
        return config;
    }

    private Map<String, String> usable(Map<String, String> stored, String level) {
        Map<String, String> kept = new LinkedHashMap<>();
        stored.forEach((key, value) -> {
            try {
                check(Map.of(key, value));
                kept.put(key, value);
            } catch (InvalidConfigurationException e) {
                log.warn("Ignoring the stored dynamic {} config {}={}: {}", level, key, value, e.getMessage());
            }
        });
        return kept;
    }

    /** The configuration in force. */
    public BrokerConfig current() {
        return snapshot.effective();
    }

    /** The configuration of {@code server.properties} alone. */
    public BrokerConfig staticConfig() {
        return staticConfig;
    }

    /** This broker's node id as a config resource name. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * The level a broker resource name means: {@link #CLUSTER_DEFAULT} for {@code ""}, this broker's own for its node
     * id. A request about another broker was sent to the wrong one.
     *
     * @throws InvalidRequestException if {@code resourceName} is neither
     */
    public String scopeOf(String resourceName) {
        if (resourceName == null || resourceName.isEmpty()) {
            return CLUSTER_DEFAULT;
        }
        try {
            if (Integer.parseInt(resourceName) == staticConfig.nodeId()) {
                return nodeId;
            }
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(
                    "Broker resource name must be a node id or empty, was '" + resourceName + "'");
        }
        throw new InvalidRequestException(
                "Unexpected broker id, expected " + nodeId + " or empty string, but received " + resourceName);
    }

    /** The dynamic configs of one level: {@link #CLUSTER_DEFAULT} or this broker's node id. */
    public Map<String, String> overrides(String scope) {
        Snapshot s = snapshot;
        return scope.equals(CLUSTER_DEFAULT) ? s.clusterDefault() : s.broker();
    }

    public static boolean isDynamic(String key) {
        return DYNAMIC_KEYS.contains(key);
    }

    /** Calls {@code listener} with the new configuration after every change. */
    public void addListener(Consumer<BrokerConfig> listener) {
        listeners.add(listener);
    }

    /**
     * Replaces the dynamic configs of one level, after checking that every key may change at run time and every value
     * is valid; on any error nothing changes. With {@code validateOnly} it only checks.
     *
     * @param scope {@link #CLUSTER_DEFAULT} or this broker's node id
     * @throws InvalidConfigurationException naming the first key that is unknown, read-only or has an invalid value
     */
    public void replace(String scope, Map<String, String> overrides, boolean validateOnly) throws IOException {
        if (!scope.equals(CLUSTER_DEFAULT) && !scope.equals(nodeId)) {
            throw new IllegalArgumentException("Not this broker: " + scope);
        }
        check(overrides);
        Snapshot s = snapshot;
        mergeOrThrow(
                scope.equals(CLUSTER_DEFAULT) ? overrides : s.clusterDefault(),
                scope.equals(CLUSTER_DEFAULT) ? s.broker() : overrides);
        if (validateOnly) {
            return;
        }
        // No lock is held while the store changes: in a cluster the change comes back through refresh() on the
        // conductor thread before the write returns.
        metadata.setBrokerConfigOverrides(scope, overrides);
        log.info(
                "Dynamic {} config is now {}",
                scope.equals(CLUSTER_DEFAULT) ? "cluster-default" : "broker " + scope,
                overrides);
        refresh();
    }

    /**
     * Takes the dynamic configs stored now (in a cluster, changed through another broker) and tells the listeners if
     * that changed the configuration in force.
     */
    public void refresh() {
        synchronized (applyLock) {
            apply();
        }
    }

    private void apply() {
        Map<String, String> clusterDefault = usable(metadata.brokerConfigOverrides(CLUSTER_DEFAULT), "cluster");
        Map<String, String> broker = usable(metadata.brokerConfigOverrides(nodeId), "broker");
        Snapshot s = snapshot;
        if (clusterDefault.equals(s.clusterDefault()) && broker.equals(s.broker())) {
            return;
        }
        BrokerConfig effective;
        try {
            effective = merge(clusterDefault, broker);
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring the stored dynamic configs {} and {}: {}", clusterDefault, broker, e.getMessage());
            return;
        }
        snapshot = new Snapshot(clusterDefault, broker, effective);
        listeners.forEach(l -> l.accept(effective));
    }

    /** Checks names (known and dynamic) and values of {@code overrides} on their own. */
    private void check(Map<String, String> overrides) {
        Set<String> unknown = new TreeSet<>();
        Set<String> readOnly = new TreeSet<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!BrokerConfig.isKnownKey(e.getKey())) {
                unknown.add(e.getKey());
            } else if (!isDynamic(e.getKey())) {
                readOnly.add(e.getKey());
            } else if (e.getValue() == null) {
                throw new InvalidConfigurationException("Null value for broker config " + e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidConfigurationException("Unknown broker config " + String.join(", ", unknown));
        }
        if (!readOnly.isEmpty()) {
            throw new InvalidConfigurationException("Cannot update these broker configs dynamically: "
                    + String.join(", ", readOnly)
                    + " (read-only while the broker runs; set them in server.properties and restart)");
        }
        mergeOrThrow(Map.of(), overrides);
    }

    private BrokerConfig mergeOrThrow(Map<String, String> clusterDefault, Map<String, String> broker) {
        try {
            return merge(clusterDefault, broker);
        } catch (IllegalArgumentException e) {
            List<String> lines = new ArrayList<>(List.of(e.getMessage().split("\n")));
            if (lines.size() > 1) {
                lines.remove(0); // "Invalid broker configuration:"
            }
            throw new InvalidConfigurationException(
                    lines.stream().map(String::trim).collect(Collectors.joining("; ")));
        }
    }

    private BrokerConfig merge(Map<String, String> clusterDefault, Map<String, String> broker) {
        Map<String, String> merged = new LinkedHashMap<>(staticConfig.explicitSettings());
        merged.putAll(clusterDefault);
        merged.putAll(broker);
        return BrokerConfig.parse(merged);
    }
}
