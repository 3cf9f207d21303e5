package io.herald.server.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.server.EmbeddedHerald;
import io.herald.server.RawClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.requests.ShareFetchRequest;
import org.apache.kafka.common.requests.ShareFetchResponse;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ShareFetch that carries acknowledgements is still a fetch: with nothing to acquire it waits for records (up to its
 * max wait) and answers the acknowledgements together with them, as Kafka does, instead of answering at once and
 * leaving the consumer a second round trip to wait in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShareFetchWaitTest {

    private static final String TOPIC = "waits";
    private static final String GROUP = "wait-group";
    private static final short VERSION = 1;

    @TempDir
    Path dir;

    private EmbeddedHerald broker;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(dir);
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.GROUP, GROUP),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aFetchCarryingOnlyAcknowledgementsWaitsForRecordsAndAnswersBothTogether() throws Exception {
        produce("first");
        Uuid topicId;
        try (Admin admin = Admin.create(broker.clientProperties())) {
            topicId = admin.describeTopics(List.of(TOPIC))
                    .allTopicNames()
                    .get()
                    .get(TOPIC)
                    .topicId();
        }
        String member = Uuid.randomUuid().toString();
        String[] hostPort = broker.bootstrap().split(":");
        try (RawClient client = new RawClient(hostPort[0], Integer.parseInt(hostPort[1]))) {
            ShareFetchResponseData.PartitionData opened = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> fetch(client, member, topicId, 0, false, 0),
                            d -> !values(d).isEmpty());
            assertThat(values(opened)).containsExactly("first");

            CompletableFuture<ShareFetchResponseData.PartitionData> acknowledging =
                    CompletableFuture.supplyAsync(() -> {
                        try {
                            return fetch(client, member, topicId, 1, true, 20_000);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !acknowledging.isDone());
            produce("second");

            ShareFetchResponseData.PartitionData answered = acknowledging.get(20, TimeUnit.SECONDS);
            assertThat(answered.acknowledgeErrorCode()).isZero();
            assertThat(values(answered)).containsExactly("second");
        }
    }

    private int correlations;

    /** One ShareFetch of partition 0; with {@code acknowledge}, it accepts offset 0. */
    private ShareFetchResponseData.PartitionData fetch(
            RawClient client, String member, Uuid topicId, int sessionEpoch, boolean acknowledge, int maxWaitMs)
            throws Exception {
        ShareFetchRequestData data = new ShareFetchRequestData()
                .setGroupId(GROUP)
                .setMemberId(member)
                .setShareSessionEpoch(sessionEpoch)
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setMaxRecords(10)
                .setBatchSize(10);
        ShareFetchRequestData.FetchPartition partition =
                new ShareFetchRequestData.FetchPartition().setPartitionIndex(0);
        if (acknowledge) {
            partition
                    .acknowledgementBatches()
                    .add(new ShareFetchRequestData.AcknowledgementBatch()
                            .setFirstOffset(0)
                            .setLastOffset(0)
                            .setAcknowledgeTypes(List.of((byte) 1)));
        }
        ShareFetchRequestData.FetchTopic topic = new ShareFetchRequestData.FetchTopic().setTopicId(topicId);
        topic.partitions().add(partition);
        data.topics().add(topic);
        int correlation = ++correlations;
        client.send(new ShareFetchRequest.Builder(data).build(VERSION), correlation);
        ShareFetchResponseData response =
                ((ShareFetchResponse) client.receive(ApiKeys.SHARE_FETCH, VERSION, correlation)).data();
        assertThat(response.errorCode()).isZero();
        return response.responses().stream()
                .flatMap(t -> t.partitions().stream())
                .findFirst()
                .orElseThrow();
    }

    private static List<String> values(ShareFetchResponseData.PartitionData d) {
        List<String> values = new ArrayList<>();
        for (Record r : ((MemoryRecords) d.records()).records()) {
            values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
        }
        return values;
    }

    private void produce(String value) throws Exception {
        Properties p = broker.clientProperties();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(TOPIC, value)).get();
        }
    }
}
