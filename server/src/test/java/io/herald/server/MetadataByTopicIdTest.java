package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metadata requests that name topics by id (Metadata v10+; kafka-clients send an empty name with the id): the admin
 * client's describeTopics by id, and the KIP-848 consumer resolving the topic ids of its assignment, depend on them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetadataByTopicIdTest {

    @TempDir
    Path data;

    @Test
    void topicsAreDescribedByIdAndUnknownIdsAreReportedAsSuch() throws Exception {
        try (EmbeddedHerald broker = EmbeddedHerald.start(data);
                Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("by-id", 3, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Uuid id = admin.describeTopics(List.of("by-id"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get("by-id")
                    .topicId();

            Map<Uuid, TopicDescription> byId = admin.describeTopics(TopicCollection.ofTopicIds(List.of(id)))
                    .allTopicIds()
                    .get(30, TimeUnit.SECONDS);

            assertThat(byId.get(id).name()).isEqualTo("by-id");
            assertThat(byId.get(id).partitions()).hasSize(3);
            assertThatThrownBy(() -> admin.describeTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid())))
                            .allTopicIds()
                            .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(UnknownTopicIdException.class);
        }
    }
}
