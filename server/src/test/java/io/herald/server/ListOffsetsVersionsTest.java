package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ListOffsets at every served version, as older clients send it: librdkafka 2.0 (kcat, confluent-kafka) asks at v2,
 * whose response has no leader epoch.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListOffsetsVersionsTest {

    @TempDir
    Path data;

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void earliestAndLatestOffsetsAreAnsweredAtEveryVersion(short version) throws Exception {
        try (EmbeddedHerald broker = EmbeddedHerald.start(data);
                Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("offsets", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Properties props = broker.clientProperties();
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("offsets", 0, null, "r" + i));
                }
                producer.flush();
            }
            try (RawKafkaClient client = RawKafkaClient.connect(broker.bootstrap(), "list-offsets-v" + version)) {
                assertThat(offset(client, version, -2L)).isEqualTo(0);
                assertThat(offset(client, version, -1L)).isEqualTo(3);
            }
        }
    }

    private static long offset(RawKafkaClient client, short version, long timestamp) throws Exception {
        ListOffsetsRequestData request = new ListOffsetsRequestData()
                .setReplicaId(-1)
                .setTopics(List.of(new ListOffsetsTopic()
                        .setName("offsets")
                        .setPartitions(List.of(
                                new ListOffsetsPartition().setPartitionIndex(0).setTimestamp(timestamp)))));
        ListOffsetsResponseData response = client.send(request, version);
        ListOffsetsPartitionResponse partition =
                response.topics().get(0).partitions().get(0);
        assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
        return partition.offset();
    }
}
