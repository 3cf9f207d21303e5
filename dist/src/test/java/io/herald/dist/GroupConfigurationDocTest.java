package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.log.ConfigKey;
import io.herald.server.config.BrokerConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the group coordinator section of {@code docs/configuration.md} true to the code: every group and offsets key of
 * {@link BrokerConfig} has a row with the code's default, and the section names no key the code does not have.
 */
class GroupConfigurationDocTest {

    static final String SECTION = "## Group coordinator settings";

    private static boolean isGroupKey(ConfigKey<?> key) {
        return key.name().startsWith("group.") || key.name().startsWith("offset");
    }

    @Test
    void everyGroupKeyIsDocumentedWithItsDefault() throws IOException {
        Map<String, List<String>> rows = ConfigurationDocTest.table(SECTION);
        List<ConfigKey<?>> keys = BrokerConfig.KEYS.stream()
                .filter(GroupConfigurationDocTest::isGroupKey)
                .toList();

        assertThat(keys).isNotEmpty();
        for (ConfigKey<?> key : keys) {
            assertThat(rows)
                    .as("docs/configuration.md has no row for %s", key.name())
                    .containsKey(key.name());
            assertThat(rows.get(key.name()).get(1).replace("`", ""))
                    .as("default of %s", key.name())
                    .isEqualTo(String.valueOf(key.defaultValue()));
        }
        assertThat(rows.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        keys.stream().map(ConfigKey::name).toList());
    }
}
