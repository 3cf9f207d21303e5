package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.security.sasl.CredentialStore;
import io.herald.security.sasl.ScramCredential;
import io.herald.security.sasl.ScramMechanism;
import io.herald.server.EmbeddedHerald;
import io.herald.server.security.BrokerSecurity;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JMS connections authenticate with the broker's SASL credentials ({@code createConnection(user, password)}) and JMS
 * operations are checked against the broker's ACLs: sending needs WRITE on the topic, consuming a queue READ on the
 * topic and READ (and ALTER_CONFIGS, to configure the queue's share group) on group {@code jms.queue.<queue>}.
 * A client id needs READ on group {@code jms.client.<client id>} (and the connection's presence READ on {@code
 * jms.owner.*}). Refusals surface as {@link JMSSecurityException}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JmsSecurityTest {

    @TempDir
    Path dir;

    private EmbeddedHerald broker;
    private Properties adminProperties;

    @BeforeEach
    void start() throws Exception {
        CredentialStore store = CredentialStore.open(BrokerSecurity.credentialsFile(dir));
        for (String user : List.of("admin", "alice", "bob")) {
            store.put(user, ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_512, user + "-pw", 4096));
        }
        broker = EmbeddedHerald.start(
                dir,
                Map.of(
                        "listeners", "SASL_PLAINTEXT://127.0.0.1:0",
                        "authorizer.class.name", "io.herald.security.acl.AclAuthorizer",
                        "super.users", "User:admin",
                        "share.coordinator.state.topic.num.partitions", "3"));
        Properties p = broker.clientProperties();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\""
                        + " password=\"admin-pw\";");
        adminProperties = p;
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(
                            allow("User:alice", ResourceType.TOPIC, "orders", AclOperation.WRITE),
                            allow("User:bob", ResourceType.TOPIC, "orders", AclOperation.READ),
                            allow("User:bob", ResourceType.GROUP, "jms.queue.orders", AclOperation.READ),
                            allow("User:bob", ResourceType.GROUP, "jms.queue.orders", AclOperation.ALTER_CONFIGS)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void wrongCredentialsAreAJmsSecurityException() {
        HeraldConnectionFactory factory = factory();
        assertThatThrownBy(() -> factory.createConnection("alice", "guess").close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> factory.createConnection("nobody", "guess").close())
                .isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void aclsDecideWhoSendsAndWhoConsumes() throws Exception {
        HeraldConnectionFactory factory = factory();
        try (Connection alice = factory.createConnection("alice", "alice-pw");
                Connection bob = factory.createConnection("bob", "bob-pw")) {
            Session aliceSession = alice.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue orders = aliceSession.createQueue("orders");
            MessageProducer producer = aliceSession.createProducer(orders);
            producer.send(aliceSession.createTextMessage("from alice"));

            Session bobSession = bob.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> bobSession.createProducer(orders).send(bobSession.createTextMessage("from bob")))
                    .isInstanceOf(JMSSecurityException.class);
            bob.start();
            MessageConsumer consumer = bobSession.createConsumer(orders);
            TextMessage received = (TextMessage) consumer.receive(30_000);
            assertThat(received).isNotNull();
            assertThat(received.getText()).isEqualTo("from alice");
            assertThat(consumer.receive(1_000))
                    .as("bob's refused send left nothing")
                    .isNull();

            assertThatThrownBy(() -> aliceSession.createConsumer(orders)).isInstanceOf(JMSSecurityException.class);
        }
    }

    @Test
    void aClientIdNeedsReadOnItsGroupAndTheBrokerListsTheConnectionWithItsUser() throws Exception {
        HeraldConnectionFactory factory = new HeraldConnectionFactory(
                "herald://" + broker.bootstrap() + "?connectTimeoutMs=15000&clientId=bob-app");
        assertThatThrownBy(() -> factory.createConnection("bob", "bob-pw"))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("READ on group 'jms.client.bob-app'");

        try (Admin admin = Admin.create(adminProperties)) {
            admin.createAcls(List.of(prefixed("User:bob", "jms.client.bob-"), prefixed("User:bob", "jms.owner.")))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        try (Connection c = factory.createConnection("bob", "bob-pw")) {
            assertThat(c.getClientID()).isEqualTo("bob-app");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(broker.server()
                                    .admin()
                                    .jmsConnections()
                                    .list()
                                    .connections())
                            .singleElement()
                            .satisfies(listed -> {
                                assertThat(listed.clientId()).isEqualTo("bob-app");
                                assertThat(listed.user()).isEqualTo("bob");
                            }));
        }
    }

    private static AclBinding prefixed(String principal, String groupPrefix) {
        return new AclBinding(
                new ResourcePattern(ResourceType.GROUP, groupPrefix, PatternType.PREFIXED),
                new AccessControlEntry(principal, "*", AclOperation.READ, AclPermissionType.ALLOW));
    }

    private HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory("herald://" + broker.bootstrap() + "?connectTimeoutMs=15000");
    }

    private static AclBinding allow(String principal, ResourceType type, String name, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }
}
