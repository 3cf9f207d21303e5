package io.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.metadata.LocalMetadataStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynamicBrokerConfigTest {

    @TempDir
    Path dir;

    private final BrokerConfig file = BrokerConfig.parse(Map.of("log.retention.hours", "10", "node.id", "3"));

    @Test
    void theBrokersOwnLevelWinsOverTheClusterDefaultWhichWinsOverTheFile() throws Exception {
        LocalMetadataStore store = LocalMetadataStore.open(dir);
        DynamicBrokerConfig config = DynamicBrokerConfig.load(file, store);
        List<BrokerConfig> seen = new ArrayList<>();
        config.addListener(seen::add);

        config.replace("", Map.of("log.retention.hours", "5", "log.segment.bytes", "4096"), false);
        config.replace("3", Map.of("log.retention.hours", "2"), false);

        assertThat(config.current().topicDefaults().retentionMs()).isEqualTo(2 * 3_600_000L);
        assertThat(config.current().topicDefaults().segmentBytes()).isEqualTo(4096);
        assertThat(seen).hasSize(2);
        DynamicBrokerConfig reloaded = DynamicBrokerConfig.load(file, LocalMetadataStore.open(dir));
        assertThat(reloaded.overrides("")).containsOnlyKeys("log.retention.hours", "log.segment.bytes");
        assertThat(reloaded.overrides("3")).containsExactly(Map.entry("log.retention.hours", "2"));
        assertThat(reloaded.current().topicDefaults().retentionMs()).isEqualTo(2 * 3_600_000L);
    }

    @Test
    void storedValuesThatAreNoLongerAcceptedAreIgnoredAtLoad() throws Exception {
        LocalMetadataStore store = LocalMetadataStore.open(dir);
        store.setBrokerConfigOverrides(
                "", Map.of("log.segment.bytes", "12", "num.partitions", "4", "log.retention.ms", "1000"));

        DynamicBrokerConfig config = DynamicBrokerConfig.load(file, store);

        assertThat(config.overrides("")).containsExactly(Map.entry("log.retention.ms", "1000"));
        assertThat(config.current().topicDefaults().retentionMs()).isEqualTo(1000);
        assertThat(config.current().get(BrokerConfig.NUM_PARTITIONS)).isEqualTo(1);
    }

    @Test
    void otherBrokersAndBadValuesAreRefusedWithoutChangingAnything() throws Exception {
        LocalMetadataStore store = LocalMetadataStore.open(dir);
        DynamicBrokerConfig config = DynamicBrokerConfig.load(file, store);

        assertThatThrownBy(() -> config.scopeOf("4")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> config.scopeOf("x")).isInstanceOf(InvalidRequestException.class);
        assertThat(config.scopeOf("3")).isEqualTo("3");
        assertThatThrownBy(() -> config.replace("", Map.of("log.retention.ms", "-7"), false))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("log.retention.ms");
        assertThatThrownBy(() -> config.replace("", Map.of("node.id", "4"), false))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("node.id");
        config.replace("", Map.of("log.retention.ms", "1000"), true);

        assertThat(config.overrides("")).isEmpty();
        assertThat(store.brokerConfigOverrides("")).isEmpty();
        assertThat(config.current().topicDefaults().retentionMs()).isEqualTo(10 * 3_600_000L);
    }
}
