package io.herald.server.metadata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@link MetadataStore} of a single broker: a properties file in the first data directory, replaced atomically (write,
 * fsync, rename) on every change, so a {@code kill -9} leaves either the old or the new version.
 *
 * <p>Layout of {@value #FILE_NAME}:
 *
 * <pre>
 *  version=1
 *  cluster.id=&lt;base64 uuid&gt;
 *  topic.&lt;topic id&gt;.name=&lt;name&gt;
 *  topic.&lt;topic id&gt;.partitions=&lt;count&gt;
 *  topic.&lt;topic id&gt;.config.&lt;key&gt;=&lt;value&gt;
 *  broker.config.&lt;key&gt;=&lt;value&gt;              (cluster-wide dynamic broker default)
 *  broker.&lt;node id&gt;.config.&lt;key&gt;=&lt;value&gt;    (dynamic config of one broker)
 * </pre>
 *
 * Topics are keyed by id (base64 without dots), since names may contain dots.
 *
 * <p>Thread-safety: thread-safe; mutations are serialised.
 */
public final class LocalMetadataStore implements MetadataStore {

    public static final String FILE_NAME = "herald-metadata.properties";
    private static final String VERSION = "1";

    private final Path file;
    private final String clusterId;
    private final Map<String, TopicInfo> topics = new LinkedHashMap<>();
    private final Map<Uuid, String> names = new HashMap<>();
    private final Map<String, Map<String, String>> brokerOverrides = new TreeMap<>();
    private final DeletedTemporaryTopics deletedTemporary = new DeletedTemporaryTopics();

    private LocalMetadataStore(Path file, String clusterId) {
        this.file = file;
        this.clusterId = clusterId;
    }

    /** Opens the store in {@code dir}, creating it with a new cluster id if there is none. */
    public static LocalMetadataStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            LocalMetadataStore store =
                    new LocalMetadataStore(file, Uuid.randomUuid().toString());
            store.persist();
            return store;
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
        if (!VERSION.equals(p.getProperty("version"))) {
            throw new IOException(file + " has unknown version " + p.getProperty("version"));
        }
        LocalMetadataStore store = new LocalMetadataStore(file, p.getProperty("cluster.id"));
        Map<String, Map<String, String>> configs = new HashMap<>();
        Map<String, String> topicNames = new TreeMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key);
            if (key.startsWith("broker.")) {
                String rest = key.substring("broker.".length());
                String broker = rest.startsWith("config.") ? "" : rest.substring(0, Math.max(0, rest.indexOf('.')));
                String field = rest.substring(broker.isEmpty() ? 0 : broker.length() + 1);
                if (!field.startsWith("config.")) {
                    throw new IOException(file + " has an unknown entry " + key);
                }
                store.brokerOverrides
                        .computeIfAbsent(broker, b -> new TreeMap<>())
                        .put(field.substring("config.".length()), value);
            } else if (key.startsWith("topic.")) {
                String rest = key.substring("topic.".length());
                int dot = rest.indexOf('.');
                String id = rest.substring(0, dot);
                String field = rest.substring(dot + 1);
                if (field.startsWith("config.")) {
                    configs.computeIfAbsent(id, k -> new TreeMap<>()).put(field.substring("config.".length()), value);
                } else if (field.equals("name")) {
                    topicNames.put(id, value);
                } else if (field.equals("partitions")) {
                    counts.put(id, Integer.parseInt(value));
                }
            }
        }
        for (Map.Entry<String, String> e : topicNames.entrySet()) {
            Integer count = counts.get(e.getKey());
            if (count == null) {
                throw new IOException(file + " has no partition count for topic " + e.getValue());
            }
            store.put(new TopicInfo(
                    e.getValue(), Uuid.fromString(e.getKey()), count, configs.getOrDefault(e.getKey(), Map.of())));
        }
        return store;
    }

    private void put(TopicInfo t) {
        topics.put(t.name(), t);
        names.put(t.id(), t.name());
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    @Override
    public synchronized Collection<TopicInfo> topics() {
        return List.copyOf(topics.values());
    }

    @Override
    public synchronized Optional<TopicInfo> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    @Override
    public synchronized Optional<TopicInfo> topic(Uuid id) {
        return Optional.ofNullable(names.get(id)).map(topics::get);
    }

    @Override
    public synchronized TopicInfo createTopic(String name, int partitions, Map<String, String> configs)
            throws IOException {
        if (topics.containsKey(name)) {
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        }
        Uuid id;
        do {
            id = Uuid.randomUuid();
        } while (names.containsKey(id));
        TopicInfo created = new TopicInfo(name, id, partitions, configs);
        put(created);
        try {
            persist();
        } catch (IOException e) {
            topics.remove(name);
            names.remove(id);
            throw e;
        }
        return created;
    }

    @Override
    public synchronized void deleteTopic(String name) throws IOException {
        TopicInfo removed = existing(name);
        topics.remove(name);
        names.remove(removed.id());
        try {
            persist();
        } catch (IOException e) {
            put(removed);
            throw e;
        }
        deletedTemporary.deleted(removed);
    }

    @Override
    public DeletedTemporaryTopics deletedTemporaryTopics() {
        return deletedTemporary;
    }

    @Override
    public boolean authoritative() {
        return true;
    }

    @Override
    public synchronized TopicInfo setPartitionCount(String name, int partitions) throws IOException {
        TopicInfo old = existing(name);
        return replace(old, new TopicInfo(name, old.id(), partitions, old.configs()));
    }

    @Override
    public synchronized TopicInfo setTopicConfigs(String name, Map<String, String> configs) throws IOException {
        TopicInfo old = existing(name);
        return replace(old, new TopicInfo(name, old.id(), old.partitions(), configs));
    }

    @Override
    public synchronized Map<String, String> brokerConfigOverrides(String broker) {
        return Map.copyOf(brokerOverrides.getOrDefault(broker, Map.of()));
    }

    @Override
    public synchronized void setBrokerConfigOverrides(String broker, Map<String, String> overrides) throws IOException {
        if (!broker.isEmpty() && !broker.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("Not a broker id: '" + broker + "'");
        }
        Map<String, String> old = brokerOverrides.get(broker);
        if (overrides.isEmpty()) {
            brokerOverrides.remove(broker);
        } else {
            brokerOverrides.put(broker, new TreeMap<>(overrides));
        }
        try {
            persist();
        } catch (IOException e) {
            if (old == null) {
                brokerOverrides.remove(broker);
            } else {
                brokerOverrides.put(broker, old);
            }
            throw e;
        }
    }

    private TopicInfo replace(TopicInfo old, TopicInfo updated) throws IOException {
        put(updated);
        try {
            persist();
        } catch (IOException e) {
            put(old);
            throw e;
        }
        return updated;
    }

    private TopicInfo existing(String name) {
        TopicInfo t = topics.get(name);
        if (t == null) {
            throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist.");
        }
        return t;
    }

    private void persist() throws IOException {
        Properties p = new Properties();
        p.setProperty("version", VERSION);
        p.setProperty("cluster.id", clusterId);
        for (TopicInfo t : topics.values()) {
            String prefix = "topic." + t.id() + ".";
            p.setProperty(prefix + "name", t.name());
            p.setProperty(prefix + "partitions", String.valueOf(t.partitions()));
            t.configs().forEach((k, v) -> p.setProperty(prefix + "config." + k, v));
        }
        brokerOverrides.forEach((broker, configs) -> {
            String prefix = broker.isEmpty() ? "broker.config." : "broker." + broker + ".config.";
            configs.forEach((k, v) -> p.setProperty(prefix + k, v));
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        p.store(bytes, null);
        // Properties writes in hash order; sort the entries so the file reads well and diffs cleanly.
        List<String> lines = new ArrayList<>(
                List.of(bytes.toString(StandardCharsets.ISO_8859_1).split("\n")));
        lines.removeIf(l -> l.startsWith("#") || l.isBlank());
        Collections.sort(lines);
        String text = "# Herald cluster metadata: written by the broker, do not edit while it runs\n"
                + String.join("\n", lines) + "\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory
        }
    }
}
