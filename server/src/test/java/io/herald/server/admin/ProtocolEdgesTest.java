package io.herald.server.admin;

import static io.herald.server.admin.Clients.TIMEOUT_S;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Java Admin client of Kafka 4 does not exercise: the legacy AlterConfigs that librdkafka tools send, older
 * request versions, and error paths a well-behaved client never triggers. Encoded with kafka-clients' own classes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtocolEdgesTest {

    private static final ConfigResource TOPIC = new ConfigResource(ConfigResource.Type.TOPIC, "legacy");
    private static final ConfigResource CLUSTER = new ConfigResource(ConfigResource.Type.BROKER, "");

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private Admin admin;
    private KafkaWire wire;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(data);
        admin = Admin.create(broker.clientProperties());
        wire = KafkaWire.connect(broker.bootstrap());
        Clients.createTopic(admin, "legacy", 1, Map.of("segment.bytes", "1048576"));
    }

    @AfterEach
    void stop() throws Exception {
        wire.close();
        admin.close();
        broker.close();
    }

    private Errors alterConfigs(ConfigResource resource, Map<String, String> configs, boolean validateOnly, short v)
            throws Exception {
        List<AlterConfigsRequest.ConfigEntry> entries = configs.entrySet().stream()
                .map(e -> new AlterConfigsRequest.ConfigEntry(e.getKey(), e.getValue()))
                .toList();
        AlterConfigsResponse response = wire.send(
                new AlterConfigsRequest.Builder(Map.of(resource, new AlterConfigsRequest.Config(entries)), validateOnly)
                        .build(v));
        return response.errors().get(resource).error();
    }

    private Map<String, String> topicOverrides() {
        return broker.server().metadata().topic("legacy").orElseThrow().configs();
    }

    @Test
    void legacyAlterConfigsReplacesAllOverridesAtEveryVersion() throws Exception {
        assertThat(alterConfigs(TOPIC, Map.of("retention.ms", "5000"), false, (short) 0))
                .isEqualTo(Errors.NONE);
        assertThat(topicOverrides()).containsExactly(Map.entry("retention.ms", "5000"));

        assertThat(alterConfigs(TOPIC, Map.of("retention.ms", "later"), false, (short) 2))
                .isEqualTo(Errors.INVALID_CONFIG);
        assertThat(alterConfigs(TOPIC, Map.of("cleanup.policy", "compact"), true, (short) 2))
                .isEqualTo(Errors.NONE);
        assertThat(topicOverrides()).containsExactly(Map.entry("retention.ms", "5000"));

        assertThat(alterConfigs(CLUSTER, Map.of("log.retention.hours", "5"), false, (short) 1))
                .isEqualTo(Errors.NONE);
        assertThat(broker.server().dynamicConfig().overrides(""))
                .containsExactly(Map.entry("log.retention.hours", "5"));
        assertThat(alterConfigs(CLUSTER, Map.of("num.io.threads", "2"), false, (short) 1))
                .isEqualTo(Errors.INVALID_CONFIG);
        assertThat(alterConfigs(CLUSTER, Map.of(), false, (short) 1)).isEqualTo(Errors.NONE);
        assertThat(broker.server().dynamicConfig().overrides("")).isEmpty();
        assertThat(alterConfigs(new ConfigResource(ConfigResource.Type.TOPIC, "none"), Map.of(), false, (short) 2))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void describeConfigsV1HasSynonymsButNoTypesAndOtherBrokersAndResourceTypesAreRefused() throws Exception {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData()
                .setIncludeSynonyms(true)
                .setResources(List.of(
                        new DescribeConfigsResource()
                                .setResourceType(ConfigResource.Type.TOPIC.id())
                                .setResourceName("legacy")
                                .setConfigurationKeys(List.of("segment.bytes", "no.such.key")),
                        new DescribeConfigsResource()
                                .setResourceType(ConfigResource.Type.BROKER.id())
                                .setResourceName("7"),
                        new DescribeConfigsResource()
                                .setResourceType(ConfigResource.Type.BROKER_LOGGER.id())
                                .setResourceName("1")));

        DescribeConfigsResponse response = wire.send(new DescribeConfigsRequest.Builder(request).build((short) 1));

        List<DescribeConfigsResult> results = response.data().results();
        assertThat(results.get(0).errorCode()).isZero();
        DescribeConfigsResourceResult segment = results.get(0).configs().get(0);
        assertThat(results.get(0).configs()).hasSize(1);
        assertThat(segment.name()).isEqualTo("segment.bytes");
        assertThat(segment.value()).isEqualTo("1048576");
        assertThat(segment.synonyms()).hasSize(2);
        assertThat(segment.configType()).as("not in v1").isZero();
        assertThat(results.get(1).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(results.get(1).errorMessage()).contains("7");
        assertThat(results.get(2).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void incrementalAlterConfigsRefusesTheSameResourceOrKeyTwice() throws Exception {
        AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET);
        IncrementalAlterConfigsRequest request = new IncrementalAlterConfigsRequest.Builder(
                        List.of(TOPIC, TOPIC), Map.of(TOPIC, List.of(op)), false)
                .build((short) 1);
        IncrementalAlterConfigsResponse twice = wire.send(request);
        assertThat(twice.data().responses())
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code()));

        IncrementalAlterConfigsResponse sameKey = wire.send(
                new IncrementalAlterConfigsRequest.Builder(Map.of(TOPIC, List.of(op, op)), false).build((short) 0));
        assertThat(sameKey.data().responses().get(0).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(topicOverrides()).doesNotContainKey("retention.ms");
    }

    @Test
    void deleteTopicsByNameAtV1AndWithNameAndIdTogetherAtV6() throws Exception {
        Uuid id = broker.server().metadata().topic("legacy").orElseThrow().id();
        DeleteTopicsResponse both = wire.send(new DeleteTopicsRequest.Builder(new DeleteTopicsRequestData()
                        .setTopics(
                                List.of(new DeleteTopicState().setName("legacy").setTopicId(id))))
                .build((short) 6));
        assertThat(both.data().responses().iterator().next().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());

        DeleteTopicsResponse v1 = wire.send(new DeleteTopicsRequest.Builder(
                        new DeleteTopicsRequestData().setTopicNames(List.of("legacy", "absent")))
                .build((short) 1));
        assertThat(v1.data().responses().find("legacy").errorCode()).isZero();
        assertThat(v1.data().responses().find("absent").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(broker.server().metadata().topic("legacy")).isEmpty();
    }

    @Test
    void aFetchSessionOfADeletedTopicDoesNotReadTheTopicCreatedAgainUnderItsName() throws Exception {
        Uuid oldId = broker.server().metadata().topic("legacy").orElseThrow().id();
        TopicPartition tp = new TopicPartition("legacy", 0);
        Map<TopicPartition, FetchRequest.PartitionData> partitions = new LinkedHashMap<>();
        partitions.put(tp, new FetchRequest.PartitionData(oldId, 0, 0, 1 << 20, Optional.empty()));
        FetchResponse opened = wire.send(FetchRequest.Builder.forConsumer((short) 17, 0, 0, partitions)
                .metadata(FetchMetadata.INITIAL)
                .build((short) 17));
        assertThat(opened.error()).isEqualTo(Errors.NONE);
        int session = opened.sessionId();
        assertThat(session).isPositive();

        admin.deleteTopics(List.of("legacy")).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        Clients.createTopic(admin, "legacy", 1, Map.of());
        Clients.produce(broker, "legacy", 0, Clients.values("new", 3));

        FetchResponse incremental = wire.send(FetchRequest.Builder.forConsumer((short) 17, 0, 0, Map.of())
                .metadata(new FetchMetadata(session, 1))
                .build((short) 17));
        FetchResponseData.PartitionData partition =
                incremental.data().responses().get(0).partitions().get(0);
        assertThat(incremental.data().responses().get(0).topicId()).isEqualTo(oldId);
        assertThat(partition.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        assertThat(FetchResponse.recordsSize(partition)).isZero();
    }
}
