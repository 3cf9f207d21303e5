package io.herald.server.metadata;

/**
 * The topics of JMS temporary queues and topics, {@code jms.temp.<connection id>.<uuid>}: the JMS provider creates
 * each with CreateTopics and the broker deletes it with its connection ({@code TemporaryDestinationReaper}).
 *
 * <p>Design note: such a topic is never created on use, even with {@code auto.create.topics.enable}: a producer
 * replying to a temporary queue that its connection has deleted would otherwise bring it back, empty and owned by
 * nobody. Because the broker holds this rule, a provider can send to another connection's temporary destination as
 * to any other, without asking first whether it still exists: a send to a deleted one fails with
 * {@code UNKNOWN_TOPIC_OR_PARTITION}.
 *
 * <p>Thread-safety: stateless.
 */
public final class TemporaryTopics {

    /** The name prefix of every temporary destination's topic. */
    public static final String PREFIX = "jms.temp.";

    private TemporaryTopics() {}

    /** Whether {@code topic} is the topic of a JMS temporary destination, which only CreateTopics may create. */
    public static boolean isTemporary(String topic) {
        return topic.startsWith(PREFIX);
    }
}
