package io.herald.server.metadata;

/**
 * The topics of JMS temporary queues and topics, {@code jms.temp.<connection id>.<uuid>}: the JMS provider creates
 * each with CreateTopics and the broker deletes it with its connection ({@code TemporaryDestinationReaper}).
 *
 * <p>Design note: such a topic is never created on use, even with {@code auto.create.topics.enable}: a producer
 * replying to a temporary queue that its connection has deleted would otherwise bring it back, empty and owned by
 * nobody. And as its name is never used again, one that is gone is gone for good: Metadata and Produce answer it with
 * {@code INVALID_TOPIC_EXCEPTION}, which clients do not retry, instead of {@code UNKNOWN_TOPIC_OR_PARTITION}, which
 * they retry until their timeout. So a provider sends to another connection's temporary destination as to any other,
 * without asking first whether it still exists, and a send to a deleted one fails at once. A broker knows a topic is
 * gone if it has no such topic and its view is the metadata store itself, or if it applied the topic's deletion
 * ({@link DeletedTemporaryTopics}); otherwise (a cluster broker that started after the deletion) the topic is answered
 * as unknown, and the client's timeout decides.
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

    /** Whether {@code topic}, which {@code metadata} does not have, is a temporary destination's topic gone for good. */
    public static boolean gone(MetadataStore metadata, String topic) {
        return isTemporary(topic)
                && (metadata.authoritative()
                        || metadata.deletedTemporaryTopics().contains(topic));
    }

    /** The message of the error that answers a request naming {@code topic}, a temporary destination's topic gone. */
    public static String goneMessage(String topic) {
        return "Topic " + topic + " of a JMS temporary destination was deleted (it is never created again)";
    }
}
