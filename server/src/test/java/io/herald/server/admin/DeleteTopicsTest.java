package io.herald.server.admin;

import static io.herald.server.admin.Clients.TIMEOUT_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DeleteTopics through the real Admin client, and what producers and consumers of a deleted topic see. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DeleteTopicsTest {

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private Admin admin;

    private void start(Map<String, String> overrides) throws Exception {
        broker = EmbeddedHerald.start(data, overrides);
        admin = Admin.create(broker.clientProperties());
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void topicsDeletedByNameAndByIdAreGoneWithTheirLogs() throws Exception {
        start(Map.of());
        Clients.createTopic(admin, "by-name", 2, Map.of());
        Uuid byId = Clients.createTopic(admin, "by-id", 1, Map.of());
        Clients.produce(broker, "by-name", 1, Clients.values("v", 5));
        Clients.produce(broker, "by-id", 0, Clients.values("v", 5));
        assertThat(partitionDirs()).contains("by-name-0", "by-name-1", "by-id-0");

        admin.deleteTopics(List.of("by-name")).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        admin.deleteTopics(TopicCollection.ofTopicIds(List.of(byId))).all().get(TIMEOUT_S, TimeUnit.SECONDS);

        assertThat(admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS)).isEmpty();
        assertThat(partitionDirs()).noneMatch(d -> d.startsWith("by-"));
        assertThatThrownBy(() ->
                        admin.describeTopics(List.of("by-name")).allTopicNames().get())
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        broker.restart();
        assertThat(partitionDirs()).noneMatch(d -> d.startsWith("by-"));
    }

    @Test
    void unknownNamesAndIdsAreReportedPerTopic() throws Exception {
        start(Map.of());
        Clients.createTopic(admin, "kept", 1, Map.of());

        var byName = admin.deleteTopics(List.of("missing", "kept")).topicNameValues();
        assertThatThrownBy(() -> byName.get("missing").get(TIMEOUT_S, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        byName.get("kept").get(TIMEOUT_S, TimeUnit.SECONDS);

        Uuid unknown = Uuid.randomUuid();
        assertThatThrownBy(() -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(unknown)))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(UnknownTopicIdException.class);
    }

    @Test
    void theInternalOffsetsTopicCanBeNeitherDeletedNorGrown() throws Exception {
        start(Map.of("offsets.topic.num.partitions", "3"));
        admin.listConsumerGroupOffsets("any-group")
                .partitionsToOffsetAndMetadata()
                .get(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true))
                        .names()
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .contains("__consumer_offsets");

        assertThatThrownBy(() ->
                        admin.deleteTopics(List.of("__consumer_offsets")).all().get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("Internal topic");
        assertThatThrownBy(() -> admin.createPartitions(Map.of("__consumer_offsets", NewPartitions.increaseTo(5)))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidTopicException.class);
        assertThat(partitionDirs()).contains("__consumer_offsets-0", "__consumer_offsets-2");
    }

    @Test
    void withDeletionDisabledTheTopicStays() throws Exception {
        start(Map.of("delete.topic.enable", "false"));
        Clients.createTopic(admin, "stays", 1, Map.of());

        assertThatThrownBy(() -> admin.deleteTopics(List.of("stays")).all().get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicDeletionDisabledException.class);
        assertThat(admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS)).containsExactly("stays");
        assertThat(partitionDirs()).contains("stays-0");
    }

    @Test
    void aTopicCreatedAgainUnderTheSameNameHasANewIdStartsEmptyAndConsumersResetToIt() throws Exception {
        start(Map.of("auto.create.topics.enable", "false"));
        Uuid first = Clients.createTopic(admin, "reborn", 1, Map.of());
        Clients.produce(broker, "reborn", 0, Clients.values("old", 10));
        TopicPartition tp = new TopicPartition("reborn", 0);
        try (KafkaConsumer<String, String> consumer =
                Clients.consumer(broker, Map.of("auto.offset.reset", "earliest"))) {
            consumer.assign(List.of(tp));
            assertThat(Clients.poll(consumer, 10)).isEqualTo(Clients.values("old", 10));

            admin.deleteTopics(List.of("reborn")).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            Uuid second = Clients.createTopic(admin, "reborn", 1, Map.of());

            assertThat(second).isNotEqualTo(first);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                            .partitionResult(tp)
                            .get(TIMEOUT_S, TimeUnit.SECONDS)
                            .offset())
                    .isZero();
            Clients.produce(broker, "reborn", 0, Clients.values("new", 3));
            // The consumer's position (10) is beyond the new topic's end: auto.offset.reset takes it to the start.
            assertThat(Clients.poll(consumer, 3)).isEqualTo(Clients.values("new", 3));
        }
    }

    @Test
    void aProducerOfADeletedTopicTimesOutAndListOffsetsReportsItUnknown() throws Exception {
        start(Map.of("auto.create.topics.enable", "false"));
        Clients.createTopic(admin, "doomed", 1, Map.of());
        TopicPartition tp = new TopicPartition("doomed", 0);
        try (KafkaProducer<String, String> producer = Clients.producer(
                broker, Map.of("delivery.timeout.ms", 3000, "request.timeout.ms", 1000, "max.block.ms", 3000))) {
            producer.send(new ProducerRecord<>("doomed", 0, null, "before")).get(TIMEOUT_S, TimeUnit.SECONDS);

            admin.deleteTopics(List.of("doomed")).all().get(TIMEOUT_S, TimeUnit.SECONDS);

            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("doomed", 0, null, "after"))
                            .get(TIMEOUT_S, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
        assertThatThrownBy(() -> admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                        .partitionResult(tp)
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void deletingATopicForgetsItsCheckpointedOffsetsSoATopicCreatedAgainCannotInheritThem() throws Exception {
        start(Map.of());
        Clients.createTopic(admin, "checkpointed", 1, Map.of());
        Clients.produce(broker, "checkpointed", 0, Clients.values("v", 20));
        TopicPartition tp = new TopicPartition("checkpointed", 0);
        admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(15))).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(Files.readString(data.resolve("log-start-offset-checkpoint")))
                .contains("checkpointed 0 15");

        admin.deleteTopics(List.of("checkpointed")).all().get(TIMEOUT_S, TimeUnit.SECONDS);

        // A crash now must not open a new "checkpointed-0" at the old start offset and recovery point.
        assertThat(Files.readString(data.resolve("log-start-offset-checkpoint")))
                .doesNotContain("checkpointed");
        assertThat(Files.readString(data.resolve("recovery-point-offset-checkpoint")))
                .doesNotContain("checkpointed");
    }

    private List<String> partitionDirs() throws Exception {
        try (Stream<Path> dirs = Files.list(data)) {
            return dirs.filter(Files::isDirectory)
                    .map(d -> d.getFileName().toString())
                    .toList();
        }
    }
}
