package io.herald.server.config;

import io.herald.log.ConfigKey;
import io.herald.log.LogConfig;
import io.herald.log.LogManagerConfig;
import io.herald.security.tls.KeyMaterialReloader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The broker's configuration: {@code server.properties} with Kafka's key names and defaults. Every key is one {@link
 * ConfigKey} constant here; {@link #KEYS} lists them for validation, DescribeConfigs and the configuration reference.
 *
 * <p>Topic defaults come from the {@code log.*} keys, each the broker-level synonym of a topic key (as in Kafka:
 * {@code log.segment.bytes} for {@code segment.bytes}); {@link #TOPIC_SYNONYMS} maps them.
 *
 * <p>Thread-safety: immutable.
 */
public final class BrokerConfig {

    private static final long HOUR_MS = 3600_000L;
    private static final List<String> AUTHORIZERS = List.of(
            "io.herald.security.acl.AclAuthorizer",
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "kafka.security.authorizer.AclAuthorizer");

    // ---- identity and network ------------------------------------------------------------------------------------
    public static final ConfigKey<Integer> NODE_ID =
            ConfigKey.ofInt("node.id", 1, 0, "This broker's id in the cluster (broker.id is a synonym).");
    public static final ConfigKey<String> LISTENERS = string(
            "listeners", "PLAINTEXT://:9092", "Comma-separated listeners, NAME://host:port; an empty host binds all.");
    public static final ConfigKey<String> ADVERTISED_LISTENERS = string(
            "advertised.listeners",
            "",
            "Listeners as clients should reach them; defaults to listeners, with localhost for an empty host.");
    public static final ConfigKey<Integer> NUM_NETWORK_THREADS = ConfigKey.ofInt(
            "num.network.threads", 3, 1, "Threads that read requests from and write responses to sockets.");
    public static final ConfigKey<Integer> NUM_IO_THREADS =
            ConfigKey.ofInt("num.io.threads", 8, 1, "Threads that execute requests.");
    public static final ConfigKey<Integer> QUEUED_MAX_REQUESTS =
            ConfigKey.ofInt("queued.max.requests", 500, 1, "Requests waiting for an I/O thread before reads pause.");
    public static final ConfigKey<Integer> SOCKET_REQUEST_MAX_BYTES = ConfigKey.ofInt(
            "socket.request.max.bytes",
            100 * 1024 * 1024,
            1,
            "Largest request frame; a larger one closes the connection.");
    public static final ConfigKey<Integer> SOCKET_SEND_BUFFER_BYTES =
            ConfigKey.ofInt("socket.send.buffer.bytes", 102_400, -1, "SO_SNDBUF of connections; -1: the OS default.");
    public static final ConfigKey<Integer> SOCKET_RECEIVE_BUFFER_BYTES = ConfigKey.ofInt(
            "socket.receive.buffer.bytes", 102_400, -1, "SO_RCVBUF of connections; -1: the OS default.");
    public static final ConfigKey<Long> CONNECTIONS_MAX_IDLE_MS =
            ConfigKey.ofLong("connections.max.idle.ms", 600_000, 1, "Idle time after which a connection is closed.");

    public static final ConfigKey<String> ADMIN_LISTENERS = new ConfigKey<>(
            "admin.listeners",
            "http://:8080",
            "Where the admin console (web UI, REST API, /metrics) listens, comma-separated http://host:port or"
                    + " https://host:port; an empty host binds all; an empty value disables it.",
            Function.identity(),
            s -> s.isBlank()
                    || Arrays.stream(s.split(","))
                            .map(String::trim)
                            .allMatch(l -> l.matches("https?://(\\[[0-9a-fA-F:.]+\\]|[^:/\\[\\]]*):\\d{1,5}")
                                    && Integer.parseInt(l.substring(l.lastIndexOf(':') + 1)) <= 65535),
            "empty, or a list of http://host:port or https://host:port");
    public static final ConfigKey<Long> ADMIN_SESSION_IDLE_TIMEOUT_MS = ConfigKey.ofLong(
            "admin.session.idle.timeout.ms",
            30 * 60_000L,
            1000,
            "A console login session unused for this long ends (only when the broker has security on).");
    public static final ConfigKey<Long> ADMIN_SESSION_MAX_LIFETIME_MS = ConfigKey.ofLong(
            "admin.session.max.lifetime.ms",
            8 * 3_600_000L,
            1000,
            "A console login session ends this long after the login, however busy it is.");

    // ---- topics and logs ------------------------------------------------------------------------------------------
    public static final ConfigKey<String> LOG_DIRS =
            string("log.dirs", "data", "Comma-separated data directories (log.dir is a synonym).");
    public static final ConfigKey<Integer> NUM_PARTITIONS =
            ConfigKey.ofInt("num.partitions", 1, 1, "Partitions of an auto-created topic.");
    public static final ConfigKey<Integer> DEFAULT_REPLICATION_FACTOR =
            ConfigKey.ofInt("default.replication.factor", 1, 1, "Replication factor of an auto-created topic.");
    public static final ConfigKey<Boolean> AUTO_CREATE_TOPICS_ENABLE = bool(
            "auto.create.topics.enable",
            true,
            "Create a topic when a client asks for metadata of one that is missing (never a JMS temporary"
                    + " destination's, jms.temp.*).");
    public static final ConfigKey<Boolean> DELETE_TOPIC_ENABLE =
            bool("delete.topic.enable", true, "Whether DeleteTopics may delete topics.");
    public static final ConfigKey<Integer> MIN_INSYNC_REPLICAS =
            ConfigKey.ofInt("min.insync.replicas", 1, 1, "Replicas that must have a record before acks=all succeeds.");
    public static final ConfigKey<Integer> NUM_RECOVERY_THREADS =
            ConfigKey.ofInt("num.recovery.threads.per.data.dir", 2, 1, "Threads opening partitions at start.");
    public static final ConfigKey<Long> LOG_RETENTION_HOURS = ConfigKey.ofLong(
            "log.retention.hours", 168, -1, "Hours to keep a segment (overridden by .minutes and .ms).");
    public static final ConfigKey<Long> LOG_RETENTION_MINUTES = ConfigKey.ofLong(
            "log.retention.minutes", -2, -2, "Minutes to keep a segment; overrides the hours when set.");
    public static final ConfigKey<Long> LOG_RETENTION_MS = ConfigKey.ofLong(
            "log.retention.ms", -2, -2, "Milliseconds to keep a segment; overrides minutes and hours.");
    public static final ConfigKey<Long> LOG_ROLL_HOURS = ConfigKey.ofLong(
            "log.roll.hours", 168, 1, "Hours after which a segment rolls (overridden by log.roll.ms).");
    public static final ConfigKey<Long> LOG_ROLL_MS =
            ConfigKey.ofLong("log.roll.ms", -2, -2, "Milliseconds after which a segment rolls; overrides the hours.");
    public static final ConfigKey<Long> LOG_RETENTION_CHECK_INTERVAL_MS =
            ConfigKey.ofLong("log.retention.check.interval.ms", 300_000, 1, "Time between retention passes.");
    public static final ConfigKey<Long> LOG_FLUSH_SCHEDULER_INTERVAL_MS = ConfigKey.ofLong(
            "log.flush.scheduler.interval.ms", 1000, 1, "Time between checks of which logs flush.ms makes due.");
    public static final ConfigKey<Long> LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = ConfigKey.ofLong(
            "log.flush.offset.checkpoint.interval.ms", 60_000, 1, "Time between recovery-point checkpoints.");
    public static final ConfigKey<Boolean> LOG_CLEANER_ENABLE =
            bool("log.cleaner.enable", true, "Run the compactor for topics with cleanup.policy=compact.");
    public static final ConfigKey<Integer> LOG_CLEANER_THREADS =
            ConfigKey.ofInt("log.cleaner.threads", 1, 1, "Compactor threads.");
    public static final ConfigKey<Long> LOG_CLEANER_BACKOFF_MS =
            ConfigKey.ofLong("log.cleaner.backoff.ms", 15_000, 0, "Sleep of a compactor thread that found no work.");
    public static final ConfigKey<Long> LOG_CLEANER_DEDUPE_BUFFER_SIZE = ConfigKey.ofLong(
            "log.cleaner.dedupe.buffer.size", 128L * 1024 * 1024, 1024 * 1024, "Memory for the compactors' key maps.");

    // ---- cluster and replication ----------------------------------------------------------------------------------
    public static final ConfigKey<String> CLUSTER_MEMBERS = string(
            "cluster.members",
            "",
            "The brokers' cluster addresses, host:port comma-separated (TCP/IP join, no multicast); empty: no cluster.");
    public static final ConfigKey<String> CLUSTER_HOST =
            string("cluster.host", "127.0.0.1", "The address this broker's cluster member binds and advertises.");
    public static final ConfigKey<Integer> CLUSTER_PORT =
            ConfigKey.ofInt("cluster.port", 5701, 1, "The port of this broker's cluster member.");
    public static final ConfigKey<String> CLUSTER_ADVERTISED_ADDRESS = string(
            "cluster.advertised.address",
            "",
            "host:port the other members reach this broker's cluster member at (NAT, a proxy); empty: cluster.host and"
                    + " cluster.port.");
    public static final ConfigKey<String> CLUSTER_NAME =
            string("cluster.name", "herald", "Members of another cluster name never join this cluster.");
    public static final ConfigKey<Integer> CLUSTER_CP_MEMBER_COUNT = ConfigKey.ofInt(
            "cluster.cp.member.count",
            -1,
            -1,
            "Brokers in the Raft (CP) group; -1: every member when there are 3 or more, else 0 (unsafe mode).");
    public static final ConfigKey<Long> CLUSTER_FAILURE_TIMEOUT_MS = ConfigKey.ofLong(
            "cluster.failure.timeout.ms",
            10_000,
            2000,
            "A broker not heard from this long is dead: it leaves membership and the controller lock it held is freed.");
    public static final ConfigKey<Long> CLUSTER_CP_MEMBER_REMOVAL_MS = ConfigKey.ofLong(
            "cluster.cp.member.removal.ms",
            60_000,
            1000,
            "A crashed Raft member is replaced (by itself restarted, or another broker) after this long.");
    public static final ConfigKey<String> INTER_BROKER_LISTENER_NAME =
            string("inter.broker.listener.name", "", "The listener followers fetch from; empty: the first listener.");
    public static final ConfigKey<Long> REPLICA_LAG_TIME_MAX_MS = ConfigKey.ofLong(
            "replica.lag.time.max.ms", 30_000, 1, "A follower not caught up for this long leaves the ISR.");
    public static final ConfigKey<Integer> REPLICA_FETCH_WAIT_MAX_MS =
            ConfigKey.ofInt("replica.fetch.wait.max.ms", 500, 0, "Longest wait of a follower's fetch at the leader.");
    public static final ConfigKey<Integer> REPLICA_FETCH_MAX_BYTES = ConfigKey.ofInt(
            "replica.fetch.max.bytes", 1_048_576, 1024, "Bytes a follower asks for per partition and fetch.");
    public static final ConfigKey<Integer> REPLICA_FETCH_RESPONSE_MAX_BYTES = ConfigKey.ofInt(
            "replica.fetch.response.max.bytes", 10_485_760, 1024, "Bytes a follower asks for per fetch.");
    public static final ConfigKey<Long> REPLICA_FETCH_BACKOFF_MS =
            ConfigKey.ofLong("replica.fetch.backoff.ms", 1000, 0, "Pause of a follower after a failed fetch.");
    public static final ConfigKey<Integer> REPLICA_SOCKET_TIMEOUT_MS =
            ConfigKey.ofInt("replica.socket.timeout.ms", 30_000, 1, "Socket timeout of followers' connections.");
    public static final ConfigKey<Boolean> UNCLEAN_LEADER_ELECTION_ENABLE = bool(
            "unclean.leader.election.enable",
            false,
            "Elect a replica outside the ISR when none in it is alive (may lose acknowledged records).");
    public static final ConfigKey<Boolean> AUTO_LEADER_REBALANCE_ENABLE =
            bool("auto.leader.rebalance.enable", true, "Move leadership back to preferred replicas periodically.");
    public static final ConfigKey<Long> LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = ConfigKey.ofLong(
            "leader.imbalance.check.interval.seconds", 300, 1, "Time between two preferred-leader elections.");

    // ---- group coordinator and committed offsets --------------------------------------------------------------
    public static final ConfigKey<Integer> OFFSETS_TOPIC_NUM_PARTITIONS = ConfigKey.ofInt(
            "offsets.topic.num.partitions", 50, 1, "Partitions of __consumer_offsets, fixed when it is created.");
    public static final ConfigKey<Integer> OFFSETS_TOPIC_SEGMENT_BYTES =
            ConfigKey.ofInt("offsets.topic.segment.bytes", 104_857_600, 1, "Segment size of __consumer_offsets.");
    public static final ConfigKey<Integer> OFFSETS_RETENTION_MINUTES = ConfigKey.ofInt(
            "offsets.retention.minutes",
            10_080,
            1,
            "Minutes an empty group keeps its committed offsets (and a group those of topics it no longer reads).");
    public static final ConfigKey<Long> OFFSETS_RETENTION_CHECK_INTERVAL_MS = ConfigKey.ofLong(
            "offsets.retention.check.interval.ms", 600_000, 1, "Time between passes that expire committed offsets.");
    public static final ConfigKey<Integer> OFFSET_METADATA_MAX_BYTES =
            ConfigKey.ofInt("offset.metadata.max.bytes", 4096, 0, "Largest metadata string of a committed offset.");
    public static final ConfigKey<Integer> OFFSETS_LOAD_BUFFER_SIZE = ConfigKey.ofInt(
            "offsets.load.buffer.size", 5_242_880, 1, "Bytes read at a time when loading __consumer_offsets.");
    public static final ConfigKey<Integer> GROUP_MIN_SESSION_TIMEOUT_MS = ConfigKey.ofInt(
            "group.min.session.timeout.ms", 6000, 1, "Smallest session timeout a classic group member may ask for.");
    public static final ConfigKey<Integer> GROUP_MAX_SESSION_TIMEOUT_MS = ConfigKey.ofInt(
            "group.max.session.timeout.ms",
            1_800_000,
            1,
            "Largest session timeout a classic group member may ask for.");
    public static final ConfigKey<Integer> GROUP_INITIAL_REBALANCE_DELAY_MS = ConfigKey.ofInt(
            "group.initial.rebalance.delay.ms",
            3000,
            0,
            "How long the first rebalance of an empty classic group waits for more members to join.");
    public static final ConfigKey<Integer> GROUP_MAX_SIZE =
            ConfigKey.ofInt("group.max.size", Integer.MAX_VALUE, 1, "Most members of a classic group.");
    public static final ConfigKey<String> GROUP_COORDINATOR_REBALANCE_PROTOCOLS = new ConfigKey<>(
            "group.coordinator.rebalance.protocols",
            "classic,consumer",
            "Group protocols served: classic, and consumer (KIP-848) for group.protocol=consumer.",
            s -> s,
            s -> java.util.Arrays.stream(s.split(","))
                            .map(String::trim)
                            .allMatch(p -> p.equals("classic") || p.equals("consumer"))
                    && java.util.Arrays.stream(s.split(",")).map(String::trim).anyMatch("classic"::equals),
            "a list of classic and consumer that contains classic");
    public static final ConfigKey<Integer> GROUP_CONSUMER_SESSION_TIMEOUT_MS = ConfigKey.ofInt(
            "group.consumer.session.timeout.ms", 45_000, 1, "Session timeout of consumer-protocol group members.");
    public static final ConfigKey<Integer> GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS = ConfigKey.ofInt(
            "group.consumer.min.session.timeout.ms", 45_000, 1, "Lower bound of group.consumer.session.timeout.ms.");
    public static final ConfigKey<Integer> GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS = ConfigKey.ofInt(
            "group.consumer.max.session.timeout.ms", 60_000, 1, "Upper bound of group.consumer.session.timeout.ms.");
    public static final ConfigKey<Integer> GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = ConfigKey.ofInt(
            "group.consumer.heartbeat.interval.ms",
            5000,
            1,
            "Heartbeat interval the coordinator gives consumer-protocol group members.");
    public static final ConfigKey<Integer> GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS = ConfigKey.ofInt(
            "group.consumer.min.heartbeat.interval.ms",
            5000,
            1,
            "Lower bound of group.consumer.heartbeat.interval.ms.");
    public static final ConfigKey<Integer> GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS = ConfigKey.ofInt(
            "group.consumer.max.heartbeat.interval.ms",
            15_000,
            1,
            "Upper bound of group.consumer.heartbeat.interval.ms.");
    public static final ConfigKey<Integer> GROUP_CONSUMER_MAX_SIZE = ConfigKey.ofInt(
            "group.consumer.max.size", Integer.MAX_VALUE, 1, "Most members of a consumer-protocol group.");
    public static final ConfigKey<String> GROUP_CONSUMER_ASSIGNORS = new ConfigKey<>(
            "group.consumer.assignors",
            "uniform,range",
            "Server-side assignors of consumer-protocol groups; the first is the default.",
            s -> s,
            s -> !s.isBlank()
                    && java.util.Arrays.stream(s.split(","))
                            .map(String::trim)
                            .allMatch(a -> a.equals("uniform")
                                    || a.equals("range")
                                    || a.equals("org.apache.kafka.coordinator.group.assignor.UniformAssignor")
                                    || a.equals("org.apache.kafka.coordinator.group.assignor.RangeAssignor")),
            "a list of uniform and range");

    // ---- security ---------------------------------------------------------------------------------------------------
    public static final ConfigKey<String> LISTENER_SECURITY_PROTOCOL_MAP = string(
            "listener.security.protocol.map",
            "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
            "Listener name to security protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), NAME:PROTOCOL,...");
    public static final ConfigKey<String> SASL_ENABLED_MECHANISMS = new ConfigKey<>(
            "sasl.enabled.mechanisms",
            "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN",
            "SASL mechanisms offered on SASL listeners: SCRAM-SHA-512, SCRAM-SHA-256, PLAIN (not GSSAPI).",
            s -> s,
            s -> !s.isBlank()
                    && Arrays.stream(s.split(","))
                            .map(String::trim)
                            .allMatch(m -> m.equals("SCRAM-SHA-512") || m.equals("SCRAM-SHA-256") || m.equals("PLAIN")),
            "a list of SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN");
    public static final ConfigKey<String> SASL_MECHANISM_INTER_BROKER_PROTOCOL = new ConfigKey<>(
            "sasl.mechanism.inter.broker.protocol",
            "SCRAM-SHA-512",
            "The SASL mechanism followers use on a SASL inter-broker listener; their credentials are in"
                    + " listener.name.<listener>.<mechanism>.sasl.jaas.config.",
            s -> s,
            s -> s.equals("SCRAM-SHA-512") || s.equals("SCRAM-SHA-256") || s.equals("PLAIN"),
            "one of SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN");
    public static final ConfigKey<Long> CONNECTIONS_MAX_REAUTH_MS = ConfigKey.ofLong(
            "connections.max.reauth.ms",
            0,
            0,
            "Lifetime of a SASL authentication; clients re-authenticate before it ends (KIP-368). 0: forever.");
    public static final ConfigKey<String> AUTHORIZER_CLASS_NAME = new ConfigKey<>(
            "authorizer.class.name",
            "",
            "Empty: no authorization. Set (to io.herald.security.acl.AclAuthorizer or Kafka's StandardAuthorizer or"
                    + " AclAuthorizer class name) to enforce ACLs on every request.",
            s -> s,
            s -> s.isBlank() || AUTHORIZERS.contains(s.trim()),
            "empty or one of " + String.join(", ", AUTHORIZERS));
    public static final ConfigKey<String> SUPER_USERS =
            string("super.users", "", "Principals allowed everything whatever the ACLs, e.g. User:admin;User:ops.");
    public static final ConfigKey<Boolean> ALLOW_EVERYONE_IF_NO_ACL_FOUND = bool(
            "allow.everyone.if.no.acl.found",
            false,
            "With an authorizer: whether a resource no ACL names is open to everyone.");
    public static final ConfigKey<Long> SSL_RELOAD_CHECK_INTERVAL_MS = ConfigKey.ofLong(
            "ssl.reload.check.interval.ms",
            KeyMaterialReloader.DEFAULT_INTERVAL.toMillis(),
            1,
            "How often the keystore and truststore files of the TLS listeners and of the admin console's HTTPS are"
                    + " checked for a replacement, which new connections then get.");

    // ---- share groups (KIP-932) and the share coordinator ----------------------------------------------------------
    public static final ConfigKey<Integer> GROUP_SHARE_SESSION_TIMEOUT_MS = ConfigKey.ofInt(
            "group.share.session.timeout.ms",
            45_000,
            1,
            "Session timeout of share group members: one that sends no heartbeat for this long leaves the group and"
                    + " its acquired records are released.");
    public static final ConfigKey<Integer> GROUP_SHARE_HEARTBEAT_INTERVAL_MS = ConfigKey.ofInt(
            "group.share.heartbeat.interval.ms", 5000, 1, "Heartbeat interval the coordinator gives share members.");
    public static final ConfigKey<Integer> GROUP_SHARE_MAX_SIZE =
            ConfigKey.ofInt("group.share.max.size", 200, 1, "Most members of a share group.");
    public static final ConfigKey<Integer> GROUP_SHARE_RECORD_LOCK_DURATION_MS = ConfigKey.ofInt(
            "group.share.record.lock.duration.ms",
            30_000,
            1,
            "How long a share member holds the records it acquired before they become available again.");
    public static final ConfigKey<Integer> GROUP_SHARE_DELIVERY_COUNT_LIMIT = ConfigKey.ofInt(
            "group.share.delivery.count.limit",
            5,
            1,
            "Deliveries of a record to share members before it is archived (and dead-lettered if the group has a"
                    + " dead-letter topic).");
    public static final ConfigKey<Integer> GROUP_SHARE_PARTITION_MAX_RECORD_LOCKS = ConfigKey.ofInt(
            "group.share.partition.max.record.locks",
            2000,
            1,
            "Most in-flight records (between the share-partition start offset and the last record read) of one"
                    + " share partition.");
    public static final ConfigKey<Integer> SHARE_COORDINATOR_STATE_TOPIC_NUM_PARTITIONS = ConfigKey.ofInt(
            "share.coordinator.state.topic.num.partitions",
            50,
            1,
            "Partitions of __share_group_state, fixed when it is created.");
    public static final ConfigKey<Integer> SHARE_COORDINATOR_STATE_TOPIC_SEGMENT_BYTES = ConfigKey.ofInt(
            "share.coordinator.state.topic.segment.bytes", 104_857_600, 1, "Segment size of __share_group_state.");

    /** Broker-level synonyms of topic keys: broker key -> (topic key, conversion of the value). */
    public static final Map<String, String> TOPIC_SYNONYMS = Map.ofEntries(
            Map.entry("log.segment.bytes", "segment.bytes"),
            Map.entry("log.retention.bytes", "retention.bytes"),
            Map.entry("log.cleanup.policy", "cleanup.policy"),
            Map.entry("log.cleaner.delete.retention.ms", "delete.retention.ms"),
            Map.entry("log.cleaner.min.compaction.lag.ms", "min.compaction.lag.ms"),
            Map.entry("log.cleaner.max.compaction.lag.ms", "max.compaction.lag.ms"),
            Map.entry("log.cleaner.min.cleanable.ratio", "min.cleanable.dirty.ratio"),
            Map.entry("log.flush.interval.messages", "flush.messages"),
            Map.entry("log.flush.interval.ms", "flush.ms"),
            Map.entry("log.index.interval.bytes", "index.interval.bytes"),
            Map.entry("log.index.size.max.bytes", "segment.index.bytes"),
            Map.entry("log.message.timestamp.type", "message.timestamp.type"),
            Map.entry("log.message.timestamp.before.max.ms", "message.timestamp.before.max.ms"),
            Map.entry("log.message.timestamp.after.max.ms", "message.timestamp.after.max.ms"),
            Map.entry("message.max.bytes", "max.message.bytes"),
            Map.entry("log.segment.delete.delay.ms", "file.delete.delay.ms"));

    /** Every broker key with its own definition (the topic synonyms are validated as their topic keys). */
    public static final List<ConfigKey<?>> KEYS = List.of(
            NODE_ID,
            LISTENERS,
            ADVERTISED_LISTENERS,
            NUM_NETWORK_THREADS,
            NUM_IO_THREADS,
            QUEUED_MAX_REQUESTS,
            SOCKET_REQUEST_MAX_BYTES,
            SOCKET_SEND_BUFFER_BYTES,
            SOCKET_RECEIVE_BUFFER_BYTES,
            CONNECTIONS_MAX_IDLE_MS,
            ADMIN_LISTENERS,
            ADMIN_SESSION_IDLE_TIMEOUT_MS,
            ADMIN_SESSION_MAX_LIFETIME_MS,
            LOG_DIRS,
            NUM_PARTITIONS,
            DEFAULT_REPLICATION_FACTOR,
            AUTO_CREATE_TOPICS_ENABLE,
            DELETE_TOPIC_ENABLE,
            MIN_INSYNC_REPLICAS,
            NUM_RECOVERY_THREADS,
            LOG_RETENTION_HOURS,
            LOG_RETENTION_MINUTES,
            LOG_RETENTION_MS,
            LOG_ROLL_HOURS,
            LOG_ROLL_MS,
            LOG_RETENTION_CHECK_INTERVAL_MS,
            LOG_FLUSH_SCHEDULER_INTERVAL_MS,
            LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS,
            LOG_CLEANER_ENABLE,
            LOG_CLEANER_THREADS,
            LOG_CLEANER_BACKOFF_MS,
            LOG_CLEANER_DEDUPE_BUFFER_SIZE,
            OFFSETS_TOPIC_NUM_PARTITIONS,
            OFFSETS_TOPIC_SEGMENT_BYTES,
            OFFSETS_RETENTION_MINUTES,
            OFFSETS_RETENTION_CHECK_INTERVAL_MS,
            OFFSET_METADATA_MAX_BYTES,
            OFFSETS_LOAD_BUFFER_SIZE,
            GROUP_MIN_SESSION_TIMEOUT_MS,
            GROUP_MAX_SESSION_TIMEOUT_MS,
            GROUP_INITIAL_REBALANCE_DELAY_MS,
            GROUP_MAX_SIZE,
            GROUP_COORDINATOR_REBALANCE_PROTOCOLS,
            GROUP_CONSUMER_SESSION_TIMEOUT_MS,
            GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS,
            GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS,
            GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS,
            GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS,
            GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS,
            GROUP_CONSUMER_MAX_SIZE,
            GROUP_CONSUMER_ASSIGNORS,
            LISTENER_SECURITY_PROTOCOL_MAP,
            SASL_ENABLED_MECHANISMS,
            SASL_MECHANISM_INTER_BROKER_PROTOCOL,
            CONNECTIONS_MAX_REAUTH_MS,
            AUTHORIZER_CLASS_NAME,
            SUPER_USERS,
            ALLOW_EVERYONE_IF_NO_ACL_FOUND,
            SSL_RELOAD_CHECK_INTERVAL_MS,
            CLUSTER_MEMBERS,
            CLUSTER_HOST,
            CLUSTER_PORT,
            CLUSTER_ADVERTISED_ADDRESS,
            CLUSTER_NAME,
            CLUSTER_CP_MEMBER_COUNT,
            CLUSTER_FAILURE_TIMEOUT_MS,
            CLUSTER_CP_MEMBER_REMOVAL_MS,
            INTER_BROKER_LISTENER_NAME,
            REPLICA_LAG_TIME_MAX_MS,
            REPLICA_FETCH_WAIT_MAX_MS,
            REPLICA_FETCH_MAX_BYTES,
            REPLICA_FETCH_RESPONSE_MAX_BYTES,
            REPLICA_FETCH_BACKOFF_MS,
            REPLICA_SOCKET_TIMEOUT_MS,
            UNCLEAN_LEADER_ELECTION_ENABLE,
            AUTO_LEADER_REBALANCE_ENABLE,
            LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS,
            GROUP_SHARE_SESSION_TIMEOUT_MS,
            GROUP_SHARE_HEARTBEAT_INTERVAL_MS,
            GROUP_SHARE_MAX_SIZE,
            GROUP_SHARE_RECORD_LOCK_DURATION_MS,
            GROUP_SHARE_DELIVERY_COUNT_LIMIT,
            GROUP_SHARE_PARTITION_MAX_RECORD_LOCKS,
            SHARE_COORDINATOR_STATE_TOPIC_NUM_PARTITIONS,
            SHARE_COORDINATOR_STATE_TOPIC_SEGMENT_BYTES);

    private static final Map<String, String> KEY_SYNONYMS = Map.of("broker.id", "node.id", "log.dir", "log.dirs");

    private final Map<String, Object> values;
    private final Map<String, String> topicDefaults;
    private final Map<String, String> explicit;
    private final List<String> unknownKeys;
    private final Map<String, String> tls;
    private final Map<String, String> jaas;

    private BrokerConfig(
            Map<String, Object> values,
            Map<String, String> topicDefaults,
            Map<String, String> explicit,
            List<String> unknownKeys,
            Map<String, String> tls,
            Map<String, String> jaas) {
        this.tls = Map.copyOf(tls);
        this.jaas = Map.copyOf(jaas);
        this.values = values;
        this.topicDefaults = topicDefaults;
        this.explicit = explicit;
        this.unknownKeys = unknownKeys;
    }

    /** The embedded defaults. */
    public static BrokerConfig defaults() {
        return parse(Map.of());
    }

    public static BrokerConfig fromProperties(Properties properties) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return parse(map);
    }

    /**
     * Parses and validates {@code settings}.
     *
     * @throws IllegalArgumentException naming every invalid key and why, if any is invalid
     */
    public static BrokerConfig parse(Map<String, String> settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : KEYS) {
            values.put(key.name(), key.defaultValue());
        }
        Map<String, String> topicDefaults = new LinkedHashMap<>();
        Map<String, String> explicit = new LinkedHashMap<>();
        Map<String, String> tls = new LinkedHashMap<>();
        Map<String, String> jaas = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String name = KEY_SYNONYMS.getOrDefault(e.getKey(), e.getKey());
            String text = e.getValue();
            try {
                Optional<ConfigKey<?>> key =
                        KEYS.stream().filter(k -> k.name().equals(name)).findFirst();
                if (key.isPresent()) {
                    values.put(name, key.get().parse(text));
                    explicit.put(name, text);
                } else if (isTlsKey(name)) {
                    tls.put(name, text);
                    explicit.put(name, text);
                } else if (isJaasKey(name)) {
                    jaas.put(name, text);
                    explicit.put(name, text);
                } else if (TOPIC_SYNONYMS.containsKey(name)) {
                    String topicKey = TOPIC_SYNONYMS.get(name);
                    LogConfig.defaults().with(Map.of(topicKey, text)); // validates
                    topicDefaults.put(topicKey, text);
                    explicit.put(name, text);
                } else {
                    unknown.add(e.getKey());
                }
            } catch (IllegalArgumentException ex) {
                errors.add(
                        ex.getMessage().replace("configuration " + TOPIC_SYNONYMS.get(name), "configuration " + name));
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Invalid broker configuration:\n  " + String.join("\n  ", errors));
        }
        BrokerConfig config = new BrokerConfig(values, topicDefaults, explicit, List.copyOf(unknown), tls, jaas);
        config.validateListeners();
        return config;
    }

    /**
     * Kafka's {@code ssl.*} keys, plain or per listener ({@code listener.name.<listener>.ssl.*}): validated by the
     * security module's {@code SslSettings} when a TLS listener needs them, not here.
     */
    public static boolean isTlsKey(String name) {
        return name.startsWith("ssl.") || name.matches("listener\\.name\\.[^.]+\\.ssl\\..+");
    }

    /**
     * Kafka's per-listener JAAS key, {@code listener.name.<listener>.<mechanism>.sasl.jaas.config}: on the
     * inter-broker listener it holds the credentials this broker's followers log in with.
     */
    public static boolean isJaasKey(String name) {
        return name.matches("listener\\.name\\.[^.]+\\.[^.]+\\.sasl\\.jaas\\.config");
    }

    /** The JAAS configuration set for {@code mechanism} on {@code listener}, if any (see {@link #isJaasKey}). */
    public Optional<String> jaasConfig(String listener, String mechanism) {
        return Optional.ofNullable(jaas.get("listener.name." + listener.toLowerCase(Locale.ROOT) + "."
                + mechanism.toLowerCase(Locale.ROOT) + ".sasl.jaas.config"));
    }

    /** The {@code ssl.*} settings as given (see {@link #isTlsKey}). */
    public Map<String, String> tlsSettings() {
        return tls;
    }

    /** Whether {@code name} is a broker key: one of {@link #KEYS}, a topic-default synonym or an alias (broker.id). */
    public static boolean isKnownKey(String name) {
        String canonical = canonicalName(name);
        return TOPIC_SYNONYMS.containsKey(canonical)
                || isTlsKey(canonical)
                || isJaasKey(canonical)
                || KEYS.stream().anyMatch(k -> k.name().equals(canonical));
    }

    /** The key {@code name} is an alias of ({@code node.id} for {@code broker.id}), or {@code name} itself. */
    public static String canonicalName(String name) {
        return KEY_SYNONYMS.getOrDefault(name, name);
    }

    /** Keys that were set but that no part of Herald reads (reported at start). */
    public List<String> unknownKeys() {
        return unknownKeys;
    }

    /** The keys set explicitly, with their text. */
    public Map<String, String> explicitSettings() {
        return Map.copyOf(explicit);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return (T) values.get(key.name());
    }

    public int nodeId() {
        return get(NODE_ID);
    }

    public List<Path> logDirs() {
        return Arrays.stream(get(LOG_DIRS).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .toList();
    }

    private void validateListeners() {
        Map<String, SecurityProtocol> map = securityProtocolMap();
        for (Listener l : listeners()) {
            if (!map.containsKey(l.name())) {
                throw new IllegalArgumentException("Listener " + l.name() + " has no security protocol in "
                        + LISTENER_SECURITY_PROTOCOL_MAP.name() + " (" + get(LISTENER_SECURITY_PROTOCOL_MAP) + ")");
            }
        }
    }

    /** {@code listener.security.protocol.map}, parsed. */
    public Map<String, SecurityProtocol> securityProtocolMap() {
        Map<String, SecurityProtocol> map = new LinkedHashMap<>();
        for (String entry : get(LISTENER_SECURITY_PROTOCOL_MAP).split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] kv = entry.trim().split(":");
            try {
                if (kv.length != 2) {
                    throw new IllegalArgumentException("not NAME:PROTOCOL");
                }
                map.put(kv[0].trim().toUpperCase(Locale.ROOT), SecurityProtocol.forName(kv[1].trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid entry '" + entry.trim() + "' in "
                        + LISTENER_SECURITY_PROTOCOL_MAP.name() + ": expected NAME:PROTOCOL with PROTOCOL one of"
                        + " PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
            }
        }
        return map;
    }

    /** The security protocol of the listener named {@code listenerName}. */
    public SecurityProtocol securityProtocol(String listenerName) {
        SecurityProtocol p = securityProtocolMap().get(listenerName);
        if (p == null) {
            throw new IllegalArgumentException("Listener " + listenerName + " has no security protocol");
        }
        return p;
    }

    public List<Listener> listeners() {
        return Listener.parseList(get(LISTENERS), LISTENERS.name());
    }

    /** The listeners clients are told about, in the order of {@link #listeners()}. */
    public List<Listener> advertisedListeners() {
        String advertised = get(ADVERTISED_LISTENERS);
        List<Listener> bound = listeners();
        if (advertised.isBlank()) {
            return bound.stream()
                    .map(l -> l.host().isEmpty() || l.host().equals("0.0.0.0") ? l.withHost("localhost") : l)
                    .toList();
        }
        return Listener.parseList(advertised, ADVERTISED_LISTENERS.name());
    }

    /** Topic defaults: Kafka's topic defaults overlaid with the broker's {@code log.*} synonyms. */
    public LogConfig topicDefaults() {
        Map<String, String> overrides = new LinkedHashMap<>(topicDefaults);
        overrides.put(LogConfig.RETENTION_MS.name(), String.valueOf(retentionMs()));
        overrides.put(LogConfig.SEGMENT_MS.name(), String.valueOf(rollMs()));
        return LogConfig.defaults().with(overrides);
    }

    private long retentionMs() {
        long ms = get(LOG_RETENTION_MS);
        if (ms != -2) {
            return ms;
        }
        long minutes = get(LOG_RETENTION_MINUTES);
        if (minutes != -2) {
            return minutes < 0 ? -1 : minutes * 60_000;
        }
        long hours = get(LOG_RETENTION_HOURS);
        return hours < 0 ? -1 : hours * HOUR_MS;
    }

    private long rollMs() {
        long ms = get(LOG_ROLL_MS);
        return ms > 0 ? ms : get(LOG_ROLL_HOURS) * HOUR_MS;
    }

    /** The log engine's settings. */
    public LogManagerConfig logManagerConfig() {
        return new LogManagerConfig(
                logDirs(),
                topicDefaults(),
                get(NUM_RECOVERY_THREADS),
                get(LOG_RETENTION_CHECK_INTERVAL_MS),
                get(LOG_FLUSH_SCHEDULER_INTERVAL_MS),
                get(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS),
                get(LOG_CLEANER_ENABLE),
                get(LOG_CLEANER_THREADS),
                get(LOG_CLEANER_BACKOFF_MS),
                get(LOG_CLEANER_DEDUPE_BUFFER_SIZE));
    }

    /** Every broker setting with its current value as text (DescribeConfigs on the broker). */
    public Map<String, String> describe() {
        Map<String, String> all = new LinkedHashMap<>();
        values.forEach((k, v) -> all.put(k, String.valueOf(v)));
        LogConfig topic = topicDefaults();
        Map<String, String> topicValues = topic.toMap();
        TOPIC_SYNONYMS.forEach((brokerKey, topicKey) -> all.put(brokerKey, topicValues.get(topicKey)));
        return all.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** Whether {@code name} was set explicitly (in the file or by an override). */
    public boolean isExplicit(String name) {
        return explicit.containsKey(name);
    }

    private static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, defaultValue, doc, Function.identity(), v -> true, "a string");
    }

    private static ConfigKey<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                defaultValue,
                doc,
                text -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("not a boolean: " + text);
                },
                v -> true,
                "true or false");
    }
}
