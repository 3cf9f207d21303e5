package io.herald.jms;

import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Applies Jakarta Messaging 3.1 §8.3.2-§8.3.4 to a durable or shared subscription that a new consumer names with a
 * different topic than the one it has: refused while the subscription has an active consumer, and otherwise the old
 * subscription is deleted (as by {@code unsubscribe}) so that the new consumer starts a fresh one on its topic.
 *
 * <p>Design note: the subscription's topic is read from the broker, so this holds across connections and processes:
 * the topics assigned to the share group's members (ShareGroupDescribe) while it has any, else the topics it keeps
 * share state for (DescribeShareGroupOffsets). A group that is still joining (a member without an assignment) counts
 * as active on an unknown topic, so it is left alone.
 *
 * <p>Thread-safety: thread-safe (stateless beyond the thread-safe admin client).
 */
final class SubscriptionTopicCheck {

    private final Admin admin;
    private final Duration timeout;

    SubscriptionTopicCheck(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Makes share group {@code group}, which keeps subscription {@code name}, ready for a consumer on {@code topic}.
     *
     * @throws JMSException if the subscription is on another topic and has an active consumer, or if the broker
     *     cannot be asked
     */
    void prepare(String group, String name, String topic) throws JMSException {
        try {
            ShareGroupDescription d;
            try {
                d = admin.describeShareGroups(List.of(group))
                        .describedGroups()
                        .get(group)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    return; // a new subscription
                }
                throw e;
            }
            if (!d.members().isEmpty()) {
                Set<String> active = d.members().stream()
                        .flatMap(m -> m.assignment().topicPartitions().stream())
                        .map(TopicPartition::topic)
                        .collect(Collectors.toSet());
                if (!active.isEmpty() && !active.equals(Set.of(topic))) {
                    throw new JMSException("Subscription '" + name + "' is on topic " + String.join(", ", active)
                            + " and has an active consumer: it cannot be changed to topic " + topic
                            + " until its consumers are closed");
                }
                return;
            }
            Map<TopicPartition, ?> state = admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo(group)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            boolean otherTopic =
                    state.keySet().stream().anyMatch(tp -> !tp.topic().equals(topic));
            if (otherTopic) {
                // the spec's "as if unsubscribed and created anew": its unconsumed messages go with it
                admin.deleteShareGroups(List.of(group)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw JmsErrors.of("Cannot check subscription " + name + " with the broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.of("Interrupted while checking subscription " + name, e);
        }
    }
}
