package io.herald.console.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.util.HierarchicalNameMapper;
import java.util.Map;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Herald's meters, named after Kafka's metrics: each meter name (dotted, lower case, as Micrometer turns it into a
 * Prometheus name such as {@code kafka_server_brokertopicmetrics_bytesin_total}) and the JMX MBean Kafka publishes
 * the same metric under ({@code kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec}), with the meter's tags as
 * further key properties ({@code topic=orders}). Metrics Kafka does not have keep the same style.
 *
 * <p>Thread-safety: stateless.
 */
public final class KafkaMetricNames implements HierarchicalNameMapper {

    public static final String BYTES_IN = "kafka.server.brokertopicmetrics.bytesin";
    public static final String BYTES_OUT = "kafka.server.brokertopicmetrics.bytesout";
    public static final String MESSAGES_IN = "kafka.server.brokertopicmetrics.messagesin";
    public static final String MESSAGES_OUT = "kafka.server.brokertopicmetrics.messagesout";
    public static final String ALL_BYTES_IN = "kafka.server.brokertopicmetrics.alltopics.bytesin";
    public static final String ALL_BYTES_OUT = "kafka.server.brokertopicmetrics.alltopics.bytesout";
    public static final String ALL_MESSAGES_IN = "kafka.server.brokertopicmetrics.alltopics.messagesin";
    public static final String ALL_MESSAGES_OUT = "kafka.server.brokertopicmetrics.alltopics.messagesout";
    public static final String REQUESTS = "kafka.network.requestmetrics.requests";
    public static final String REQUEST_FAILURES = "kafka.network.requestmetrics.failures";
    public static final String REQUEST_TIME = "kafka.network.requestmetrics.totaltime";
    public static final String REQUEST_QUEUE_TIME = "kafka.network.requestmetrics.requestqueuetime";
    public static final String LOCAL_TIME = "kafka.network.requestmetrics.localtime";
    public static final String REMOTE_TIME = "kafka.network.requestmetrics.remotetime";
    public static final String RESPONSE_QUEUE_TIME = "kafka.network.requestmetrics.responsequeuetime";
    public static final String RESPONSE_SEND_TIME = "kafka.network.requestmetrics.responsesendtime";
    public static final String UNDER_REPLICATED = "kafka.server.replicamanager.underreplicatedpartitions";
    public static final String PARTITION_COUNT = "kafka.server.replicamanager.partitioncount";
    public static final String LEADER_COUNT = "kafka.server.replicamanager.leadercount";
    public static final String ISR_SHRINKS = "kafka.server.replicamanager.isrshrinks";
    public static final String ISR_EXPANDS = "kafka.server.replicamanager.isrexpands";
    public static final String BROKER_STATE = "kafka.server.kafkaserver.brokerstate";
    public static final String ACTIVE_BROKERS = "kafka.controller.kafkacontroller.activebrokercount";
    public static final String FENCED_BROKERS = "kafka.controller.kafkacontroller.fencedbrokercount";
    /** Not Kafka's: each registered broker's state as this broker sees it, tagged {@code broker}. */
    public static final String CLUSTER_BROKER_STATE = "herald.cluster.brokerstate";

    public static final String OFFLINE_PARTITIONS = "kafka.controller.kafkacontroller.offlinepartitionscount";
    public static final String ACTIVE_CONTROLLER = "kafka.controller.kafkacontroller.activecontrollercount";
    public static final String GROUP_LAG = "kafka.consumergroup.lag";
    public static final String GROUP_LAG_SUM = "kafka.consumergroup.lag.sum";
    /** Not Kafka's (it has none for share groups): records a share group has yet to deliver, per partition. */
    public static final String SHARE_GROUP_LAG = "herald.sharegroup.lag";

    public static final String SHARE_GROUP_LAG_SUM = "herald.sharegroup.lag.sum";

