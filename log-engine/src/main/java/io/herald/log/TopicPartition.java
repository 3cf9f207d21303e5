package io.herald.log;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A partition of a topic, and the name of its directory in a data directory: {@code <topic>-<partition>}.
 *
 * @param topic the topic's name: 1 to 249 characters among {@code [a-zA-Z0-9._-]}, as in Kafka
 * @param partition the partition number, from 0
 */
public record TopicPartition(String topic, int partition) {

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (!isLegalTopicName(topic)) {
            throw new IllegalArgumentException(
                    "Illegal topic name '" + topic + "': use 1 to 249 of [a-zA-Z0-9._-], and not '.' or '..'");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("Negative partition " + partition);
        }
    }

    public static boolean isLegalTopicName(String topic) {
        return LEGAL_TOPIC.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..");
    }

    /** The directory name of this partition. */
    public String dirName() {
        return topic + "-" + partition;
    }

    /**
     * Parses a partition directory name.
     *
     * @throws IllegalArgumentException if the name is not {@code <legal topic>-<partition>}
     */
    public static TopicPartition parse(String dirName) {
        int dash = dirName.lastIndexOf('-');
        if (dash <= 0 || dash == dirName.length() - 1) {
            throw new IllegalArgumentException("'" + dirName + "' is not of the form <topic>-<partition>");
        }
        int partition;
        try {
            partition = Integer.parseInt(dirName.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + dirName + "' does not end with a partition number", e);
        }
        return new TopicPartition(dirName.substring(0, dash), partition);
    }

    @Override
    public String toString() {
        return dirName();
    }
}
