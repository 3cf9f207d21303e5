package io.herald.server.admin;

import static io.herald.server.admin.Clients.TIMEOUT_S;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DescribeCluster and DescribeLogDirs through the real Admin client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterAndLogDirsTest {

    @TempDir
    Path data;

    @TempDir
    Path data2;

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
    void theClusterIsThisBrokerAtTheAddressTheClientUsed() throws Exception {
        start(Map.of("node.id", "5"));

        DescribeClusterResult cluster = admin.describeCluster(
                new DescribeClusterOptions().includeAuthorizedOperations(true).includeFencedBrokers(true));

        assertThat(cluster.clusterId().get(TIMEOUT_S, TimeUnit.SECONDS))
                .isEqualTo(broker.server().metadata().clusterId());
        Node node = cluster.controller().get(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(node.id()).isEqualTo(5);
        assertThat(cluster.nodes().get(TIMEOUT_S, TimeUnit.SECONDS))
                .singleElement()
                .satisfies(n -> {
                    assertThat(n.id()).isEqualTo(5);
                    assertThat(n.host() + ":" + n.port()).isEqualTo(broker.bootstrap());
                    assertThat(n.isFenced()).isFalse();
                });
        assertThat(cluster.authorizedOperations().get(TIMEOUT_S, TimeUnit.SECONDS))
                .contains(AclOperation.DESCRIBE, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE)
                .doesNotContain(AclOperation.READ);
        assertThat(admin.describeCluster().authorizedOperations().get(TIMEOUT_S, TimeUnit.SECONDS))
                .as("not asked for")
                .isNull();
    }

    @Test
    void eachDataDirectoryListsItsPartitionsWithSizesAndItsDiskSpace() throws Exception {
        start(Map.of("log.dirs", data + "," + data2));
        Clients.createTopic(admin, "spread", 4, Map.of());
        for (int p = 0; p < 4; p++) {
            Clients.produce(broker, "spread", p, Clients.values("v", p + 1));
        }

        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(1))
                .allDescriptions()
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .get(1);

        assertThat(dirs.keySet())
                .containsExactlyInAnyOrder(
                        data.toAbsolutePath().normalize().toString(),
                        data2.toAbsolutePath().normalize().toString());
        Map<TopicPartition, ReplicaInfo> all = new HashMap<>();
        for (LogDirDescription d : dirs.values()) {
            assertThat(d.error()).isNull();
            assertThat(d.replicaInfos()).hasSize(2);
            assertThat(d.totalBytes().orElseThrow()).isPositive();
            assertThat(d.usableBytes().orElseThrow())
                    .isPositive()
                    .isLessThanOrEqualTo(d.totalBytes().getAsLong());
            all.putAll(d.replicaInfos());
        }
        assertThat(all).hasSize(4);
        for (int p = 0; p < 4; p++) {
            ReplicaInfo info = all.get(new TopicPartition("spread", p));
            assertThat(info.size())
                    .isEqualTo(broker.server()
                            .partitions()
                            .partition(new io.herald.log.TopicPartition("spread", p))
                            .orElseThrow()
                            .log()
                            .size())
                    .isPositive();
            assertThat(info.offsetLag()).isZero();
            assertThat(info.isFuture()).isFalse();
        }
        assertThat(all.get(new TopicPartition("spread", 3)).size())
                .isGreaterThan(all.get(new TopicPartition("spread", 0)).size());
    }

    @Test
    void replicaLogDirsNameTheDirectoryOfEachKnownReplicaAndNoneForUnknownOnes() throws Exception {
        start(Map.of());
        Clients.createTopic(admin, "known", 1, Map.of());
        TopicPartitionReplica known = new TopicPartitionReplica("known", 0, 1);
        TopicPartitionReplica unknown = new TopicPartitionReplica("unknown", 0, 1);

        Map<TopicPartitionReplica, ReplicaLogDirInfo> infos =
                admin.describeReplicaLogDirs(List.of(known, unknown)).all().get(TIMEOUT_S, TimeUnit.SECONDS);

        assertThat(infos.get(known).getCurrentReplicaLogDir())
                .isEqualTo(data.toAbsolutePath().normalize().toString());
        assertThat(infos.get(known).getCurrentReplicaOffsetLag()).isZero();
        assertThat(infos.get(unknown).getCurrentReplicaLogDir()).isNull();
    }
}
