package io.herald.server.cluster;

import io.herald.server.metadata.BrokerNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * The cluster's metadata at one version: the controller and its epoch, the registered brokers, every topic with the
 * replication state of each partition, and the dynamic broker configs. Immutable; every change makes a new image with
 * the next {@link #version}, written to the consistent store with compare-and-set on the exact bytes of the previous
 * one, so no two changes can both succeed from the same starting point.
 *
 * <p>Encoding ({@link #encode}), sorted {@code key=value} lines in ISO-8859-1 with properties escaping, so the same
 * image always gives the same bytes and a broker's local copy reads well:
 *
 * <pre>
 *  format=1
 *  version=&lt;long&gt;
 *  cluster.id=&lt;base64 uuid&gt;
 *  controller.id=&lt;node id or -1&gt;
 *  controller.epoch=&lt;long&gt;
 *  broker.&lt;id&gt;.incarnation=&lt;random id of the registering process&gt;
 *  broker.&lt;id&gt;.rack=&lt;rack&gt;                      (optional)
 *  broker.&lt;id&gt;.endpoint.&lt;LISTENER&gt;=&lt;host&gt;:&lt;port&gt;
 *  topic.&lt;topic id&gt;.name=&lt;name&gt;
 *  topic.&lt;topic id&gt;.config.&lt;key&gt;=&lt;value&gt;
 *  topic.&lt;topic id&gt;.partitions=&lt;count&gt;
 *  topic.&lt;topic id&gt;.p.&lt;index&gt;=&lt;replicas&gt;|&lt;isr&gt;|&lt;leader&gt;|&lt;leader epoch&gt;|&lt;partition epoch&gt;|&lt;target replicas&gt;
 *  dynamic.default.&lt;key&gt;=&lt;value&gt;                (cluster-wide dynamic broker config)
 *  dynamic.&lt;id&gt;.&lt;key&gt;=&lt;value&gt;                   (dynamic config of one broker)
 *  security.&lt;store&gt;.lines=&lt;count&gt;                (a shared security store: credentials, acls)
 *  security.&lt;store&gt;.&lt;index, 8 digits&gt;=&lt;line&gt;
 * </pre>
 *
 * where each replica list is comma-separated node ids (possibly empty).
 *
 * @param version increases by one with every change
 * @param clusterId the cluster's id, fixed when the first broker of a new cluster starts
 * @param controllerId the broker that made the last controller decision, or -1
 * @param controllerEpoch the fence token of the controller lock that broker held; a decision of a lower epoch is stale
 * @param brokers registered brokers by node id
 * @param topics topics by name
 * @param dynamicConfigs dynamic broker configs: {@code ""} for the cluster default, else a node id
 * @param security the security stores shared by every broker, by name ({@code credentials}, {@code acls}), each
 *     as the lines of its file; a store the image has no entry for was never shared yet
 */
public record ClusterImage(
        long version,
        String clusterId,
        int controllerId,
        long controllerEpoch,
        Map<Integer, BrokerRegistration> brokers,
        Map<String, TopicImage> topics,
        Map<String, Map<String, String>> dynamicConfigs,
        Map<String, List<String>> security) {

    private static final String FORMAT = "1";

    public ClusterImage {
        brokers = Collections.unmodifiableMap(new TreeMap<>(brokers));
        topics = Collections.unmodifiableMap(new TreeMap<>(topics));
        Map<String, Map<String, String>> configs = new TreeMap<>();
        dynamicConfigs.forEach((k, v) -> configs.put(k, Map.copyOf(v)));
        dynamicConfigs = Collections.unmodifiableMap(configs);
        Map<String, List<String>> sections = new TreeMap<>();
        security.forEach((k, v) -> sections.put(k, List.copyOf(v)));
        security = Collections.unmodifiableMap(sections);
    }

    /** The image of a new cluster: nothing in it yet. */
    public static ClusterImage empty(String clusterId) {
        return new ClusterImage(0, clusterId, -1, 0, Map.of(), Map.of(), Map.of(), Map.of());
    }

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<TopicImage> topic(Uuid id) {
        return topics.values().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The state of a partition, if its topic and index exist. */
    public Optional<PartitionState> partition(String topic, int partition) {
        TopicImage t = topics.get(topic);
        return t == null || partition < 0 || partition >= t.partitions().size()
                ? Optional.empty()
                : Optional.of(t.partition(partition));
    }

    /**
     * This image as a broker cut off from the cluster applies it: the same version, no controller, and no leader for
     * the partitions {@code broker} led (see {@link PartitionState#fencedFrom}). Never stored.
     */
    public ClusterImage fencedFrom(int broker) {
        Map<String, TopicImage> copy = new HashMap<>();
        topics.forEach((name, t) -> copy.put(
                name,
                t.withPartitions(
                        t.partitions().stream().map(p -> p.fencedFrom(broker)).toList())));
        return new ClusterImage(version, clusterId, -1, controllerEpoch, brokers, copy, dynamicConfigs, security);
    }

    // ---- derived images (every one is version + 1) ---------------------------------------------------------------

    public ClusterImage withTopic(TopicImage topic) {
        Map<String, TopicImage> copy = new HashMap<>(topics);
        copy.put(topic.name(), topic);
        return new ClusterImage(
                version + 1, clusterId, controllerId, controllerEpoch, brokers, copy, dynamicConfigs, security);
    }

    public ClusterImage withoutTopic(String name) {
        Map<String, TopicImage> copy = new HashMap<>(topics);
        copy.remove(name);
        return new ClusterImage(
                version + 1, clusterId, controllerId, controllerEpoch, brokers, copy, dynamicConfigs, security);
    }

    public ClusterImage withTopics(Map<String, TopicImage> newTopics) {
        return new ClusterImage(
                version + 1, clusterId, controllerId, controllerEpoch, brokers, newTopics, dynamicConfigs, security);
    }

    public ClusterImage withBroker(BrokerRegistration broker) {
        Map<Integer, BrokerRegistration> copy = new HashMap<>(brokers);
        copy.put(broker.id(), broker);
        return new ClusterImage(
                version + 1, clusterId, controllerId, controllerEpoch, copy, topics, dynamicConfigs, security);
    }

    public ClusterImage withController(int id, long epoch) {
        return new ClusterImage(version + 1, clusterId, id, epoch, brokers, topics, dynamicConfigs, security);
    }

    public ClusterImage withDynamicConfigs(String broker, Map<String, String> configs) {
        Map<String, Map<String, String>> copy = new HashMap<>(dynamicConfigs);
        if (configs.isEmpty()) {
            copy.remove(broker);
        } else {
            copy.put(broker, configs);
        }
        return new ClusterImage(version + 1, clusterId, controllerId, controllerEpoch, brokers, topics, copy, security);
    }

    /** The lines of the shared security store {@code name}, if it is shared yet. */
    public Optional<List<String>> securityStore(String name) {
        return Optional.ofNullable(security.get(name));
    }

    public ClusterImage withSecurityStore(String name, List<String> lines) {
        Map<String, List<String>> copy = new HashMap<>(security);
        copy.put(name, lines);
        return new ClusterImage(
                version + 1, clusterId, controllerId, controllerEpoch, brokers, topics, dynamicConfigs, copy);
    }

    /** This image at another version (restoring a local copy into an empty consistent store). */
    public ClusterImage atVersion(long newVersion) {
        return new ClusterImage(
                newVersion, clusterId, controllerId, controllerEpoch, brokers, topics, dynamicConfigs, security);
    }

    // ---- encoding -------------------------------------------------------------------------------------------------

    public byte[] encode() {
        Map<String, String> p = new TreeMap<>();
        p.put("format", FORMAT);
        p.put("version", String.valueOf(version));
        p.put("cluster.id", clusterId);
        p.put("controller.id", String.valueOf(controllerId));
        p.put("controller.epoch", String.valueOf(controllerEpoch));
        for (BrokerRegistration b : brokers.values()) {
            String prefix = "broker." + b.id() + ".";
            p.put(prefix + "incarnation", b.incarnation());
            if (b.node().rack() != null) {
                p.put(prefix + "rack", b.node().rack());
            }
            b.node().endpoints().forEach((l, e) -> p.put(prefix + "endpoint." + l, e.host() + ":" + e.port()));
        }
        for (TopicImage t : topics.values()) {
            String prefix = "topic." + t.id() + ".";
            p.put(prefix + "name", t.name());
            p.put(prefix + "partitions", String.valueOf(t.partitions().size()));
            t.configs().forEach((k, v) -> p.put(prefix + "config." + k, v));
            for (int i = 0; i < t.partitions().size(); i++) {
                PartitionState s = t.partition(i);
                p.put(
                        prefix + "p." + i,
                        ids(s.replicas()) + "|" + ids(s.isr()) + "|" + s.leader() + "|" + s.leaderEpoch() + "|"
                                + s.partitionEpoch() + "|" + ids(s.targetReplicas()));
            }
        }
        dynamicConfigs.forEach((broker, configs) ->
                configs.forEach((k, v) -> p.put("dynamic." + (broker.isEmpty() ? "default" : broker) + "." + k, v)));
        security.forEach((store, lines) -> {
            p.put("security." + store + ".lines", String.valueOf(lines.size()));
            for (int i = 0; i < lines.size(); i++) {
                p.put("security." + store + "." + String.format(java.util.Locale.ROOT, "%08d", i), lines.get(i));
            }
        });
        Properties props = new Properties();
        props.putAll(p);
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            props.store(w, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> lines = new ArrayList<>(Arrays.asList(w.toString().split("\n")));
        lines.removeIf(l -> l.startsWith("#") || l.isBlank());
        Collections.sort(lines);
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String ids(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static List<Integer> parseIds(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(Integer::parseInt).toList();
    }

    /**
     * Decodes {@link #encode}'s output.
     *
     * @throws IOException if the bytes are not an image of a known format
     */
    public static ClusterImage decode(byte[] bytes) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)));
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IOException("Not a cluster image of a known format: format=" + p.getProperty("format"));
        }
        try {
            return parse(p);
        } catch (RuntimeException e) {
            throw new IOException("Malformed cluster image: " + e, e);
        }
    }

    private static ClusterImage parse(Properties p) throws IOException {
        Map<Integer, Map<String, String>> brokerFields = new TreeMap<>();
        Map<String, Map<String, String>> topicFields = new TreeMap<>();
        Map<String, Map<String, String>> dynamic = new TreeMap<>();
        Map<String, List<String>> security = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key);
            if (key.startsWith("broker.")) {
                String rest = key.substring("broker.".length());
                int dot = rest.indexOf('.');
                brokerFields
                        .computeIfAbsent(Integer.parseInt(rest.substring(0, dot)), k -> new TreeMap<>())
                        .put(rest.substring(dot + 1), value);
            } else if (key.startsWith("topic.")) {
                String rest = key.substring("topic.".length());
                int dot = rest.indexOf('.');
                topicFields
                        .computeIfAbsent(rest.substring(0, dot), k -> new TreeMap<>())
                        .put(rest.substring(dot + 1), value);
            } else if (key.startsWith("dynamic.")) {
                String rest = key.substring("dynamic.".length());
                int dot = rest.indexOf('.');
                String broker = rest.substring(0, dot);
                dynamic.computeIfAbsent(broker.equals("default") ? "" : broker, k -> new TreeMap<>())
                        .put(rest.substring(dot + 1), value);
            } else if (key.startsWith("security.") && key.endsWith(".lines")) {
                String store = key.substring("security.".length(), key.length() - ".lines".length());
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < Integer.parseInt(value); i++) {
                    String line =
                            p.getProperty("security." + store + "." + String.format(java.util.Locale.ROOT, "%08d", i));
                    if (line == null) {
                        throw new IOException("Security store " + store + " lacks line " + i);
                    }
                    lines.add(line);
                }
                security.put(store, lines);
            }
        }
        Map<Integer, BrokerRegistration> brokers = new TreeMap<>();
        brokerFields.forEach((id, fields) -> {
            Map<String, BrokerNode.Endpoint> endpoints = new TreeMap<>();
            fields.forEach((k, v) -> {
                if (k.startsWith("endpoint.")) {
                    int colon = v.lastIndexOf(':');
                    endpoints.put(
                            k.substring("endpoint.".length()),
                            new BrokerNode.Endpoint(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1))));
                }
            });
            brokers.put(
                    id,
                    new BrokerRegistration(
                            new BrokerNode(id, fields.get("rack"), endpoints), fields.getOrDefault("incarnation", "")));
        });
        Map<String, TopicImage> topics = new TreeMap<>();
        for (Map.Entry<String, Map<String, String>> e : topicFields.entrySet()) {
            Map<String, String> fields = e.getValue();
            int count = Integer.parseInt(fields.get("partitions"));
            Map<String, String> configs = new TreeMap<>();
            List<PartitionState> partitions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String[] s = fields.get("p." + i).split("\\|", -1);
                partitions.add(new PartitionState(
                        parseIds(s[0]),
                        parseIds(s[1]),
                        Integer.parseInt(s[2]),
                        Integer.parseInt(s[3]),
                        Integer.parseInt(s[4]),
                        parseIds(s[5])));
            }
            fields.forEach((k, v) -> {
                if (k.startsWith("config.")) {
                    configs.put(k.substring("config.".length()), v);
                }
            });
            String name = fields.get("name");
            topics.put(name, new TopicImage(name, Uuid.fromString(e.getKey()), configs, partitions));
        }
        return new ClusterImage(
                Long.parseLong(p.getProperty("version")),
                p.getProperty("cluster.id"),
                Integer.parseInt(p.getProperty("controller.id")),
                Long.parseLong(p.getProperty("controller.epoch")),
                brokers,
                topics,
                dynamic,
                security);
    }
}
