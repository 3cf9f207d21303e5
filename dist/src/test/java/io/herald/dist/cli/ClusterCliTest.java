package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code herald cluster} against an in-process single broker: a cluster of one, its own controller. */
class ClusterCliTest extends BrokerTestSupport {

    @Test
    void aSingleBrokerIsItsOwnRunningControllerWithHealthyPartitions() throws Exception {
        createTopic("healthy", 2);

        Cli.Result result = cli.run("cluster");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines().get(0)).startsWith("Cluster: ").endsWith("\tController: 1");
        assertThat(result.lines().get(1).split("\\s+"))
                .containsExactly("BROKER", "HOST", "PORT", "RACK", "STATE", "CONTROLLER");
        assertThat(result.lines().get(2).split("\\s+"))
                .containsExactly("1", "127.0.0.1", bootstrap.split(":")[1], "-", "running", "yes");
        assertThat(result.lines()).hasSize(4);
        assertThat(result.lines().get(3)).startsWith("Partitions: ").endsWith("\tUnder-replicated: 0\tOffline: 0");
    }
}
