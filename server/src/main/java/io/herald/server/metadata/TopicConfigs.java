package io.herald.server.metadata;

import io.herald.log.LogConfig;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * Validation of topic configuration overrides: the log's keys ({@link LogConfig#KEYS}) and the few topic keys the
 * broker itself owns. Anything else is refused with {@code INVALID_CONFIG}, naming the key.
 *
 * <p>Thread-safety: stateless.
 */
public final class TopicConfigs {

    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String COMPRESSION_TYPE = "compression.type";

    /** Topic keys the broker owns, beyond the log's. */
    public static final Set<String> BROKER_TOPIC_KEYS =
            Set.of(MIN_INSYNC_REPLICAS, UNCLEAN_LEADER_ELECTION_ENABLE, COMPRESSION_TYPE);

    private TopicConfigs() {}

    /**
     * Checks every override.
     *
     * @throws InvalidConfigurationException naming the first bad key and why
     */
    public static void validate(Map<String, String> overrides, LogConfig defaults) {
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (value == null) {
                throw new InvalidConfigurationException("Null value for topic config " + key);
            }
            if (LogConfig.isLogKey(key)) {
                try {
                    defaults.with(Map.of(key, value));
                } catch (IllegalArgumentException ex) {
                    throw new InvalidConfigurationException(ex.getMessage());
                }
            } else if (key.equals(MIN_INSYNC_REPLICAS)) {
                requireInt(key, value, 1);
            } else if (key.equals(UNCLEAN_LEADER_ELECTION_ENABLE)) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new InvalidConfigurationException(
                            "Invalid value '" + value + "' for " + key + ": expected true or false");
                }
            } else if (key.equals(COMPRESSION_TYPE)) {
                if (!value.equals("producer")) {
                    throw new InvalidConfigurationException("compression.type=" + value + " is not supported: Herald"
                            + " stores batches exactly as the producer compressed them (compression.type=producer);"
                            + " set compression on the producer instead");
                }
            } else {
                throw new InvalidConfigurationException("Unknown topic config " + key);
            }
        }
    }

    private static void requireInt(String key, String value, int min) {
        try {
            if (Integer.parseInt(value.trim()) >= min) {
                return;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new InvalidConfigurationException(
                "Invalid value '" + value + "' for " + key + ": expected an int >= " + min);
    }

    /** Whether {@code key} is a topic configuration key. */
    public static boolean isTopicKey(String key) {
        return LogConfig.isLogKey(key) || BROKER_TOPIC_KEYS.contains(key);
    }
}