    /** Meter name -> Kafka's MBean name without the tags. */
    private static final Map<String, String> MBEANS = Map.ofEntries(
            Map.entry(BYTES_IN, "kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec"),
            Map.entry(BYTES_OUT, "kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec"),
            Map.entry(MESSAGES_IN, "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"),
            Map.entry(MESSAGES_OUT, "kafka.server:type=BrokerTopicMetrics,name=MessagesOutPerSec"),
            Map.entry(ALL_BYTES_IN, "kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec"),
            Map.entry(ALL_BYTES_OUT, "kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec"),
            Map.entry(ALL_MESSAGES_IN, "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"),
            Map.entry(ALL_MESSAGES_OUT, "kafka.server:type=BrokerTopicMetrics,name=MessagesOutPerSec"),
            Map.entry(REQUESTS, "kafka.network:type=RequestMetrics,name=RequestsPerSec"),
            Map.entry(REQUEST_FAILURES, "kafka.network:type=RequestMetrics,name=FailuresPerSec"),
            Map.entry(REQUEST_TIME, "kafka.network:type=RequestMetrics,name=TotalTimeMs"),
            Map.entry(REQUEST_QUEUE_TIME, "kafka.network:type=RequestMetrics,name=RequestQueueTimeMs"),
            Map.entry(LOCAL_TIME, "kafka.network:type=RequestMetrics,name=LocalTimeMs"),
            Map.entry(REMOTE_TIME, "kafka.network:type=RequestMetrics,name=RemoteTimeMs"),
            Map.entry(RESPONSE_QUEUE_TIME, "kafka.network:type=RequestMetrics,name=ResponseQueueTimeMs"),
            Map.entry(RESPONSE_SEND_TIME, "kafka.network:type=RequestMetrics,name=ResponseSendTimeMs"),
            Map.entry(UNDER_REPLICATED, "kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions"),
            Map.entry(PARTITION_COUNT, "kafka.server:type=ReplicaManager,name=PartitionCount"),
            Map.entry(LEADER_COUNT, "kafka.server:type=ReplicaManager,name=LeaderCount"),
            Map.entry(ISR_SHRINKS, "kafka.server:type=ReplicaManager,name=IsrShrinksPerSec"),
            Map.entry(ISR_EXPANDS, "kafka.server:type=ReplicaManager,name=IsrExpandsPerSec"),
            Map.entry(BROKER_STATE, "kafka.server:type=KafkaServer,name=BrokerState"),
            Map.entry(ACTIVE_BROKERS, "kafka.controller:type=KafkaController,name=ActiveBrokerCount"),
            Map.entry(FENCED_BROKERS, "kafka.controller:type=KafkaController,name=FencedBrokerCount"),
            Map.entry(CLUSTER_BROKER_STATE, "herald:type=Cluster,name=BrokerState"),
            Map.entry(OFFLINE_PARTITIONS, "kafka.controller:type=KafkaController,name=OfflinePartitionsCount"),
            Map.entry(ACTIVE_CONTROLLER, "kafka.controller:type=KafkaController,name=ActiveControllerCount"),
            Map.entry(GROUP_LAG, "kafka.server:type=ConsumerGroupMetrics,name=Lag"),
            Map.entry(GROUP_LAG_SUM, "kafka.server:type=ConsumerGroupMetrics,name=LagSum"),
            Map.entry(SHARE_GROUP_LAG, "herald:type=ShareGroupMetrics,name=Lag"),
            Map.entry(SHARE_GROUP_LAG_SUM, "herald:type=ShareGroupMetrics,name=LagSum"));

    /** The JMX object name of a meter, as {@link #toHierarchicalName} writes it. */
    @Override
    public String toHierarchicalName(Meter.Id id, NamingConvention convention) {
        StringBuilder name = new StringBuilder(
                MBEANS.getOrDefault(id.getName(), "herald:type=Metrics,name=" + ObjectName.quote(id.getName())));
        for (Tag tag : id.getTagsAsIterable()) {
            name.append(',').append(tag.getKey()).append('=').append(quoteIfNeeded(tag.getValue()));
        }
        return name.toString();
    }

    /** The JMX object name for a name {@link #toHierarchicalName} wrote. */
    static ObjectName objectName(String hierarchicalName) {
        try {
            return new ObjectName(hierarchicalName);
        } catch (MalformedObjectNameException e) {
            try {
                return new ObjectName("herald:type=Metrics,name=" + ObjectName.quote(hierarchicalName));
            } catch (MalformedObjectNameException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** The value as an ObjectName key property: as it is when it may stand there, quoted otherwise. */
    static String quoteIfNeeded(String value) {
        return value.isEmpty() || value.chars().anyMatch(c -> ",=:\"*?\n".indexOf(c) >= 0)
                ? ObjectName.quote(value)
                : value;
    }
}
