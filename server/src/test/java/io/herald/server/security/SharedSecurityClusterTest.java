package io.herald.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.herald.server.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCRAM users and ACLs are the cluster's, not one broker's: three brokers in separate JVMs on {@code SASL_PLAINTEXT}
 * with ACLs, users written into broker 1's files alone before the first start. The other brokers take them from the
 * cluster image; a user and an ACL created through one broker work on another; a user deleted on one can no longer
 * log in anywhere; and after every broker is killed and restarted, the users and ACLs are still there.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SharedSecurityClusterTest {

    private static final ResourcePattern ORDERS =
            new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL);

    @TempDir
    Path dir;

    @Test
    void usersAndAclsMadeOnOneBrokerHoldOnEveryBrokerAndSurviveAFullRestart() throws Exception {
        Map<String, String> settings = new HashMap<>(ProcessCluster.fastFailover());
        settings.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        settings.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", jaas("broker", "broker-secret"));
        settings.put("authorizer.class.name", "io.herald.security.acl.AclAuthorizer");
        settings.put("super.users", "User:broker;User:admin");

        try (ProcessCluster cluster = ProcessCluster.configure(dir.resolve("cluster"), 3, settings, "SASL_PLAINTEXT")) {
            SecureBrokers.addUser(Files.createDirectories(cluster.logDir(1)), "broker", "broker-secret");
            SecureBrokers.addUser(cluster.logDir(1), "admin", "admin-secret");
            cluster.startAll();

            try (Admin viaBroker2 = Admin.create(client(cluster, 2, "admin", "admin-secret"))) {
                viaBroker2
                        .alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                "alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "alice-secret")))
                        .all()
                        .get(60, TimeUnit.SECONDS);
                viaBroker2
                        .createAcls(List.of(allow("alice", AclOperation.WRITE), allow("alice", AclOperation.DESCRIBE)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
                viaBroker2
                        .createTopics(
                                List.of(new NewTopic("orders", 1, (short) 3), new NewTopic("secret", 1, (short) 3)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }

            Properties alice = client(cluster, 3, "alice", "alice-secret");
            produce(alice, "orders");
            assertThat(catchThrowable(() -> produce(alice, "secret")))
                    .hasRootCauseInstanceOf(TopicAuthorizationException.class);

            try (Admin viaBroker1 = Admin.create(client(cluster, 1, "admin", "admin-secret"))) {
                viaBroker1
                        .alterUserScramCredentials(
                                List.of(new UserScramCredentialDeletion("alice", ScramMechanism.SCRAM_SHA_512)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(authenticationFailure(client(cluster, 2, "alice", "alice-secret")))
                            .isInstanceOf(SaslAuthenticationException.class));

            for (int id = 1; id <= 3; id++) {
                cluster.kill(id);
            }
            cluster.startAll();

            try (Admin viaBroker3 = Admin.create(client(cluster, 3, "admin", "admin-secret"))) {
                assertThat(viaBroker3
                                .describeAcls(AclBindingFilter.ANY)
                                .values()
                                .get(60, TimeUnit.SECONDS))
                        .containsExactlyInAnyOrder(
                                allow("alice", AclOperation.WRITE), allow("alice", AclOperation.DESCRIBE));
                assertThat(viaBroker3.describeUserScramCredentials().all().get(60, TimeUnit.SECONDS))
                        .containsOnlyKeys("admin", "broker");
            }
        }
    }

    private static void produce(Properties client, String topic) throws Exception {
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

    private static AclBinding allow(String user, AclOperation operation) {
        return new AclBinding(ORDERS, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static Properties client(ProcessCluster cluster, int broker, String user, String password) {
        Properties p = new Properties();
        p.put("bootstrap.servers", cluster.bootstrap(broker));
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", jaas(user, password));
        return p;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }
}
