package io.herald.server.cluster;

import io.herald.server.metadata.DeletedTemporaryTopics;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@link MetadataStore} over the cluster image: reads come from the image this broker applied last; every change is a
 * compare-and-set of the image in the consistent store through the {@link ClusterConductor}, and returns once this
 * broker applied it (so a topic a request created is there for the next request on the same broker). New topics'
 * replicas are spread over the live registered brokers.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ClusterMetadataStore implements MetadataStore {

    private final ClusterConductor conductor;
    private final long timeoutMs;
    private final DeletedTemporaryTopics deletedTemporary = new DeletedTemporaryTopics();
    /** The topics of the image applied last; the conductor thread's only (after the constructor). */
    private Map<String, TopicImage> appliedTopics;

    public ClusterMetadataStore(ClusterConductor conductor, long timeoutMs) {
        this.conductor = conductor;
        this.timeoutMs = timeoutMs;
        this.appliedTopics = conductor.image().topics();
        conductor.addListener(this::applied);
    }

    /** Notes the temporary destinations' topics an image deleted, whoever asked for their deletion. */
    private void applied(ClusterImage image) {
        Map<String, TopicImage> now = image.topics();
        appliedTopics.forEach((name, topic) -> {
            TopicImage kept = now.get(name);
            if (kept == null || !kept.info().id().equals(topic.info().id())) {
                deletedTemporary.deleted(topic.info());
            }
        });
        appliedTopics = now;
    }

    @Override
    public DeletedTemporaryTopics deletedTemporaryTopics() {
        return deletedTemporary;
    }

    @Override
    public boolean authoritative() {
        return false;
    }

    public ClusterConductor conductor() {
        return conductor;
    }

    @Override
    public String clusterId() {
        return conductor.image().clusterId();
    }

    @Override
    public Collection<TopicInfo> topics() {
        return conductor.image().topics().values().stream()
                .map(TopicImage::info)
                .toList();
    }

    @Override
    public Optional<TopicInfo> topic(String name) {
        return conductor.image().topic(name).map(TopicImage::info);
    }

    @Override
    public Optional<TopicInfo> topic(Uuid id) {
        return conductor.image().topic(id).map(TopicImage::info);
    }

    /** Brokers that can take replicas: registered and alive. */
    public List<Integer> availableBrokers() {
        Set<Integer> live = new HashSet<>(conductor.liveNodes());
        live.retainAll(conductor.image().brokers().keySet());
        return live.stream().sorted().toList();
    }

    @Override
    public TopicInfo createTopic(String name, int partitions, Map<String, String> configs) throws IOException {
        return createTopic(name, partitions, 1, configs);
    }

    @Override
    public TopicInfo createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs)
            throws IOException {
        List<List<Integer>> assignment = ControllerLogic.assignReplicas(
                availableBrokers(),
                partitions,
                replicationFactor,
                ThreadLocalRandom.current().nextInt(1000));
        return createTopic(name, configs, assignment);
    }

    /** Creates a topic with the given replica assignment (CreateTopics with explicit assignments). */
    public TopicInfo createTopic(String name, Map<String, String> configs, List<List<Integer>> assignment)
            throws IOException {
        Uuid id = Uuid.randomUuid();
        ClusterImage written = mutate(img -> ControllerLogic.createTopic(img, name, id, configs, assignment));
        return written.topic(name).orElseThrow().info();
    }

    @Override
    public void deleteTopic(String name) throws IOException {
        mutate(img -> {
            if (img.topic(name).isEmpty()) {
                throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist.");
            }
            return img.withoutTopic(name);
        });
    }

    @Override
    public TopicInfo setPartitionCount(String name, int count) throws IOException {
        List<Integer> brokers = availableBrokers();
        ClusterImage written = mutate(img -> {
            TopicImage t = existing(img, name);
            int rf = t.partition(0).replicas().size();
            List<List<Integer>> more = ControllerLogic.assignReplicas(
                    brokers,
                    count - t.partitions().size(),
                    rf,
                    ThreadLocalRandom.current().nextInt(1000));
            List<PartitionState> states = new ArrayList<>(t.partitions());
            more.forEach(r -> states.add(PartitionState.initial(r)));
            return img.withTopic(t.withPartitions(states));
        });
        return written.topic(name).orElseThrow().info();
    }

    @Override
    public TopicInfo setTopicConfigs(String name, Map<String, String> configs) throws IOException {
        ClusterImage written = mutate(img -> img.withTopic(existing(img, name).withConfigs(configs)));
        return written.topic(name).orElseThrow().info();
    }

    @Override
    public Map<String, String> brokerConfigOverrides(String broker) {
        return conductor.image().dynamicConfigs().getOrDefault(broker, Map.of());
    }

    @Override
    public void setBrokerConfigOverrides(String broker, Map<String, String> overrides) throws IOException {
        if (!broker.isEmpty() && !broker.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("Not a broker id: '" + broker + "'");
        }
        mutate(img -> img.withDynamicConfigs(broker, overrides));
    }

    private static TopicImage existing(ClusterImage img, String name) {
        return img.topic(name)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist."));
    }

    /**
     * Applies {@code change} through the conductor and waits for it.
     *
     * @throws ApiException the change's own refusal, or a timeout if the store is unreachable
     */
    public ClusterImage mutate(UnaryOperator<ClusterImage> change) throws IOException {
        try {
            return conductor.mutate(change).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IOException("Changing the cluster metadata failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException(
                    "The cluster metadata could not be changed within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }
}
