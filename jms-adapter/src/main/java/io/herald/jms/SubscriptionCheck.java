package io.herald.jms;

import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Jakarta Messaging 3.1 §8.3.2-§8.3.4 to a durable or shared subscription that a new consumer names with a
 * different topic, selector or {@code noLocal} than the one it has: refused while the subscription has an active
 * consumer, and otherwise the old subscription is deleted (as by {@code unsubscribe}) so that the new consumer starts
 * a fresh one.
 *
 * <p>Design note: what a subscription is is read from the broker, so this holds across connections and processes.
 * Its topic: the topics assigned to the share group's members (ShareGroupDescribe) while it has any, else the topics
 * it keeps share state for (DescribeShareGroupOffsets); a group that is still joining (a member without an
 * assignment) counts as active on an unknown topic, so it is left alone. Its selector and {@code noLocal}: the group
 * configs {@value #SELECTOR} and {@value #NO_LOCAL} that the consumer creating it wrote (IncrementalAlterConfigs),
 * which the broker keeps in {@code __share_group_state} and so every broker of a cluster answers alike
 * (DescribeConfigs). A subscription without them (created before they were recorded, or by a user not allowed to
 * describe or alter the group's configs) is not compared on them.
 *
 * <p>Thread-safety: thread-safe (stateless beyond the thread-safe admin client).
 */
final class SubscriptionCheck {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionCheck.class);

    /** The group config that records a subscription's selector (empty: none). */
    static final String SELECTOR = "herald.jms.subscription.selector";
    /** The group config that records a subscription's {@code noLocal}. */
    static final String NO_LOCAL = "herald.jms.subscription.no.local";

    /** What a consumer asks of a subscription beyond its topic: its selector ({@code null} for none) and noLocal. */
    record Filter(String selector, boolean noLocal) {

        /**
         * The filter of a consumer with {@code selector} (null or blank: none), checked before anything is changed.
         *
         * @throws InvalidSelectorException if the selector does not parse
         */
        static Filter of(String selector, boolean noLocal) throws InvalidSelectorException {
            String text = Selectors.normalize(selector);
            if (text != null) {
                Selectors.compile(text);
            }
            return new Filter(text, noLocal);
        }

        @Override
        public String toString() {
            return (selector == null ? "no selector" : "selector '" + selector + "'") + (noLocal ? " and noLocal" : "");
        }
    }

    private final Admin admin;
    private final Duration timeout;

    SubscriptionCheck(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Makes share group {@code group}, which keeps subscription {@code name}, ready for a consumer on {@code topic}
     * with {@code filter}.
     *
     * @throws JMSException if the subscription is on another topic or has another filter and has an active consumer,
     *     or if the broker cannot be asked
     */
    void prepare(String group, String name, String topic, Filter filter) throws JMSException {
        try {
            Optional<ShareGroupDescription> described = describe(group);
            Optional<Filter> recorded = recorded(group);
            boolean replaced = false;
            if (described.isPresent() && !described.get().members().isEmpty()) {
                Set<String> active = described.get().members().stream()
                        .flatMap(m -> m.assignment().topicPartitions().stream())
                        .map(TopicPartition::topic)
                        .collect(Collectors.toSet());
                if (!active.isEmpty() && !active.equals(Set.of(topic))) {
                    throw new JMSException("Subscription '" + name + "' is on topic " + String.join(", ", active)
                            + " and has an active consumer: it cannot be changed to topic " + topic
                            + " until its consumers are closed");
                }
                if (recorded.isPresent() && !recorded.get().equals(filter)) {
                    throw new JMSException("Subscription '" + name + "' has an active consumer with "
                            + recorded.get() + ": a consumer with " + filter
                            + " cannot use it until its consumers are closed");
                }
            } else if (described.isPresent()) {
                Map<TopicPartition, ?> state = admin.listShareGroupOffsets(
                                Map.of(group, new ListShareGroupOffsetsSpec()))
                        .partitionsToOffsetInfo(group)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                boolean otherTopic =
                        state.keySet().stream().anyMatch(tp -> !tp.topic().equals(topic));
                if (otherTopic || (recorded.isPresent() && !recorded.get().equals(filter))) {
                    // the spec's "as if unsubscribed and created anew": its unconsumed messages go with it
                    admin.deleteShareGroups(List.of(group)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    replaced = true;
                }
            }
            if (replaced || !recorded.equals(Optional.of(filter))) {
                record(group, filter);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw JmsErrors.of("Cannot check subscription " + name + " with the broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.of("Interrupted while checking subscription " + name, e);
        }
    }

    private Optional<ShareGroupDescription> describe(String group)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            return Optional.of(admin.describeShareGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty(); // a new subscription
            }
            throw e;
        }
    }

    /** The filter recorded for the subscription of {@code group}, if one is. */
    private Optional<Filter> recorded(String group) throws ExecutionException, TimeoutException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        Config config;
        try {
            config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupAuthorizationException) {
                log.debug("Not allowed to describe the configs of {}: its selector is not compared", group);
                return Optional.empty();
            }
            throw e;
        }
        ConfigEntry selector = config == null ? null : config.get(SELECTOR);
        if (selector == null || selector.source() != ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG) {
            return Optional.empty();
        }
        ConfigEntry noLocal = config.get(NO_LOCAL);
        String text = Objects.requireNonNullElse(selector.value(), "");
        return Optional.of(
                new Filter(text.isEmpty() ? null : text, noLocal != null && Boolean.parseBoolean(noLocal.value())));
    }

    private void record(String group, Filter filter) throws ExecutionException, TimeoutException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        List<AlterConfigOp> ops = List.of(
                new AlterConfigOp(
                        new ConfigEntry(SELECTOR, filter.selector() == null ? "" : filter.selector()),
                        AlterConfigOp.OpType.SET),
                new AlterConfigOp(
                        new ConfigEntry(NO_LOCAL, String.valueOf(filter.noLocal())), AlterConfigOp.OpType.SET));
        try {
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupAuthorizationException) {
                log.debug("Not allowed to alter the configs of {}: its selector is not recorded", group);
                return;
            }
            throw e;
        }
    }
}
