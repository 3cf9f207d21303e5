package io.herald.dist.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine.Command;

/**
 * {@code herald cluster}: the cluster id, the controller, every broker with its address and state, and how many
 * partitions are under-replicated or offline, through kafka-clients' {@link Admin} (DescribeCluster with fenced
 * brokers, KIP-1073, and DescribeTopics of every topic, internal ones included).
 *
 * <p>A broker is {@code running} when the cluster sees it, {@code fenced} when it is registered but the cluster does
 * not see it (down or cut off); a broker that does not know fenced brokers (older than DescribeCluster v2) lists only
 * the running ones.
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "cluster",
        description = "Shows the cluster: its id, the controller, the brokers with their state, and how many partitions"
                + " are under-replicated or offline.",
        mixinStandardHelpOptions = true)
final class ClusterCommand extends CliCommand {

    @Override
    int run() throws Exception {
        try (Admin admin = clients().admin()) {
            DescribeClusterResult cluster =
                    admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true));
            String clusterId = cluster.clusterId().get();
            Node controller = cluster.controller().get();
            Collection<Node> brokers = cluster.nodes().get();
            int controllerId = controller == null || controller.isEmpty() ? -1 : controller.id();
            out().println("Cluster: " + clusterId + "\tController: " + (controllerId < 0 ? "none" : controllerId));
            Table table = new Table("BROKER", "HOST", "PORT", "RACK", "STATE", "CONTROLLER");
            brokers.stream()
                    .sorted(Comparator.comparingInt(Node::id))
                    .forEach(b -> table.row(
                            b.id(),
                            b.host(),
                            b.port(),
                            b.hasRack() ? b.rack() : "-",
                            b.isFenced() ? "fenced" : "running",
                            b.id() == controllerId ? "yes" : ""));
            table.print(out());
            printPartitionHealth(admin);
        }
        return HeraldCli.EXIT_OK;
    }

    private void printPartitionHealth(Admin admin) throws Exception {
        Collection<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true))
                .names()
                .get();
        Map<String, TopicDescription> topics = admin.describeTopics(TopicCollection.ofTopicNames(names))
                .allTopicNames()
                .get();
        int partitions = 0;
        int underReplicated = 0;
        int offline = 0;
        for (TopicDescription d : topics.values()) {
            List<TopicPartitionInfo> ps = d.partitions();
            for (TopicPartitionInfo p : ps) {
                partitions++;
                if (p.leader() == null || p.leader().isEmpty()) {
                    offline++;
                } else if (p.isr().size() < p.replicas().size()) {
                    underReplicated++;
                }
            }
        }
        out().println("Partitions: " + partitions + "\tUnder-replicated: " + underReplicated + "\tOffline: " + offline);
    }
}
