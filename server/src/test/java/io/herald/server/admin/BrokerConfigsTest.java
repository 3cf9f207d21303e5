package io.herald.server.admin;

import static io.herald.server.admin.Clients.TIMEOUT_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
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
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DescribeConfigs and IncrementalAlterConfigs on the broker resource (this broker's own, "1", and the cluster-wide
 * default, "") through the real Admin client.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BrokerConfigsTest {

    private static final ConfigResource BROKER = new ConfigResource(ConfigResource.Type.BROKER, "1");
    private static final ConfigResource CLUSTER = new ConfigResource(ConfigResource.Type.BROKER, "");
    private static final long HOUR_MS = 3_600_000L;

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(data, Map.of("log.retention.check.interval.ms", "100", "num.partitions", "2"));
        admin = Admin.create(broker.clientProperties());
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private Config describe(Admin client, ConfigResource resource) throws Exception {
        return client.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
                .all()
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .get(resource);
    }

    private void alter(ConfigResource resource, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), OpType.SET);
    }

    @Test
    void theBrokerIsDescribedWithSourcesAndWhatMayChangeAtRunTime() throws Exception {
        Config config = describe(admin, BROKER);

        ConfigEntry partitions = config.get("num.partitions");
        assertThat(partitions.value()).isEqualTo("2");
        assertThat(partitions.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(partitions.isReadOnly()).isTrue();
        assertThat(config.get("listeners").isReadOnly()).isTrue();
        assertThat(config.get("num.io.threads").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("delete.topic.enable").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);

        ConfigEntry segment = config.get("log.segment.bytes");
        assertThat(segment.value()).isEqualTo("1073741824");
        assertThat(segment.isReadOnly()).isFalse();
        assertThat(segment.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("log.retention.ms").value()).isNull();
        assertThat(config.get("log.retention.hours").value()).isEqualTo("168");
        assertThat(config.entries()).noneMatch(ConfigEntry::isSensitive);
        assertThat(describe(admin, CLUSTER).entries()).isEmpty();
    }

    @Test
    void aClusterDefaultReachesTopicsWithoutAnOverrideAtOnceAndABrokerValueWinsOverIt() throws Exception {
        Clients.createTopic(admin, "plain", 1, Map.of());
        Clients.createTopic(admin, "kept", 1, Map.of("retention.ms", "-1"));
        TopicPartition plain = new TopicPartition("plain", 0);
        TopicPartition kept = new TopicPartition("kept", 0);
        produceOld(plain, 5);
        produceOld(kept, 5);

        alter(CLUSTER, set("log.retention.ms", "60000"));

        await().atMost(Duration.ofSeconds(20)).until(() -> earliest(plain) == 5);
        assertThat(earliest(kept)).isZero();
        ConfigEntry topicRetention = describe(admin, new ConfigResource(ConfigResource.Type.TOPIC, "plain"))
                .get("retention.ms");
        assertThat(topicRetention.value()).isEqualTo("60000");
        assertThat(topicRetention.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);

        alter(BROKER, set("log.retention.ms", "7200000"));

        ConfigEntry retention = describe(admin, BROKER).get("log.retention.ms");
        assertThat(retention.value()).isEqualTo("7200000");
        assertThat(retention.source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
        assertThat(retention.synonyms())
                .extracting(ConfigSynonym::name, ConfigSynonym::value, ConfigSynonym::source)
                .containsExactly(
                        tuple("log.retention.ms", "7200000", ConfigSource.DYNAMIC_BROKER_CONFIG),
                        tuple("log.retention.ms", "60000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                        tuple("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG));
        assertThat(describe(admin, CLUSTER).entries())
                .extracting(ConfigEntry::name, ConfigEntry::value, ConfigEntry::source)
                .containsExactly(tuple("log.retention.ms", "60000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
        assertThat(broker.server()
                        .partitions()
                        .logManager()
                        .topicConfig("plain")
                        .retentionMs())
                .isEqualTo(2 * HOUR_MS);
        produceOld(plain, 5);
        assertThat(earliest(plain))
                .as("an hour-old record is within the broker's 2 hours")
                .isEqualTo(5);
    }

    @Test
    void dynamicBrokerConfigsSurviveARestart() throws Exception {
        alter(CLUSTER, set("log.segment.bytes", "2097152"), set("log.cleanup.policy", "compact"));
        alter(BROKER, set("log.roll.hours", "2"));

        broker.restart();

        try (Admin again = Admin.create(broker.clientProperties())) {
            Config config = describe(again, BROKER);
            assertThat(config.get("log.segment.bytes").value()).isEqualTo("2097152");
            assertThat(config.get("log.segment.bytes").source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertThat(config.get("log.roll.hours").source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
            Config created = again.createTopics(List.of(new NewTopic("later", 1, (short) 1)))
                    .config("later")
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(created.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(created.get("cleanup.policy").source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertThat(describe(again, new ConfigResource(ConfigResource.Type.TOPIC, "later"))
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("compact");
        }
        assertThat(broker.server()
                        .partitions()
                        .logManager()
                        .topicConfig("later")
                        .segmentMs())
                .isEqualTo(2 * HOUR_MS);
    }

    @Test
    void readOnlyUnknownAndInvalidBrokerConfigsAreRefusedAndNothingIsHalfApplied() throws Exception {
        assertThatThrownBy(() -> alter(CLUSTER, set("log.segment.bytes", "2097152"), set("num.partitions", "3")))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("num.partitions");
        assertThatThrownBy(() -> alter(BROKER, set("listeners", "PLAINTEXT://:9093")))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("listeners");
        assertThatThrownBy(() -> alter(BROKER, set("log.retention.msec", "1")))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("log.retention.msec");
        assertThatThrownBy(() -> alter(BROKER, set("log.segment.bytes", "12")))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("log.segment.bytes");
        admin.incrementalAlterConfigs(
                        Map.of(CLUSTER, List.of(set("log.retention.hours", "1"))),
                        new AlterConfigsOptions().validateOnly(true))
                .all()
                .get(TIMEOUT_S, TimeUnit.SECONDS);

        Config config = describe(admin, BROKER);
        assertThat(config.get("log.segment.bytes").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("log.retention.hours").value()).isEqualTo("168");
        assertThat(describe(admin, CLUSTER).entries()).isEmpty();
        assertThat(broker.server().metadata().brokerConfigOverrides("")).isEmpty();
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
