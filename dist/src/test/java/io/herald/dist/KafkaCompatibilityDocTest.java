package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/**
 * Keeps the API matrix of {@code docs/kafka-compatibility.md} complete: every API that the pinned kafka-clients lists
 * for brokers has a row with its key and name, so a kafka-clients upgrade that adds an API shows up here.
 */
class KafkaCompatibilityDocTest {

    private static final Pattern API_ROW = Pattern.compile("^\\| (\\d+) \\| (\\w+) \\|", Pattern.MULTILINE);

    @Test
    void everyBrokerApiOfKafkaClientsHasARowWithItsKey() throws IOException {
        Path doc = Docs.file("kafka-compatibility.md");
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
}
