package io.herald.log;

import java.util.Objects;

/**
 * A partition of a topic, and the name of its directory in a data directory: {@code <topic>-<partition>}.
 *
 * @param topic the topic's name: 1 to 249 characters among {@code [a-zA-Z0-9._-]}, as in Kafka
 * @param partition the partition number, from 0
 */
public record TopicPartition(String topic, int partition) {

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
        int n = topic.length();
        if (n == 0 || n > 249 || topic.equals(".") || topic.equals("..")) {
            return false;
        }
        // A loop rather than a regex: this runs for every partition of every produce and fetch request.
        for (int i = 0; i < n; i++) {
            char c = topic.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!legal) {
                return false;
            }
        }
        return true;
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
