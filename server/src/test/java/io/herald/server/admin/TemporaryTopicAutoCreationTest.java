package io.herald.server.admin;

import static io.herald.server.admin.Clients.TIMEOUT_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.BrokerWithAdmin;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code auto.create.topics.enable} on (the default), a producer naming a missing topic creates it, except the
 * topic of a JMS temporary destination ({@code jms.temp.*}), which only CreateTopics creates; a producer naming one
 * that does not exist, or no longer does, fails at once with {@code InvalidTopicException} rather than retrying until
 * its timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TemporaryTopicAutoCreationTest {

    @RegisterExtension
    final BrokerWithAdmin herald = new BrokerWithAdmin();

    @Test
    void aProducerCreatesAMissingTopicButNotATemporaryDestinationsTopic() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(herald.broker(), Map.of())) {
            producer.send(new ProducerRecord<>("other", "v")).get(TIMEOUT_S, TimeUnit.SECONDS);

            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("jms.temp.x", "v"))
                            .get(TIMEOUT_S, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidTopicException.class);
        }

        assertThat(herald.admin().listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS))
                .contains("other")
                .doesNotContain("jms.temp.x");
        assertThatThrownBy(() -> herald.admin()
                        .describeTopics(List.of("jms.temp.x"))
                        .allTopicNames()
                        .get(TIMEOUT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidTopicException.class);
    }

    @Test
    void aProducerThatSentToATemporaryDestinationsTopicFailsAtOnceAfterItsDeletion() throws Exception {
        Clients.createTopic(herald.admin(), "jms.temp.c.gone", 1, Map.of());
        try (KafkaProducer<String, String> producer = Clients.producer(herald.broker(), Map.of());
                KafkaProducer<String, String> latecomer = Clients.producer(herald.broker(), Map.of())) {
            producer.send(new ProducerRecord<>("jms.temp.c.gone", "before")).get(TIMEOUT_S, TimeUnit.SECONDS);
            latecomer.send(new ProducerRecord<>("other", "v")).get(TIMEOUT_S, TimeUnit.SECONDS);

            herald.admin().deleteTopics(List.of("jms.temp.c.gone")).all().get(TIMEOUT_S, TimeUnit.SECONDS);

            // The producer still knows the topic (its id, its leader): the broker refuses the id it deleted.
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("jms.temp.c.gone", "after"))
                            .get(TIMEOUT_S, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidTopicException.class);
            // One that never knew it asks the metadata first.
            assertThatThrownBy(() -> latecomer
                            .send(new ProducerRecord<>("jms.temp.c.gone", "after"))
                            .get(TIMEOUT_S, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidTopicException.class);
        }
        assertThat(herald.admin().listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS))
                .doesNotContain("jms.temp.c.gone");
    }

    @Test
    void createTopicsStillCreatesATemporaryDestinationsTopic() throws Exception {
        Clients.createTopic(herald.admin(), "jms.temp.y", 1, Map.of());
        Clients.produce(herald.broker(), "jms.temp.y", 0, Clients.values("v", 3));

        assertThat(herald.admin().listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS))
                .contains("jms.temp.y");
    }
}
