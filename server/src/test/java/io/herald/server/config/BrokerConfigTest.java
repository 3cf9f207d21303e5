package io.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void theEmbeddedDefaultsAreKafkasWithADataDirectoryHere() {
        BrokerConfig config = BrokerConfig.defaults();

        assertThat(config.listeners()).containsExactly(new Listener("PLAINTEXT", "", 9092));
        assertThat(config.logDirs()).containsExactly(Path.of("data"));
        assertThat(config.get(BrokerConfig.NUM_PARTITIONS)).isEqualTo(1);
        assertThat(config.get(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE)).isTrue();
        assertThat(config.topicDefaults().retentionMs()).isEqualTo(168L * 3600 * 1000);
        assertThat(config.topicDefaults().segmentBytes()).isEqualTo(1 << 30);
        assertThat(config.advertisedListeners()).containsExactly(new Listener("PLAINTEXT", "localhost", 9092));
    }

    @Test
    void kafkaKeyNamesAndSynonymsAreUnderstood() {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "broker.id", "7",
                "log.dir", "/var/herald",
                "log.segment.bytes", "2048",
                "log.cleanup.policy", "compact",
                "message.max.bytes", "5000",
                "log.retention.hours", "1"));

        assertThat(config.nodeId()).isEqualTo(7);
        assertThat(config.logDirs()).containsExactly(Path.of("/var/herald"));
        assertThat(config.topicDefaults().segmentBytes()).isEqualTo(2048);
        assertThat(config.topicDefaults().compact()).isTrue();
        assertThat(config.topicDefaults().maxMessageBytes()).isEqualTo(5000);
        assertThat(config.topicDefaults().retentionMs()).isEqualTo(3_600_000);
    }

    @Test
    void retentionMillisecondsOverrideMinutesWhichOverrideHours() {
        assertThat(BrokerConfig.parse(Map.of("log.retention.hours", "2", "log.retention.minutes", "3"))
                        .topicDefaults()
                        .retentionMs())
                .isEqualTo(180_000);
        assertThat(BrokerConfig.parse(Map.of("log.retention.minutes", "3", "log.retention.ms", "42"))
                        .topicDefaults()
                        .retentionMs())
                .isEqualTo(42);
        assertThat(BrokerConfig.parse(Map.of("log.retention.hours", "-1"))
                        .topicDefaults()
                        .retentionMs())
                .isEqualTo(-1);
    }

    @Test
    void invalidValuesAreAllReportedByName() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of(
                        "num.partitions", "zero",
                        "log.segment.bytes", "-5",
                        "auto.create.topics.enable", "maybe")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("num.partitions")
                .hasMessageContaining("log.segment.bytes")
                .hasMessageContaining("auto.create.topics.enable");
    }

    @Test
    void theCertificateCheckIntervalIsABrokerKeyThoughItsNameStartsWithSsl() {
        BrokerConfig config = BrokerConfig.parse(
                Map.of("ssl.reload.check.interval.ms", "250", "ssl.keystore.location", "/etc/herald/broker.p12"));

        assertThat(config.get(BrokerConfig.SSL_RELOAD_CHECK_INTERVAL_MS)).isEqualTo(250);
        assertThat(config.tlsSettings()).containsOnlyKeys("ssl.keystore.location");
        assertThat(BrokerConfig.defaults().get(BrokerConfig.SSL_RELOAD_CHECK_INTERVAL_MS))
                .isEqualTo(30_000);
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("ssl.reload.check.interval.ms", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssl.reload.check.interval.ms");
    }

    @Test
    void unknownKeysAreCollectedForTheStartupReport() {
        BrokerConfig config = BrokerConfig.parse(Map.of("log.retention.hourz", "5", "num.partitions", "3"));

        assertThat(config.unknownKeys()).containsExactly("log.retention.hourz");
        assertThat(config.get(BrokerConfig.NUM_PARTITIONS)).isEqualTo(3);
    }

    @Test
    void listenersAreParsedAndBadOnesRefused() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://127.0.0.1:0"));
        assertThat(config.listeners()).containsExactly(new Listener("PLAINTEXT", "127.0.0.1", 0));

        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "localhost:9092")))
                .hasMessageContaining("NAME://host:port");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://:9092,PLAINTEXT://:9093")))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://:70000")))
                .hasMessageContaining("out of range");
    }

    @Test
    void advertisedListenersDefaultToTheBoundOnesWithLocalhostForAnEmptyHost() {
        BrokerConfig config = BrokerConfig.parse(
                Map.of("listeners", "PLAINTEXT://:9092", "advertised.listeners", "PLAINTEXT://broker.example:19092"));

        assertThat(config.advertisedListeners()).isEqualTo(List.of(new Listener("PLAINTEXT", "broker.example", 19092)));
    }
}
