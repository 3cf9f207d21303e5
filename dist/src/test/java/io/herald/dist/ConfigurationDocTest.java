package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.log.ConfigKey;
import io.herald.log.LogConfig;
import io.herald.log.LogManagerConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} true to the code: every key of {@link LogConfig#KEYS} has a row with its default
 * and accepted values as the code has them, no row names a key the code does not have, and every setting of
 * {@link LogManagerConfig} is documented under its Kafka name with the default of {@link LogManagerConfig#defaults}.
 */
class ConfigurationDocTest {

    static final String TOPIC_SECTION = "## Topic-level settings";
    static final String LOG_MANAGER_SECTION = "## Log manager settings";

    /** The Kafka broker key of each {@link LogManagerConfig} component ({@code topicDefaults} is the topic table). */
    private static final Map<String, String> LOG_MANAGER_KEYS = Map.of(
            "logDirs", "log.dirs",
            "recoveryThreadsPerDir", "num.recovery.threads.per.data.dir",
            "retentionCheckIntervalMs", "log.retention.check.interval.ms",
            "flushCheckIntervalMs", "log.flush.scheduler.interval.ms",
            "checkpointIntervalMs", "log.flush.offset.checkpoint.interval.ms",
            "cleanerEnabled", "log.cleaner.enable",
            "cleanerThreads", "log.cleaner.threads",
            "cleanerBackoffMs", "log.cleaner.backoff.ms",
            "cleanerDedupeBufferBytes", "log.cleaner.dedupe.buffer.size");

    /** Settings whose default is not one fixed value; their rows say in words what it is. */
    private static final Set<String> DEFAULTS_IN_WORDS = Set.of("log.dirs", "num.recovery.threads.per.data.dir");

    @Test
    void everyTopicKeyIsDocumentedWithTheDefaultAndAcceptedValuesOfTheCode() throws IOException {
        Map<String, List<String>> rows = table(TOPIC_SECTION);
        Map<String, String> defaults = LogConfig.defaults().toMap();

        for (ConfigKey<?> key : LogConfig.KEYS) {
            String expectedRow =
                    "| `" + key.name() + "` | `" + defaults.get(key.name()) + "` | " + key.validValues() + " | ... |";
            assertThat(rows)
                    .as("docs/configuration.md has no row for %s; add: %s", key.name(), expectedRow)
                    .containsKey(key.name());
            List<String> cells = rows.get(key.name());
            assertThat(unquote(cells.get(1)))
                    .as("default of %s in docs/configuration.md (code: %s)", key.name(), key.defaultValue())
                    .isEqualTo(defaults.get(key.name()));
            assertThat(cells.get(2))
                    .as("accepted values of %s in docs/configuration.md", key.name())
                    .isEqualTo(key.validValues());
        }
    }

    @Test
    void theTopicTableNamesNoKeyTheCodeDoesNotHave() throws IOException {
        Set<String> known = LogConfig.KEYS.stream().map(ConfigKey::name).collect(Collectors.toSet());

        assertThat(table(TOPIC_SECTION).keySet()).isSubsetOf(known);
    }

    @Test
    void everyLogManagerSettingIsDocumentedWithItsDefault() throws IOException {
        Set<String> components = Arrays.stream(LogManagerConfig.class.getRecordComponents())
                .map(RecordComponent::getName)
                .filter(n -> !n.equals("topicDefaults"))
                .collect(Collectors.toSet());
        assertThat(LOG_MANAGER_KEYS.keySet())
                .as("a LogManagerConfig setting without its Kafka key here and in docs/configuration.md")
                .isEqualTo(components);

        LogManagerConfig defaults = LogManagerConfig.defaults(List.of(Path.of("data")));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("log.retention.check.interval.ms", String.valueOf(defaults.retentionCheckIntervalMs()));
        expected.put("log.flush.scheduler.interval.ms", String.valueOf(defaults.flushCheckIntervalMs()));
        expected.put("log.flush.offset.checkpoint.interval.ms", String.valueOf(defaults.checkpointIntervalMs()));
        expected.put("log.cleaner.enable", String.valueOf(defaults.cleanerEnabled()));
        expected.put("log.cleaner.threads", String.valueOf(defaults.cleanerThreads()));
        expected.put("log.cleaner.backoff.ms", String.valueOf(defaults.cleanerBackoffMs()));
        expected.put("log.cleaner.dedupe.buffer.size", String.valueOf(defaults.cleanerDedupeBufferBytes()));

        Map<String, List<String>> rows = table(LOG_MANAGER_SECTION);
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(LOG_MANAGER_KEYS.values());
        expected.forEach((name, value) -> assertThat(unquote(rows.get(name).get(1)))
                .as("default of %s in docs/configuration.md", name)
                .isEqualTo(value));
        DEFAULTS_IN_WORDS.forEach(name ->
                assertThat(rows.get(name).get(1)).as("default of %s", name).isNotBlank());
    }

    /**
     * The rows of the first table after {@code heading}, keyed by the setting in the first cell (without backticks);
     * each row as its trimmed cells.
     */
    static Map<String, List<String>> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(Docs.file("configuration.md"), StandardCharsets.UTF_8);
        int start = lines.indexOf(heading);
        assertThat(start)
                .as("docs/configuration.md has a section '%s'", heading)
                .isNotNegative();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i).trim();
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            List<String> cells = Arrays.stream(
                            line.substring(1, line.length() - 1).split("\\|", -1))
                    .map(String::trim)
                    .toList();
            if (cells.get(0).startsWith("`")) {
                rows.put(unquote(cells.get(0)), cells);
            }
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.replace("`", "").trim();
    }
}
