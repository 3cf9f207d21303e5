package io.herald.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.EmbeddedHerald;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACLs enforced on a SASL listener, set and checked with the real Admin, Producer and Consumer: what is allowed
 * works, what is denied fails with the protocol's error and changes nothing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AclAuthorizationTest {

    @TempDir
    Path dir;

    private EmbeddedHerald broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        SecureBrokers.addUser(dir, "admin", "admin-pw");
        SecureBrokers.addUser(dir, "alice", "alice-pw");
        SecureBrokers.addUser(dir, "bob", "bob-pw");
        broker = SecureBrokers.saslBroker(
                dir,
                Map.of(
                        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "super.users", "User:admin",
                        "auto.create.topics.enable", "false"));
        admin = Admin.create(as("admin"));
        admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1), new NewTopic("secret", 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        admin.createAcls(List.of(
                        allow("User:alice", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.WRITE),
                        allow("User:bob", ResourceType.TOPIC, "ord", PatternType.PREFIXED, AclOperation.READ),
                        allow("User:bob", ResourceType.GROUP, "bobs", PatternType.LITERAL, AclOperation.READ)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void allowedOperationsWorkAndDeniedOnesFailWithoutSideEffects() throws Exception {
        try (KafkaProducer<String, String> alice = producer("alice")) {
            alice.send(new ProducerRecord<>("orders", "k", "from alice")).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() ->
                            alice.send(new ProducerRecord<>("secret", "k", "x")).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // An idempotent producer needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic, as in Kafka.
        try (KafkaProducer<String, String> bob = producer("bob")) {
            assertThatThrownBy(() -> bob.send(new ProducerRecord<>("orders", "k", "from bob"))
                            .get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
        }
        Properties plain = as("bob");
        plain.put("enable.idempotence", "false");
        plain.put("acks", "1");
        plain.put("delivery.timeout.ms", "20000");
        plain.put("request.timeout.ms", "15000");
        try (KafkaProducer<String, String> bob =
                new KafkaProducer<>(plain, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> bob.send(new ProducerRecord<>("orders", "k", "from bob"))
                            .get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(endOffset("orders")).isEqualTo(1);
        assertThat(endOffset("secret")).isZero();

        assertThat(consume("bob", "bobs", "orders")).containsExactly("from alice");
        assertThatThrownBy(() -> consume("bob", "other-group", "orders"))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThatThrownBy(() -> consume("alice", "bobs", "orders")).isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void metadataHidesWhatAPrincipalMayNotDescribe() throws Exception {
        try (Admin bob = Admin.create(as("bob"))) {
            assertThat(bob.listTopics().names().get(30, TimeUnit.SECONDS)).containsExactly("orders");
            assertThatThrownBy(() -> bob.describeTopics(List.of("secret"))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void describeAnswersCarryTheAuthorizedOperations() throws Exception {
        try (Admin bob = Admin.create(as("bob"))) {
            assertThat(bob.describeTopics(
                                    List.of("orders"),
                                    new org.apache.kafka.clients.admin.DescribeTopicsOptions()
                                            .includeAuthorizedOperations(true))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get("orders")
                            .authorizedOperations())
                    .containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE);
            assertThat(bob.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions()
                                    .includeAuthorizedOperations(true))
                            .authorizedOperations()
                            .get(30, TimeUnit.SECONDS))
                    .isEmpty();
        }
        assertThat(admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions()
                                .includeAuthorizedOperations(true))
                        .authorizedOperations()
                        .get(30, TimeUnit.SECONDS))
                .contains(AclOperation.ALTER, AclOperation.CREATE, AclOperation.DESCRIBE);
    }

    @Test
    void creatingTopicsAndAclsNeedsRights() throws Exception {
        try (Admin alice = Admin.create(as("alice"))) {
            assertThatThrownBy(() -> alice.createTopics(List.of(new NewTopic("alices", 1, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> alice.createAcls(List.of(allow(
                                    "User:alice", ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.ALL)))
                            .all()
                            .get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> alice.deleteTopics(List.of("orders")).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsExactlyInAnyOrder("orders", "secret");
        assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                .hasSize(3);
    }

    @Test
    void aclsAreDescribedDeletedAndSurviveRestart() throws Exception {
        AclBindingFilter bobs = new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:bob", null, AclOperation.ANY, AclPermissionType.ANY));
        assertThat(admin.describeAcls(bobs).values().get(30, TimeUnit.SECONDS)).hasSize(2);

        admin.close();
        broker.restart();
        admin = Admin.create(as("admin"));
        assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                .hasSize(3);

        Collection<AclBinding> deleted = admin.deleteAcls(List.of(new AclBindingFilter(
                        new ResourcePatternFilter(ResourceType.TOPIC, "ord", PatternType.PREFIXED),
                        AccessControlEntryFilter.ANY)))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThat(deleted).hasSize(1);
        try (Admin bob = Admin.create(as("bob"))) {
            assertThat(bob.listTopics().names().get(30, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void shareGroupsNeedReadOnTheGroupAndTheTopic() throws Exception {
        try (KafkaProducer<String, String> alice = producer("alice")) {
            alice.send(new ProducerRecord<>("orders", "k", "queued")).get(30, TimeUnit.SECONDS);
        }
        // A new share group starts at the log end unless told otherwise; the record is already there.
        admin.incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.GROUP, "bobs"),
                        List.of(new AlterConfigOp(
                                new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThat(shareConsume("bob", "bobs")).containsExactly("queued");
        assertThatThrownBy(() -> shareConsume("bob", "other-group")).isInstanceOf(GroupAuthorizationException.class);
    }

    /** Joins a share group and reads until it has a record (or 30 s passed). */
    private List<String> shareConsume(String user, String group) throws Exception {
        Properties p = as(user);
        p.put("group.id", group);
        try (org.apache.kafka.clients.consumer.KafkaShareConsumer<String, String> consumer =
                new org.apache.kafka.clients.consumer.KafkaShareConsumer<>(
                        p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of("orders"));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }

    @Test
    void denyOverridesAllow() throws Exception {
        admin.createAcls(List.of(new AclBinding(
                        new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
                        new AccessControlEntry("User:bob", "*", AclOperation.READ, AclPermissionType.DENY))))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> consume("bob", "bobs", "orders")).isInstanceOf(TopicAuthorizationException.class);
    }

    private List<String> consume(String user, String group, String topic) {
        Properties p = as(user);
        p.put("group.id", group);
        p.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            consumer.commitSync();
            return values;
        }
    }

    private long endOffset(String topic) throws Exception {
        return admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest()))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(new TopicPartition(topic, 0))
                .offset();
    }

    private KafkaProducer<String, String> producer(String user) {
        Properties p = as(user);
        p.put("max.block.ms", "20000");
        p.put("delivery.timeout.ms", "20000");
        p.put("request.timeout.ms", "15000");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private Properties as(String user) {
        return SecureBrokers.sasl(broker, "SCRAM-SHA-512", user, user + "-pw");
    }

    private static AclBinding allow(
            String principal, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }
}
