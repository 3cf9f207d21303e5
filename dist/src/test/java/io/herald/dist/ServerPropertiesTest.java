package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.log.ConfigKey;
import io.herald.server.config.BrokerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the shipped {@code config/server.properties} true to {@link BrokerConfig}: it parses without unknown keys,
 * every value it sets is the embedded default (so starting with or without it is the same), and every broker key
 * appears in it, set or as a commented line.
 */
class ServerPropertiesTest {

    private static final Path FILE =
            Path.of(System.getProperty("basedir", ".")).resolve("src/main/dist/config/server.properties");
    private static final Pattern COMMENTED = Pattern.compile("^#([a-z][a-z0-9.]*)=(.*)$");

    @Test
    void theShippedFileIsValidAndKnowsEveryKeyItSets() throws IOException {
        BrokerConfig config = BrokerConfig.fromProperties(load());

        assertThat(config.unknownKeys()).isEmpty();
    }

    @Test
    void everyValueTheFileSetsIsTheEmbeddedDefault() throws IOException {
        Map<String, String> defaults = BrokerConfig.defaults().describe();
        Properties file = load();

        for (String key : file.stringPropertyNames()) {
            assertThat(file.getProperty(key))
                    .as("config/server.properties sets %s; the embedded default is %s", key, defaults.get(key))
                    .isEqualTo(defaults.get(key));
        }
    }

    @Test
    void everyBrokerKeyAppearsSetOrCommented() throws IOException {
        Set<String> mentioned = new TreeSet<>(load().stringPropertyNames());
        for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
            Matcher m = COMMENTED.matcher(line.trim());
            if (m.matches()) {
                mentioned.add(m.group(1));
            }
        }
        Map<String, String> missing = new LinkedHashMap<>();
        List<String> keys = new java.util.ArrayList<>(
                BrokerConfig.KEYS.stream().map(ConfigKey::name).toList());
        keys.addAll(BrokerConfig.TOPIC_SYNONYMS.keySet());
        Map<String, String> defaults = BrokerConfig.defaults().describe();
        for (String key : keys) {
            if (!mentioned.contains(key)) {
                missing.put(key, "#" + key + "=" + defaults.get(key));
            }
        }
        assertThat(missing)
                .as(
                        "broker keys missing from dist/src/main/dist/config/server.properties; add these lines (with a comment)")
                .isEmpty();
        Set<String> unknown = new TreeSet<>(mentioned);
        unknown.removeAll(keys);
        unknown.removeIf(BrokerConfig::isKnownKey); // the ssl.* keys, checked by TlsConfigurationDocTest
        assertThat(unknown)
                .as("keys in server.properties that the broker does not know")
                .isEmpty();
    }

    private static Properties load() throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(FILE, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        return p;
    }
}
