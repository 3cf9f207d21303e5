package io.herald.console.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import io.herald.server.api.BrokerAdmin;
import io.herald.server.api.GroupAdmin;
import io.herald.server.api.ShareGroupAdmin;
import io.herald.server.metrics.BrokerMetrics;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's metrics in Micrometer, registered twice: in a Prometheus registry (scraped at {@code /metrics}, with
 * the JVM's own metrics) and in a JMX registry whose MBean names are Kafka's ({@link KafkaMetricNames}).
 *
 * <p>Traffic and request meters read the broker's counters ({@link BrokerMetrics}) when scraped. Meters of a topic
 * appear with its first traffic and go when the topic is deleted; those of an API key with its first request. The
 * replica and cluster gauges read a state {@link #refresh} computes, and the consumer-group lag gauges are rebuilt by
 * {@link #refreshGroups}, both called by the console's sampler thread.
 *
 * <p>As in Kafka, the replica gauges (partitions, leaders, under-replicated) count this broker's own replicas, so
 * summing them over the brokers counts each partition once; the controller gauges (offline partitions, active and
 * fenced brokers) are reported by the controller only, 0 elsewhere; the active-controller gauge is 1 on the controller.
 * Herald's own {@code herald.cluster.brokerstate} gauge, tagged with each registered broker's id, is 1 for a running
 * broker and 0 for one membership does not see (down or cut off), as this broker sees it.
 *
 * <p>Thread-safety: thread-safe; {@link #refresh} and {@link #refreshGroups} are called by one thread.
 */
public final class ConsoleMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleMetrics.class);

    private final BrokerAdmin admin;
    private final PrometheusMeterRegistry prometheus;
    private final JmxMeterRegistry jmx;
    private final List<MeterRegistry> registries;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, List<Meter>> topicMeters = new HashMap<>();
    private final Map<ApiKeys, List<Meter>> apiMeters = new HashMap<>();
    private final List<MultiGauge> lag = new ArrayList<>();
    private final List<MultiGauge> lagSum = new ArrayList<>();
    private final List<MultiGauge> shareLag = new ArrayList<>();
    private final List<MultiGauge> shareLagSum = new ArrayList<>();
    private final List<MultiGauge> brokerStates = new ArrayList<>();
    private volatile BrokerAdmin.ClusterState cluster;
    private volatile BrokerAdmin.ReplicaState replicas;

    private ConsoleMetrics(BrokerAdmin admin) {
        this.admin = admin;
        this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricRegistry dropwizard = new MetricRegistry();
        JmxReporter reporter = JmxReporter.forRegistry(dropwizard)
                .createsObjectNamesWith((type, domain, name) -> KafkaMetricNames.objectName(name))
                .build();
        this.jmx = new JmxMeterRegistry(JmxConfig.DEFAULT, Clock.SYSTEM, new KafkaMetricNames(), dropwizard, reporter);
        this.registries = List.of(prometheus, jmx);
    }

    /** Creates the registries and the broker-wide meters. */
    public static ConsoleMetrics start(BrokerAdmin admin) {
        ConsoleMetrics m = new ConsoleMetrics(admin);
        m.bindBrokerMeters();
        m.refresh();
        return m;
    }

    private void bindBrokerMeters() {
        BrokerMetrics.Traffic total = admin.metrics().total();
        for (MeterRegistry r : registries) {
            counter(r, KafkaMetricNames.ALL_BYTES_IN, Tags.empty(), total, BrokerMetrics.Traffic::bytesIn, "bytes");
            counter(r, KafkaMetricNames.ALL_BYTES_OUT, Tags.empty(), total, BrokerMetrics.Traffic::bytesOut, "bytes");
            counter(r, KafkaMetricNames.ALL_MESSAGES_IN, Tags.empty(), total, BrokerMetrics.Traffic::messagesIn, null);
            counter(
                    r,
                    KafkaMetricNames.ALL_MESSAGES_OUT,
                    Tags.empty(),
                    total,
                    BrokerMetrics.Traffic::messagesOut,
                    null);
            bindReplicaAndControllerMeters(r);
            lag.add(MultiGauge.builder(KafkaMetricNames.GROUP_LAG)
                    .description("Messages a consumer group has yet to consume in a partition")
                    .register(r));
            lagSum.add(MultiGauge.builder(KafkaMetricNames.GROUP_LAG_SUM)
                    .description("Messages a consumer group has yet to consume, over all its partitions")
                    .register(r));
            shareLag.add(MultiGauge.builder(KafkaMetricNames.SHARE_GROUP_LAG)
                    .description("Records a share group has yet to deliver in a partition (available)")
                    .register(r));
            shareLagSum.add(MultiGauge.builder(KafkaMetricNames.SHARE_GROUP_LAG_SUM)
                    .description("Records a share group has yet to deliver, over all its partitions")
                    .register(r));
        }
        new JvmMemoryMetrics().bindTo(prometheus);
        gc.bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ClassLoaderMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
    }

    private void bindReplicaAndControllerMeters(MeterRegistry r) {
        gauge(r, KafkaMetricNames.PARTITION_COUNT, c -> c.replicas == null ? 0 : c.replicas.partitions());
        gauge(r, KafkaMetricNames.LEADER_COUNT, c -> c.replicas == null ? 0 : c.replicas.leaders());
        gauge(
                r,
                KafkaMetricNames.UNDER_REPLICATED,
                c -> c.replicas == null ? 0 : c.replicas.underReplicatedPartitions());
        BrokerMetrics counters = admin.metrics();
        counter(r, KafkaMetricNames.ISR_SHRINKS, Tags.empty(), counters, BrokerMetrics::isrShrinks, null);
        counter(r, KafkaMetricNames.ISR_EXPANDS, Tags.empty(), counters, BrokerMetrics::isrExpands, null);
        // Kafka's RUNNING: the meters exist only while the broker serves.
        Gauge.builder(KafkaMetricNames.BROKER_STATE, () -> 3).register(r);
        gauge(r, KafkaMetricNames.OFFLINE_PARTITIONS, c -> c.isController() ? c.cluster.offlinePartitions() : 0);
        gauge(r, KafkaMetricNames.ACTIVE_CONTROLLER, c -> c.isController() ? 1 : 0);
        gauge(r, KafkaMetricNames.ACTIVE_BROKERS, c -> c.isController() ? c.brokersIn(BrokerAdmin.RUNNING) : 0);
        gauge(r, KafkaMetricNames.FENCED_BROKERS, c -> c.isController() ? c.brokersIn(BrokerAdmin.OFFLINE) : 0);
        brokerStates.add(MultiGauge.builder(KafkaMetricNames.CLUSTER_BROKER_STATE)
                .description("1 for a registered broker that runs, 0 for one membership does not see")
                .register(r));
    }

    private boolean isController() {
        BrokerAdmin.ClusterState c = cluster;
        return c != null && c.controllerId() == admin.nodeId();
    }

    private int brokersIn(String state) {
        BrokerAdmin.ClusterState c = cluster;
        return c == null
                ? 0
                : (int) c.brokers().stream()
                        .filter(b -> b.state().equals(state))
                        .count();
    }

    private static <T> FunctionCounter counter(
            MeterRegistry r, String name, Tags tags, T obj, ToDoubleFunction<T> f, String unit) {
        return FunctionCounter.builder(name, obj, f).tags(tags).baseUnit(unit).register(r);
    }

    /** A timer of requests: their count and {@code nanos}, the sum of one stage's time. */
    private static FunctionTimer time(
            MeterRegistry r,
            String name,
            Tags tags,
            BrokerMetrics.Requests requests,
            ToLongFunction<BrokerMetrics.Requests> nanos,
            String description) {
        return FunctionTimer.builder(
                        name, requests, BrokerMetrics.Requests::count, nanos::applyAsLong, TimeUnit.NANOSECONDS)
                .tags(tags)
                .description(description)
                .register(r);
    }

    private void gauge(MeterRegistry r, String name, ToDoubleFunction<ConsoleMetrics> f) {
        Gauge.builder(name, this, f).register(r);
    }

    /** Adds the meters of topics and API keys that appeared, drops those of deleted topics, updates the cluster gauges. */
    public synchronized void refresh() {
        cluster = admin.cluster();
        replicas = admin.replicas();
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        for (BrokerAdmin.BrokerState b : cluster.brokers()) {
            states.add(MultiGauge.Row.of(
                    Tags.of("broker", String.valueOf(b.id())), b.state().equals(BrokerAdmin.RUNNING) ? 1 : 0));
        }
        brokerStates.forEach(m -> m.register(states, true));
        Map<String, BrokerMetrics.Traffic> topics = admin.metrics().topics();
        topics.forEach((topic, traffic) -> topicMeters.computeIfAbsent(topic, t -> {
            List<Meter> meters = new ArrayList<>();
            Tags tags = Tags.of("topic", t);
            for (MeterRegistry r : registries) {
                meters.add(
                        counter(r, KafkaMetricNames.BYTES_IN, tags, traffic, BrokerMetrics.Traffic::bytesIn, "bytes"));
                meters.add(counter(
                        r, KafkaMetricNames.BYTES_OUT, tags, traffic, BrokerMetrics.Traffic::bytesOut, "bytes"));
                meters.add(counter(
                        r, KafkaMetricNames.MESSAGES_IN, tags, traffic, BrokerMetrics.Traffic::messagesIn, null));
                meters.add(counter(
                        r, KafkaMetricNames.MESSAGES_OUT, tags, traffic, BrokerMetrics.Traffic::messagesOut, null));
            }
            return meters;
        }));
        topicMeters.entrySet().removeIf(e -> {
            if (topics.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().forEach(this::remove);
            return true;
        });
        admin.metrics().requests().forEach((api, requests) -> {
            if (requests.count() > 0) {
                apiMeters.computeIfAbsent(api, a -> {
                    List<Meter> meters = new ArrayList<>();
                    Tags tags = Tags.of("request", a.name);
                    for (MeterRegistry r : registries) {
                        meters.add(counter(
                                r,
                                KafkaMetricNames.REQUESTS,
                                tags,
                                requests,
                                BrokerMetrics.Requests::count,
                                "requests"));
                        meters.add(counter(
                                r,
                                KafkaMetricNames.REQUEST_FAILURES,
                                tags,
                                requests,
                                BrokerMetrics.Requests::failed,
                                "requests"));
                        meters.add(time(
                                r,
                                KafkaMetricNames.REQUEST_TIME,
                                tags,
                                requests,
                                BrokerMetrics.Requests::totalNanos,
                                "Time from reading a request to writing the last byte of its response"));
                        meters.add(time(
                                r,
                                KafkaMetricNames.REQUEST_QUEUE_TIME,
                                tags,
                                requests,
                                BrokerMetrics.Requests::requestQueueNanos,
                                "Time a request waited for a handler thread"));
                        meters.add(time(
                                r,
                                KafkaMetricNames.LOCAL_TIME,
                                tags,
                                requests,
                                BrokerMetrics.Requests::localNanos,
                                "Time a request spent in its handler"));
                        meters.add(time(
                                r,
                                KafkaMetricNames.REMOTE_TIME,
                                tags,
                                requests,
                                BrokerMetrics.Requests::remoteNanos,
                                "Time a request waited, after its handler, for what its answer needs (fsync,"
                                        + " replicas, a long poll's records)"));
                        meters.add(time(
                                r,
                                KafkaMetricNames.RESPONSE_QUEUE_TIME,
                                tags,
                                requests,
                                BrokerMetrics.Requests::responseQueueNanos,
                                "Time a response waited for its network thread"));
                        meters.add(time(
                                r,
                                KafkaMetricNames.RESPONSE_SEND_TIME,
                                tags,
                                requests,
                                BrokerMetrics.Requests::responseSendNanos,
                                "Time spent writing a response to the socket"));
                    }
                    return meters;
                });
            }
        });
    }

    private void remove(Meter meter) {
        for (MeterRegistry r : registries) {
            r.remove(meter);
        }
    }

    /** Recomputes every consumer and share group's lag per partition and in total. */
    public synchronized void refreshGroups() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        List<MultiGauge.Row<?>> sums = new ArrayList<>();
        List<MultiGauge.Row<?>> shareRows = new ArrayList<>();
        List<MultiGauge.Row<?>> shareSums = new ArrayList<>();
        try {
            for (GroupAdmin.GroupSummary summary : admin.groups().list()) {
                GroupAdmin.GroupState g = admin.groups().describe(summary.groupId());
                for (GroupAdmin.PartitionLag p : g.offsets()) {
                    if (p.lag() >= 0) {
                        rows.add(partitionRow(g.groupId(), p.topic(), p.partition(), p.lag()));
                    }
                }
                sums.add(MultiGauge.Row.of(Tags.of("group", g.groupId()), g.totalLag()));
            }
            for (ShareGroupAdmin.ShareGroupState g : admin.shareGroups().describeAll()) {
                for (ShareGroupAdmin.SharePartitionState p : g.partitions()) {
                    shareRows.add(partitionRow(g.groupId(), p.topic(), p.partition(), p.available()));
                }
                shareSums.add(MultiGauge.Row.of(Tags.of("group", g.groupId()), g.totalLag()));
            }
        } catch (ApiException e) {
            log.debug("Group lag not refreshed: {}", e.getMessage());
            return;
        }
        lag.forEach(m -> m.register(rows, true));
        lagSum.forEach(m -> m.register(sums, true));
        shareLag.forEach(m -> m.register(shareRows, true));
        shareLagSum.forEach(m -> m.register(shareSums, true));
    }

    private static MultiGauge.Row<?> partitionRow(String group, String topic, int partition, long value) {
        return MultiGauge.Row.of(
                Tags.of("group", group, "topic", topic, "partition", String.valueOf(partition)), value);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return prometheus.scrape();
    }

    @Override
    public synchronized void close() {
        gc.close();
        jmx.close();
        prometheus.close();
    }
}
