package io.herald.server.admin;

import static io.herald.server.admin.Clients.TIMEOUT_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DeleteRecords through the real Admin client, and what consumers positioned before the new start see. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeleteRecordsTest {

    private static final TopicPartition TP = new TopicPartition("trimmed", 0);

    @TempDir
    Path data;

    private EmbeddedHerald broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(data);
        admin = Admin.create(broker.clientProperties());
        // small segments, so that deleting records also deletes whole segment files
        Clients.createTopic(admin, "trimmed", 1, Map.of("segment.bytes", "1024"));
        // in 20 separate sends of 5, so that the batches (and so the segments) do not depend on how the producer
        // happened to batch on a busy machine
        List<String> values = Clients.values("r", 100);
        for (int i = 0; i < 100; i += 5) {
            Clients.produce(broker, "trimmed", 0, values.subList(i, i + 5));
        }
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private long deleteBefore(TopicPartition tp, long offset) throws Exception {
        return admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(offset)))
                .lowWatermarks()
                .get(tp)
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .lowWatermark();
    }

    private long offset(OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(TP, spec))
                .partitionResult(TP)
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .offset();
    }

    @Test
    void theLogStartMovesSegmentsGoAndTheEarliestOffsetFollowsAcrossARestart() throws Exception {
        int segmentsBefore = broker.server()
                .partitions()
                .partition(new io.herald.log.TopicPartition("trimmed", 0))
                .orElseThrow()
                .log()
                .segmentCount();

        assertThat(deleteBefore(TP, 60)).isEqualTo(60);

        assertThat(offset(OffsetSpec.earliest())).isEqualTo(60);
        assertThat(offset(OffsetSpec.latest())).isEqualTo(100);
        assertThat(broker.server()
                        .partitions()
                        .partition(new io.herald.log.TopicPartition("trimmed", 0))
                        .orElseThrow()
                        .log()
                        .segmentCount())
                .isLessThan(segmentsBefore);
        assertThat(deleteBefore(TP, 10))
                .as("an offset below the start changes nothing")
                .isEqualTo(60);

        broker.restart();
        try (Admin again = Admin.create(broker.clientProperties())) {
            assertThat(again.listOffsets(Map.of(TP, OffsetSpec.earliest()))
                            .partitionResult(TP)
                            .get(TIMEOUT_S, TimeUnit.SECONDS)
                            .offset())
                    .isEqualTo(60);
        }
    }

    @Test
    void consumersPositionedBeforeTheStartResetAsTheirAutoOffsetResetSays() throws Exception {
        deleteBefore(TP, 90);

        try (KafkaConsumer<String, String> earliest =
                Clients.consumer(broker, Map.of("auto.offset.reset", "earliest"))) {
            earliest.assign(List.of(TP));
            earliest.seek(TP, 5);
            assertThat(Clients.poll(earliest, 10))
                    .isEqualTo(Clients.values("r", 100).subList(90, 100));
        }
        try (KafkaConsumer<String, String> none = Clients.consumer(broker, Map.of("auto.offset.reset", "none"))) {
            none.assign(List.of(TP));
            none.seek(TP, 5);
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 50; i++) {
                            none.poll(Duration.ofMillis(200));
                        }
                    })
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .satisfies(e -> assertThat(((OffsetOutOfRangeException) e).offsetOutOfRangePartitions())
                            .containsEntry(TP, 5L));
        }
    }

    @Test
    void beforeHighWatermarkDeletesEverythingAndBeyondItIsOutOfRange() throws Exception {
        assertThatThrownBy(() -> deleteBefore(TP, 101))
                .hasCauseInstanceOf(org.apache.kafka.common.errors.OffsetOutOfRangeException.class);
        assertThat(offset(OffsetSpec.earliest())).isZero();

        long low = admin.deleteRecords(Map.of(TP, RecordsToDelete.beforeOffset(-1L)))
                .lowWatermarks()
                .get(TP)
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .lowWatermark();

        assertThat(low).isEqualTo(100);
        assertThat(offset(OffsetSpec.earliest())).isEqualTo(100);
    }

    @Test
    void unknownPartitionsAndCompactedTopicsAreRefused() throws Exception {
        // The Admin client waits for an unknown partition to appear in the metadata rather than asking; ask directly.
        DeleteRecordsRequestData request = new DeleteRecordsRequestData();
        for (String topic : List.of("trimmed", "nowhere")) {
            request.topics()
                    .add(new DeleteRecordsTopic()
                            .setName(topic)
                            .setPartitions(List.of(new DeleteRecordsPartition().setPartitionIndex(3))));
        }
        try (KafkaWire wire = KafkaWire.connect(broker.bootstrap())) {
            DeleteRecordsResponse response = wire.send(new DeleteRecordsRequest.Builder(request).build((short) 2));
            assertThat(response.data().topics())
                    .hasSize(2)
                    .allSatisfy(t -> assertThat(t.partitions()).singleElement().satisfies(p -> {
                        assertThat(p.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                        assertThat(p.lowWatermark()).isEqualTo(-1);
                    }));
        }
        Clients.createTopic(admin, "compacted", 1, Map.of("cleanup.policy", "compact"));

        assertThatThrownBy(() -> deleteBefore(new TopicPartition("compacted", 0), 0))
                .hasCauseInstanceOf(PolicyViolationException.class);
    }
}
