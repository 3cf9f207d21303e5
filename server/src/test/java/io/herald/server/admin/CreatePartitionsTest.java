package io.herald.server.admin;

import static io.herald.server.admin.Clients.TIMEOUT_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CreatePartitions through the real Admin client; new partitions used at once by a producer and a consumer. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CreatePartitionsTest {

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(data);
        admin = Admin.create(broker.clientProperties());
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private int partitionCount(String topic) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic))
                .topicNameValues()
                .get(topic)
                .get(TIMEOUT_S, TimeUnit.SECONDS);
        return d.partitions().size();
    }

    @Test
    void newPartitionsAreUsableAtOnceByAProducerThatAlreadyKnewTheTopicAndByAConsumer() throws Exception {
        Clients.createTopic(admin, "grows", 1, Map.of());
        try (KafkaProducer<String, String> producer = Clients.producer(broker, Map.of("max.block.ms", 10_000))) {
            producer.send(new ProducerRecord<>("grows", 0, null, "p0")).get(TIMEOUT_S, TimeUnit.SECONDS);

            admin.createPartitions(Map.of("grows", NewPartitions.increaseTo(3)))
                    .all()
                    .get(TIMEOUT_S, TimeUnit.SECONDS);

            RecordMetadata sent =
                    producer.send(new ProducerRecord<>("grows", 2, null, "p2")).get(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(sent.partition()).isEqualTo(2);
            assertThat(sent.offset()).isZero();
        }
        assertThat(partitionCount("grows")).isEqualTo(3);
        assertThat(data.resolve("grows-1")).isDirectory();
        try (KafkaConsumer<String, String> consumer =
                Clients.consumer(broker, Map.of("auto.offset.reset", "earliest"))) {
            consumer.assign(List.of(new TopicPartition("grows", 2)));
            assertThat(Clients.poll(consumer, 1)).containsExactly("p2");
        }
        broker.restart();
        try (Admin again = Admin.create(broker.clientProperties())) {
            assertThat(again.describeTopics(List.of("grows"))
                            .allTopicNames()
                            .get(TIMEOUT_S, TimeUnit.SECONDS)
                            .get("grows")
                            .partitions())
                    .hasSize(3);
        }
    }

    @Test
    void validateOnlyChecksWithoutCreatingAnything() throws Exception {
        Clients.createTopic(admin, "same", 2, Map.of());

        admin.createPartitions(
                        Map.of("same", NewPartitions.increaseTo(5)), new CreatePartitionsOptions().validateOnly(true))
                .all()
                .get(TIMEOUT_S, TimeUnit.SECONDS);

        assertThat(partitionCount("same")).isEqualTo(2);
        assertThat(Files.exists(data.resolve("same-2"))).isFalse();
        assertThatThrownBy(() -> admin.createPartitions(
                                Map.of("same", NewPartitions.increaseTo(1)),
                                new CreatePartitionsOptions().validateOnly(true))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidPartitionsException.class);
    }

    @Test
    void aCountThatDoesNotGrowTheTopicAndAnUnknownTopicAreRefusedPerTopic() throws Exception {
        Clients.createTopic(admin, "three", 3, Map.of());

        var results = admin.createPartitions(Map.of(
                        "three", NewPartitions.increaseTo(3),
                        "nowhere", NewPartitions.increaseTo(4)))
                .values();

        assertThatThrownBy(() -> results.get("three").get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidPartitionsException.class)
                .hasMessageContaining("3");
        assertThatThrownBy(() -> results.get("nowhere").get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        assertThatThrownBy(() -> admin.createPartitions(Map.of("three", NewPartitions.increaseTo(2)))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidPartitionsException.class);
        assertThat(partitionCount("three")).isEqualTo(3);
    }

    @Test
    void assignmentsOnThisBrokerAreAcceptedAndOthersRefusedSayingWhy() throws Exception {
        Clients.createTopic(admin, "placed", 1, Map.of());

        assertThatThrownBy(() -> admin.createPartitions(
                                Map.of("placed", NewPartitions.increaseTo(2, List.of(List.of(7)))))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessageContaining("unknown broker 7");
        assertThatThrownBy(() -> admin.createPartitions(
                                Map.of("placed", NewPartitions.increaseTo(3, List.of(List.of(1)))))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessageContaining("1 assignments");
        assertThat(partitionCount("placed")).isEqualTo(1);

        admin.createPartitions(Map.of("placed", NewPartitions.increaseTo(2, List.of(List.of(1)))))
                .all()
                .get(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(partitionCount("placed")).isEqualTo(2);
    }
}
