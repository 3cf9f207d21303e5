package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.EmbeddedHerald;
import io.herald.server.RawKafkaClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the API matrix of {@code docs/compatibility.md} complete: every API that the pinned kafka-clients lists
 * for brokers has a row with its key and name, so a kafka-clients upgrade that adds an API shows up here; and the
 * versions a row claims are exactly those a running broker advertises through ApiVersions.
 */
class KafkaCompatibilityDocTest {

    private static final Pattern API_ROW = Pattern.compile("^\\| (\\d+) \\| (\\w+) \\|", Pattern.MULTILINE);

    @Test
    void everyBrokerApiOfKafkaClientsHasARowWithItsKey() throws IOException {
        Path doc = Docs.file("compatibility.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        Map<String, Integer> rows = API_ROW.matcher(text)
                .results()
                .collect(Collectors.toMap(m -> m.group(2), m -> Integer.parseInt(m.group(1))));

        Map<String, Integer> brokerApis =
                ApiKeys.brokerApis().stream().collect(Collectors.toMap(k -> k.name, k -> (int) k.id));

        assertThat(rows).containsAllEntriesOf(brokerApis);
        assertThat(rows.keySet())
                .as("rows for APIs that kafka-clients does not serve on brokers")
                .isSubsetOf(brokerApis.keySet());
    }

    private static final Pattern SUPPORTED_ROW =
            Pattern.compile("^\\| (\\d+) \\| \\w+ \\| [^|]* \\| \\*\\*(\\d+)(?:–(\\d+))?\\*\\*", Pattern.MULTILINE);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theVersionsOfEachRowAreExactlyWhatTheBrokerAdvertises(@TempDir Path data) throws Exception {
        String text = Files.readString(Docs.file("compatibility.md"), StandardCharsets.UTF_8);
        Map<Short, String> documented = SUPPORTED_ROW
                .matcher(text)
                .results()
                .collect(Collectors.toMap(
                        m -> Short.parseShort(m.group(1)),
                        m -> m.group(2) + "–" + (m.group(3) == null ? m.group(2) : m.group(3))));

        Map<Short, String> advertised;
        try (EmbeddedHerald broker = EmbeddedHerald.start(data);
                RawKafkaClient client = RawKafkaClient.connect(broker.bootstrap(), "doc-test")) {
            ApiVersionsResponseData response = client.send(
                    new ApiVersionsRequestData()
                            .setClientSoftwareName("doc-test")
                            .setClientSoftwareVersion("1"),
                    (short) 3);
            advertised = response.apiKeys().stream()
                    .collect(Collectors.toMap(v -> v.apiKey(), v -> v.minVersion() + "–" + v.maxVersion()));
        }

        assertThat(documented).isEqualTo(advertised);
    }
}
