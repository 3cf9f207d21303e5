package io.herald.server.share;

import io.herald.server.config.ConfigDescriber.Described;
import io.herald.server.config.ConfigDescriber.Synonym;
import io.herald.server.queue.MessageSelector;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The configuration of one share group: Kafka's group config keys for share groups (set with IncrementalAlterConfigs
 * on a {@code GROUP} resource, e.g. {@code kafka-configs --entity-type groups}), Kafka 4.4's dead-letter keys
 * (KIP-1191), and Herald's {@code herald.jms.*} keys. A key that is not set takes the broker's value ({@link
 * ShareGroupConfig}) or its default here.
 *
 * <p>Thread-safety: stateless; {@link Settings} is immutable.
 */
public final class ShareGroupConfigs {

    public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms";
    public static final String SESSION_TIMEOUT_MS = "share.session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "share.heartbeat.interval.ms";
    public static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";
    public static final String PARTITION_MAX_RECORD_LOCKS = "share.partition.max.record.locks";
    public static final String ISOLATION_LEVEL = "share.isolation.level";
    public static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";
    public static final String DLQ_COPY_RECORD = "errors.deadletterqueue.copy.record.enable";
    /**
     * Herald extension: the group serves JMS semantics: records past their {@code JMSExpiration} are archived, records
     * before their {@code JMSDeliveryTime} wait, and higher {@code JMSPriority} records are acquired first.
     */
    public static final String JMS_SEMANTICS = "herald.jms.semantics";

    /**
     * Herald extension: the JMS message selector of the durable or shared subscription the group keeps, empty for
     * none. The JMS provider records it when a consumer creates the subscription, and compares a later consumer's
     * with it, on any connection and any broker of the cluster (Jakarta Messaging 3.1 §8.3.2-§8.3.4).
     */
    public static final String JMS_SUBSCRIPTION_SELECTOR = "herald.jms.subscription.selector";
    /** Herald extension: the JMS {@code noLocal} of the durable subscription the group keeps (as the selector). */
    public static final String JMS_SUBSCRIPTION_NO_LOCAL = "herald.jms.subscription.no.local";

    /**
     * A group key: its type, its default in words (the broker's value where it has one) and the values it accepts.
     */
    record Key(
            String name,
            ConfigType type,
            String defaultValue,
            Predicate<String> valid,
            String validValues,
            String doc) {}

    static final List<Key> KEYS = List.of(
            new Key(
                    AUTO_OFFSET_RESET,
                    ConfigType.STRING,
                    "latest",
                    ShareGroupConfigs::validReset,
                    "latest, earliest or by_duration:<ISO-8601 duration>",
                    "Where a share partition without state starts: the log end, the log start, or the first record at"
                            + " most the duration old."),
            new Key(
                    RECORD_LOCK_DURATION_MS,
                    ConfigType.INT,
                    null,
                    positiveInt(),
                    "an int >= 1",
                    "How long a member holds a record it acquired."),
            new Key(
                    SESSION_TIMEOUT_MS,
                    ConfigType.INT,
                    null,
                    positiveInt(),
                    "an int >= 1",
                    "Session timeout of the group's members."),
            new Key(
                    HEARTBEAT_INTERVAL_MS,
                    ConfigType.INT,
                    null,
                    positiveInt(),
                    "an int >= 1",
                    "Heartbeat interval given to the group's members."),
            new Key(
                    DELIVERY_COUNT_LIMIT,
                    ConfigType.INT,
                    null,
                    positiveInt(),
                    "an int >= 1",
                    "Deliveries of a record before it is archived (and dead-lettered)."),
            new Key(
                    PARTITION_MAX_RECORD_LOCKS,
                    ConfigType.INT,
                    null,
                    positiveInt(),
                    "an int >= 1",
                    "Most in-flight records of one share partition."),
            new Key(
                    ISOLATION_LEVEL,
                    ConfigType.STRING,
                    "read_uncommitted",
                    v -> v.equals("read_uncommitted") || v.equals("read_committed"),
                    "read_uncommitted or read_committed",
                    "Which transactional records are delivered (Herald has no transactional producers yet: both read"
                            + " everything)."),
            new Key(
                    DLQ_TOPIC,
                    ConfigType.STRING,
                    "",
                    v -> true,
                    "a topic name or empty",
                    "The dead-letter topic: records archived after their last delivery, or rejected, are written"
                            + " there with headers naming where they came from and why."),
            new Key(
                    DLQ_COPY_RECORD,
                    ConfigType.BOOLEAN,
                    "false",
                    v -> v.equals("true") || v.equals("false"),
                    "true or false",
                    "Whether a dead-lettered record carries the original key, value and headers, or only the context"
                            + " headers."),
            new Key(
                    JMS_SEMANTICS,
                    ConfigType.BOOLEAN,
                    "false",
                    v -> v.equals("true") || v.equals("false"),
                    "true or false",
                    "Herald: expiration, delivery time and priority of JMS messages are honoured."),
            new Key(
                    JMS_SUBSCRIPTION_SELECTOR,
                    ConfigType.STRING,
                    "",
                    ShareGroupConfigs::validSelector,
                    "a JMS message selector or empty",
                    "Herald: the JMS message selector of the subscription the group keeps, empty for none."),
            new Key(
                    JMS_SUBSCRIPTION_NO_LOCAL,
                    ConfigType.BOOLEAN,
                    "false",
                    v -> v.equals("true") || v.equals("false"),
                    "true or false",
                    "Herald: whether the subscription the group keeps skips messages of its own connection."));

