package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.security.tls.SslKey;
import io.herald.security.tls.SslSettings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the TLS section of {@code docs/configuration.md} true to the code: every key of {@link SslSettings#KEYS} has a
 * row with the code's default ("none" for a key without one), and the section names no key the code does not have.
 */
class TlsConfigurationDocTest {

    static final String SECTION = "## TLS settings";

    @Test
    void everyTlsKeyIsDocumentedWithItsDefault() throws IOException {
        Map<String, List<String>> rows = ConfigurationDocTest.table(SECTION);

        for (SslKey key : SslSettings.KEYS) {
            assertThat(rows)
                    .as("docs/configuration.md has no row for %s", key.name())
                    .containsKey(key.name());
            String documented = rows.get(key.name()).get(1).replace("`", "");
            assertThat(documented)
                    .as("default of %s", key.name())
                    .isEqualTo(key.defaultValue().isEmpty() ? "none" : key.defaultValue());
        }
        assertThat(rows.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        SslSettings.KEYS.stream().map(SslKey::name).toList());
    }
}
