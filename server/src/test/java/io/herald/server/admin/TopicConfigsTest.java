package io.herald.server.admin;

import static io.herald.server.admin.Clients.TIMEOUT_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSynonym;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigType;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DescribeConfigs and IncrementalAlterConfigs on topics through the real Admin client. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TopicConfigsTest {

    private static final ConfigResource TOPIC = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
    private static final long HOUR_MS = 3_600_000L;

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(
                data, Map.of("log.retention.hours", "100", "log.retention.check.interval.ms", "100"));
        admin = Admin.create(broker.clientProperties());
        Clients.createTopic(admin, "orders", 1, Map.of("segment.bytes", "1048576"));
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private Config describe() throws Exception {
        return admin.describeConfigs(
                        List.of(TOPIC),
                        new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true))
                .all()
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .get(TOPIC);
    }

    private void alter(AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(TOPIC, List.of(ops))).all().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static AlterConfigOp op(String name, String value, OpType type) {
        return new AlterConfigOp(new ConfigEntry(name, value), type);
    }

    @Test
    void everyTopicKeyIsDescribedWithItsSourceSynonymsTypeAndDocumentation() throws Exception {
        Config config = describe();

        ConfigEntry segment = config.get("segment.bytes");
        assertThat(segment.value()).isEqualTo("1048576");
        assertThat(segment.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(segment.synonyms())
                .extracting(ConfigSynonym::name, ConfigSynonym::value, ConfigSynonym::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "segment.bytes", "1048576", ConfigSource.DYNAMIC_TOPIC_CONFIG),
                        org.assertj.core.groups.Tuple.tuple(
                                "log.segment.bytes", "1073741824", ConfigSource.DEFAULT_CONFIG));
        assertThat(segment.type()).isEqualTo(ConfigType.INT);
        assertThat(segment.isReadOnly()).isFalse();
        assertThat(segment.isSensitive()).isFalse();
        assertThat(segment.documentation()).isNotBlank();

        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo(String.valueOf(100 * HOUR_MS));
        assertThat(retention.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(retention.synonyms())
                .extracting(ConfigSynonym::name, ConfigSynonym::value, ConfigSynonym::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "log.retention.hours", "100", ConfigSource.STATIC_BROKER_CONFIG),
                        org.assertj.core.groups.Tuple.tuple("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG));
        assertThat(retention.type()).isEqualTo(ConfigType.LONG);

        assertThat(config.get("cleanup.policy").type()).isEqualTo(ConfigType.LIST);
        assertThat(config.get("cleanup.policy").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
        assertThat(config.get("compression.type").value()).isEqualTo("producer");
        assertThat(config.entries()).hasSize(io.herald.log.LogConfig.KEYS.size() + 3);

        assertThatThrownBy(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "none")))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void setAppendSubtractAndDeleteChangeTheOverridesAndSurviveARestart() throws Exception {
        alter(op("retention.ms", "7200000", OpType.SET), op("cleanup.policy", "compact", OpType.APPEND));

        Config config = describe();
        assertThat(config.get("retention.ms").value()).isEqualTo("7200000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact,delete");

        alter(op("cleanup.policy", "delete", OpType.SUBTRACT), op("segment.bytes", null, OpType.DELETE));
        config = describe();
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(config.get("segment.bytes").value()).isEqualTo("1073741824");
        assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);

        broker.restart();
        try (Admin again = Admin.create(broker.clientProperties())) {
            Config restarted = again.describeConfigs(List.of(TOPIC))
                    .all()
                    .get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(TOPIC);
            assertThat(restarted.get("retention.ms").value()).isEqualTo("7200000");
            assertThat(restarted.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(restarted.get("segment.bytes").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        }
        assertThat(broker.server()
                        .partitions()
                        .logManager()
                        .topicConfig("orders")
                        .compact())
                .isTrue();
    }

    @Test
    void anInvalidValueOrUnknownKeyRefusesTheWholeChangeNamingTheKey() throws Exception {
        assertThatThrownBy(() -> alter(op("segment.bytes", "2048", OpType.SET), op("retention.ms", "soon", OpType.SET)))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.ms");
        assertThatThrownBy(() -> alter(op("retention.mss", "1", OpType.SET)))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.mss");
        assertThatThrownBy(() -> alter(op("retention.ms", "1", OpType.APPEND)))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.ms");
        assertThatThrownBy(() -> alter(op("cleanup.policy", "delete,compact", OpType.SUBTRACT)))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("cleanup.policy");
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                                new ConfigResource(ConfigResource.Type.TOPIC, "none"),
                                List.of(op("retention.ms", "1", OpType.SET))))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);

        Config config = describe();
        assertThat(config.get("segment.bytes").value()).isEqualTo("1048576");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(broker.server().metadata().topic("orders").orElseThrow().configs())
                .containsExactly(Map.entry("segment.bytes", "1048576"));
    }

    @Test
    void validateOnlyLeavesNothingBehind() throws Exception {
        admin.incrementalAlterConfigs(
                        Map.of(TOPIC, List.of(op("retention.ms", "1000", OpType.SET))),
                        new AlterConfigsOptions().validateOnly(true))
                .all()
                .get(TIMEOUT_S, TimeUnit.SECONDS);

        assertThat(describe().get("retention.ms").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(broker.server()
                        .partitions()
                        .logManager()
                        .topicConfig("orders")
                        .retentionMs())
                .isEqualTo(100 * HOUR_MS);
    }

    @Test
    void aShorterRetentionOnALiveTopicDeletesItsOldRecordsAtOnce() throws Exception {
        TopicPartition tp = new TopicPartition("orders", 0);
        produceOld(tp, 10);
        assertThat(earliest(tp)).isZero();

        alter(op("retention.ms", "60000", OpType.SET));

        await().atMost(Duration.ofSeconds(20)).until(() -> earliest(tp) == 10);
    }

    private void produceOld(TopicPartition tp, int count) throws Exception {
        long hourAgo = System.currentTimeMillis() - HOUR_MS;
        try (KafkaProducer<String, String> producer = Clients.producer(broker, Map.of())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                acks.add(producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), hourAgo, null, "old" + i)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(TIMEOUT_S, TimeUnit.SECONDS);
            }
        }
    }

    private long earliest(TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                .partitionResult(tp)
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .offset();
    }
}
