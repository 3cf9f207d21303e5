package io.herald.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.herald.security.certs.CertificateAuthority;
import io.herald.security.certs.CertificateRequest;
import io.herald.security.certs.KeyAlgorithm;
import io.herald.security.certs.Subject;
import io.herald.security.certs.Validity;
import io.herald.server.ProcessCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers in separate JVMs whose only listener is {@code SASL_SSL}, with ACLs on.
 *
 * <p>Replication: followers replicate over TLS, authenticated with the inter-broker SCRAM credentials and authorized
 * as a super user. Broker 3 is given a wrong inter-broker password: the leaders refuse its followers (it says so in
 * its log), so it drops out of the ISR of the partitions others lead, while it leads its own partition with the others
 * in sync; {@code acks=all} writes succeed throughout and a consumer reads every one.
 *
 * <p>Users and ACLs are the cluster's: written into broker 1's files alone before the first start, the other brokers
 * take them from the cluster image; a user and an ACL created through one broker work on another; a user deleted on
 * one can no longer log in anywhere; after every broker is killed and restarted, users and ACLs are still there.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SecureClusterTest {

    private static final char[] PW = "changeit".toCharArray();
    private static final String BROKER_PASSWORD = "broker-secret";

    @TempDir
    Path dir;

    @Test
    void replicationIsAuthenticatedAndUsersAndAclsAreSharedByEveryBroker() throws Exception {
        Clock clock = Clock.systemUTC();
        Path certs = Files.createDirectories(dir.resolve("certs"));
        CertificateAuthority ca = CertificateAuthority.create(
                Subject.of("Cluster CA"), Validity.days(clock, 10), KeyAlgorithm.values()[0]);
        Path truststore = certs.resolve("ca.p12");
        ca.writePkcs12Truststore(truststore, PW);
        Path keystore = certs.resolve("broker.p12");
        ca.issue(CertificateRequest.broker(List.of("localhost"), List.of("127.0.0.1"), Validity.days(clock, 10)))
                .writePkcs12(keystore, PW);

        Map<String, String> settings = new HashMap<>(ProcessCluster.fastFailover());
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", keystore.toString());
        settings.put("ssl.keystore.password", "changeit");
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", truststore.toString());
        settings.put("ssl.truststore.password", "changeit");
        settings.put("inter.broker.listener.name", "SASL_SSL");
        settings.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        settings.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas("broker", BROKER_PASSWORD));
        settings.put("authorizer.class.name", "io.herald.security.acl.AclAuthorizer");
        settings.put("super.users", "User:broker;User:admin");
        settings.put("default.replication.factor", "3");

        // Broker 3 logs in to the others with a wrong password.
        ProcessCluster.PerBroker wrongOn3 = (id, port) -> id == 3
                ? Map.of("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas("broker", "wrong"))
                : Map.of();
        try (ProcessCluster cluster =
                ProcessCluster.configure(dir.resolve("cluster"), 3, settings, "SASL_SSL", wrongOn3)) {
            SecureBrokers.addUser(Files.createDirectories(cluster.logDir(1)), "broker", BROKER_PASSWORD);
            SecureBrokers.addUser(cluster.logDir(1), "admin", "admin-secret");
            cluster.startAll();
            Properties client = client(cluster.bootstrap(), truststore, "admin", "admin-secret");

            try (Admin admin = Admin.create(client(cluster.bootstrap(2), truststore, "admin", "admin-secret"))) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                "alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "alice-secret")))
                        .all()
                        .get(60, TimeUnit.SECONDS);
                admin.createAcls(List.of(allow(AclOperation.WRITE), allow(AclOperation.DESCRIBE)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
                admin.createTopics(List.of(
                                new NewTopic("secured", 3, (short) 3).configs(Map.of("min.insync.replicas", "2")),
                                new NewTopic("secret", 1, (short) 3)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    TopicDescription d = admin.describeTopics(List.of("secured"))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get("secured");
                    List<Integer> leaders = new ArrayList<>();
                    for (TopicPartitionInfo p : d.partitions()) {
                        int leader = p.leader().id();
                        leaders.add(leader);
                        List<Integer> isr = p.isr().stream().map(Node::id).toList();
                        if (leader == 3) {
                            assertThat(isr).as("followers 1 and 2 of broker 3").containsExactlyInAnyOrder(1, 2, 3);
                        } else {
                            assertThat(isr)
                                    .as("broker 3 cannot fetch from " + leader)
                                    .doesNotContain(3);
                            assertThat(isr).hasSize(2);
                        }
                    }
                    assertThat(leaders).contains(3).containsAnyOf(1, 2);
                });
            }
            String log3 = Files.readString(cluster.dataDir(3).resolve("broker-3.log"), StandardCharsets.UTF_8);
            assertThat(log3).contains("refused this follower's connection");

            List<String> sent = new ArrayList<>();
            Properties producer = new Properties();
            producer.putAll(client);
            producer.put("acks", "all");
            try (KafkaProducer<String, String> p =
                    new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
                List<Future<?>> acked = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    sent.add("m-" + i);
                    acked.add(p.send(new ProducerRecord<>("secured", "m-" + i)));
                }
                for (Future<?> f : acked) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            assertThat(consumeAll(client)).containsExactlyInAnyOrderElementsOf(sent);

            Properties alice = client(cluster.bootstrap(3), truststore, "alice", "alice-secret");
            produceOne(alice, "secured");
            assertThat(catchThrowable(() -> produceOne(alice, "secret")))
                    .hasRootCauseInstanceOf(TopicAuthorizationException.class);
            try (Admin admin = Admin.create(client(cluster.bootstrap(1), truststore, "admin", "admin-secret"))) {
                admin.alterUserScramCredentials(
                                List.of(new UserScramCredentialDeletion("alice", ScramMechanism.SCRAM_SHA_512)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(authenticationFailure(
                                    client(cluster.bootstrap(2), truststore, "alice", "alice-secret")))
                            .isInstanceOf(SaslAuthenticationException.class));

            for (int id = 1; id <= 3; id++) {
                cluster.kill(id);
            }
            cluster.startAll();
            try (Admin admin = Admin.create(client(cluster.bootstrap(3), truststore, "admin", "admin-secret"))) {
                assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(60, TimeUnit.SECONDS))
                        .containsExactlyInAnyOrder(allow(AclOperation.WRITE), allow(AclOperation.DESCRIBE));
                assertThat(admin.describeUserScramCredentials().all().get(60, TimeUnit.SECONDS))
                        .containsOnlyKeys("admin", "broker");
            }
        }
    }

    private static void produceOne(Properties client, String topic) throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.put("acks", "all");
        p.put("max.block.ms", "20000");
        p.put("delivery.timeout.ms", "30000");
        p.put("request.timeout.ms", "20000");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get(60, TimeUnit.SECONDS);
        }
    }

    private static Throwable authenticationFailure(Properties client) {
        client.put("request.timeout.ms", "10000");
        client.put("default.api.timeout.ms", "10000");
        try (Admin admin = Admin.create(client)) {
            Throwable thrown = catchThrowable(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
            return thrown instanceof ExecutionException ? thrown.getCause() : thrown;
        }
    }

    private static AclBinding allow(AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "secured", PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW));
    }

    private static List<String> consumeAll(Properties client) {
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(client, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = List.of(
                    new TopicPartition("secured", 0),
                    new TopicPartition("secured", 1),
                    new TopicPartition("secured", 2));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    got.add(r.value());
                }
                return got.size() >= 300;
            });
        }
        return got;
    }

    private static Properties client(String bootstrap, Path truststore, String user, String password) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("security.protocol", "SASL_SSL");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", "changeit");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", jaas(user, password));
        return p;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }
}