    private ShareGroupConfigs() {}

    private static Predicate<String> positiveInt() {
        return v -> {
            try {
                return Integer.parseInt(v) >= 1;
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }

    private static boolean validSelector(String v) {
        if (v.isBlank()) {
            return true;
        }
        try {
            MessageSelector.parse(v);
            return true;
        } catch (MessageSelector.InvalidSelectorException e) {
            return false;
        }
    }

    private static boolean validReset(String v) {
        if (v.equals("latest") || v.equals("earliest")) {
            return true;
        }
        if (!v.startsWith("by_duration:")) {
            return false;
        }
        try {
            return !Duration.parse(v.substring("by_duration:".length())).isNegative();
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static Key key(String name) {
        return KEYS.stream()
                .filter(k -> k.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new InvalidConfigurationException("Unknown share group config " + name));
    }

    /**
     * Checks {@code configs} and returns them.
     *
     * @throws InvalidConfigurationException naming the first unknown key or invalid value
     */
    public static Map<String, String> validate(Map<String, String> configs) {
        for (Map.Entry<String, String> e : configs.entrySet()) {
            Key k = key(e.getKey());
            if (e.getValue() == null || !k.valid().test(e.getValue())) {
                throw new InvalidConfigurationException("Invalid value '" + e.getValue() + "' for group config "
                        + e.getKey() + ": expected " + k.validValues());
            }
        }
        return new LinkedHashMap<>(configs);
    }

    /** The settings in force for a group with {@code configs} on a broker with {@code broker}. */
    static Settings settings(ShareGroupConfig broker, Map<String, String> configs) {
        return new Settings(
                configs.getOrDefault(AUTO_OFFSET_RESET, "latest"),
                intOf(configs, RECORD_LOCK_DURATION_MS, broker.recordLockDurationMs()),
                intOf(configs, SESSION_TIMEOUT_MS, broker.sessionTimeoutMs()),
                intOf(configs, HEARTBEAT_INTERVAL_MS, broker.heartbeatIntervalMs()),
                intOf(configs, DELIVERY_COUNT_LIMIT, broker.deliveryCountLimit()),
                intOf(configs, PARTITION_MAX_RECORD_LOCKS, broker.maxRecordLocks()),
                configs.getOrDefault(DLQ_TOPIC, ""),
                Boolean.parseBoolean(configs.getOrDefault(DLQ_COPY_RECORD, "false")),
                Boolean.parseBoolean(configs.getOrDefault(JMS_SEMANTICS, "false")));
    }

    /** The value in force of {@code name} for describing: the group's own, or the broker's, or the default. */
    static String valueInForce(ShareGroupConfig broker, Map<String, String> configs, String name) {
        String own = configs.get(name);
        if (own != null) {
            return own;
        }
        return switch (name) {
            case RECORD_LOCK_DURATION_MS -> String.valueOf(broker.recordLockDurationMs());
            case SESSION_TIMEOUT_MS -> String.valueOf(broker.sessionTimeoutMs());
            case HEARTBEAT_INTERVAL_MS -> String.valueOf(broker.heartbeatIntervalMs());
            case DELIVERY_COUNT_LIMIT -> String.valueOf(broker.deliveryCountLimit());
            case PARTITION_MAX_RECORD_LOCKS -> String.valueOf(broker.maxRecordLocks());
            default -> key(name).defaultValue();
        };
    }

    /**
     * The keys of {@code names} ({@code null}: all) as DescribeConfigs reports a group's, as Kafka does: each with its
     * value in force, from the group's own config ({@code GROUP_CONFIG}) or else the broker's value or the default
     * ({@code DEFAULT_CONFIG}). A key that is not a group config is left out.
     */
    public static List<Described> describe(ShareGroupConfig broker, Map<String, String> configs, List<String> names) {
        List<Described> list = new ArrayList<>();
        for (Key k : KEYS) {
            if (names != null && !names.contains(k.name())) {
                continue;
            }
            String own = configs.get(k.name());
            ConfigSource source = own != null ? ConfigSource.GROUP_CONFIG : ConfigSource.DEFAULT_CONFIG;
            String value = valueInForce(broker, configs, k.name());
            list.add(new Described(
                    k.name(),
                    value,
                    source,
                    false,
                    false,
                    k.type(),
                    k.doc(),
                    value == null ? List.of() : List.of(new Synonym(k.name(), value, source))));
        }
        return list;
    }

    private static int intOf(Map<String, String> configs, String key, int fallback) {
        String v = configs.get(key);
        return v == null ? fallback : Integer.parseInt(v);
    }

    /**
     * The settings in force for one group.
     *
     * @param autoOffsetReset {@code share.auto.offset.reset}
     * @param recordLockDurationMs the acquisition lock
     * @param sessionTimeoutMs the members' session timeout
     * @param heartbeatIntervalMs the members' heartbeat interval
     * @param deliveryCountLimit deliveries before a record is archived
     * @param maxRecordLocks the in-flight window of one share partition
     * @param deadLetterTopic the DLQ topic, or empty for none
     * @param deadLetterCopiesRecord whether the DLQ record carries the original record
     * @param jmsSemantics whether JMS expiration, delivery time and priority are honoured
     */
    public record Settings(
            String autoOffsetReset,
            int recordLockDurationMs,
            int sessionTimeoutMs,
            int heartbeatIntervalMs,
            int deliveryCountLimit,
            int maxRecordLocks,
            String deadLetterTopic,
            boolean deadLetterCopiesRecord,
            boolean jmsSemantics) {}
}
