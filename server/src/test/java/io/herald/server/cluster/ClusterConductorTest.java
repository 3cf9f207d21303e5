package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.server.metadata.BrokerNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@link ClusterConductor}s on the in-memory consistent store and membership of {@link InMemoryCluster}: one
 * controller, every broker registered and seeing the same image, metadata changed from any broker, a new controller
 * with a higher epoch when the old one dies (and the partitions it led get new leaders from their ISR), and a broker
 * cut off from the majority that can change nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterConductorTest {

    private static final long FENCE_AFTER_MS = 1000;

    @TempDir
    Path dir;

    private final InMemoryCluster network = new InMemoryCluster(3, false);
    private final List<ClusterConductor> conductors = new ArrayList<>();

    private ClusterConductor start(int id) throws Exception {
        BrokerNode node =
                new BrokerNode(id, null, Map.of("PLAINTEXT", new BrokerNode.Endpoint("127.0.0.1", 9000 + id)));
        ClusterConductor c = new ClusterConductor(
                network.backend(id),
                new BrokerRegistration(node, "incarnation-" + id + "-" + System.nanoTime()),
                new LocalImageCopy(dir.resolve("broker-" + id)),
                Optional.empty(),
                Clock.systemUTC(),
                new ClusterConductor.Settings(50, false, 60_000, false, 1000, FENCE_AFTER_MS));
        conductors.add(c);
        c.start(20_000);
        return c;
    }

    @BeforeEach
    void startThree() throws Exception {
        for (int id = 1; id <= 3; id++) {
            start(id);
        }
    }

    @AfterEach
    void stop() {
        conductors.forEach(ClusterConductor::close);
    }

    private ClusterConductor conductor(int id) {
        return conductors.stream()
                .filter(c -> c.nodeId() == id)
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    void threeBrokersRegisterAndAgreeOnOneController() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (ClusterConductor c : conductors) {
                assertThat(c.image().brokers()).containsOnlyKeys(1, 2, 3);
                assertThat(c.liveBrokers()).hasSize(3);
                assertThat(c.controllerId()).isEqualTo(network.lockHolder());
            }
            assertThat(conductors.stream().filter(ClusterConductor::isController))
                    .hasSize(1);
        });
        assertThat(conductor(1).clusterId()).isNotEmpty().isEqualTo(conductor(3).clusterId());
    }

    @Test
    void aTopicCreatedOnOneBrokerReachesTheOthersAndItsLeaderMovesWhenTheControllerDies() throws Exception {
        ClusterMetadataStore store = new ClusterMetadataStore(conductor(2), 10_000);
        store.createTopic("t", Map.of(), List.of(List.of(1, 2, 3), List.of(2, 3, 1), List.of(3, 1, 2)));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        conductors.forEach(c -> assertThat(c.image().topic("t")).isPresent()));
        int controller = network.lockHolder();
        long epoch = conductor(controller).image().controllerEpoch();

        network.kill(controller);
        conductor(controller).close();
        network.expireSessions();

        int survivor = controller == 1 ? 2 : 1;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ClusterImage image = conductor(survivor).image();
            assertThat(image.controllerId()).isNotEqualTo(controller).isPositive();
            assertThat(image.controllerEpoch()).isGreaterThan(epoch);
            for (PartitionState s : image.topic("t").orElseThrow().partitions()) {
                assertThat(s.leader()).isNotEqualTo(controller);
                assertThat(s.isr()).doesNotContain(controller).contains(s.leader());
            }
        });
    }

    @Test
    void everyBrokerRemembersTheTemporaryDestinationsTopicsDeletedThroughAnother() throws Exception {
        List<ClusterMetadataStore> stores = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            stores.add(new ClusterMetadataStore(conductor(id), 10_000));
        }
        ClusterMetadataStore via = stores.get(1);
        Uuid temporary = via.createTopic("jms.temp.c1.u1", 1, Map.of()).id();
        Uuid plain = via.createTopic("plain", 1, Map.of()).id();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> stores.forEach(s -> assertThat(s.topic("plain")).isPresent()));

        via.deleteTopic("jms.temp.c1.u1");
        via.deleteTopic("plain");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> stores.forEach(s -> {
                    assertThat(s.topic("plain")).isEmpty();
                    assertThat(s.deletedTemporaryTopics().contains("jms.temp.c1.u1"))
                            .isTrue();
                    assertThat(s.deletedTemporaryTopics().name(temporary)).contains("jms.temp.c1.u1");
                    assertThat(s.deletedTemporaryTopics().contains("plain")).isFalse();
                    assertThat(s.deletedTemporaryTopics().name(plain)).isEmpty();
                    assertThat(s.authoritative()).isFalse();
                }));
    }

    @Test
    void aBrokerCutOffFromTheMajorityCannotChangeTheMetadata() throws Exception {
        network.isolate(3);
        ClusterMetadataStore cutOff = new ClusterMetadataStore(conductor(3), 2_000);
        ClusterMetadataStore majority = new ClusterMetadataStore(conductor(1), 10_000);

        assertThatThrownBy(() -> cutOff.createTopic("lost", Map.of(), List.of(List.of(1, 2, 3))))
                .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        majority.createTopic("kept", Map.of(), List.of(List.of(1, 2)));

        assertThat(conductor(1).image().topic("lost")).isEmpty();
        network.heal(3);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(conductor(3).image().topic("kept")).isPresent());
    }

    @Test
    void aBrokerCutOffFromTheMajorityStopsLeadingUntilItIsBack() throws Exception {
        ClusterMetadataStore store = new ClusterMetadataStore(conductor(1), 10_000);
        store.createTopic("led-by-3", Map.of(), List.of(List.of(3, 1, 2)));
        List<ClusterImage> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
        conductor(3).addListener(applied::add);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(conductor(3)
                                .partition("led-by-3", 0)
                                .orElseThrow()
                                .leader())
                        .isEqualTo(3));

        network.isolate(3);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(conductor(3).fenced()).isTrue();
            assertThat(conductor(3).partition("led-by-3", 0).orElseThrow().leader())
                    .isEqualTo(PartitionState.NO_LEADER);
            assertThat(conductor(3).controllerId()).isEqualTo(-1);
            // clients that ask it are sent to the others
            assertThat(conductor(3).liveBrokers()).extracting(BrokerNode::id).containsExactlyInAnyOrder(1, 2);
            // what the replicas were told: no leader here, so appends and fetches are refused
            assertThat(applied.get(applied.size() - 1)
                            .partition("led-by-3", 0)
                            .orElseThrow()
                            .leader())
                    .isEqualTo(PartitionState.NO_LEADER);
        });
        // the majority sees the same partition led as before: fencing is this broker's view, never stored
        assertThat(conductor(1).fenced()).isFalse();

        network.heal(3);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(conductor(3).fenced()).isFalse();
            int leader = conductor(3).partition("led-by-3", 0).orElseThrow().leader();
            assertThat(leader).isPositive();
            assertThat(applied.get(applied.size() - 1)
                            .partition("led-by-3", 0)
                            .orElseThrow()
                            .leader())
                    .isEqualTo(leader);
        });
    }

    @Test
    void aBrokerThatSeesTheMajorityIsNotFencedWhenOnlyTheStoreIsUnreachable() throws Exception {
        // every broker cut off from the store but not from each other: nobody can elect other leaders
        network.blockStore();
        await().during(Duration.ofMillis(3 * FENCE_AFTER_MS))
                .atMost(Duration.ofMillis(10 * FENCE_AFTER_MS))
                .until(() -> conductors.stream().noneMatch(ClusterConductor::fenced));
        network.unblockStore();
    }
}
