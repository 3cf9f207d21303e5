package io.herald.server.security;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers in separate JVMs whose only listener is {@code SASL_SSL}, with ACLs on: followers replicate over TLS,
 * authenticated with the inter-broker SCRAM credentials and authorized as a super user. Broker 3 is given a wrong
 * inter-broker password: the leaders refuse its followers (it says so in its log), so it drops out of the ISR of the
 * partitions others lead, while it leads its own partition with the others in sync; {@code acks=all} writes succeed
 * throughout and a consumer reads every one.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SecureClusterTest {

    private static final char[] PW = "changeit".toCharArray();
    private static final String BROKER_PASSWORD = "broker-secret";

    @TempDir
    Path dir;

    @Test
    void followersReplicateOverSaslSslAndABrokerWithWrongCredentialsIsKeptOutOfTheIsr() throws Exception {
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

        try (ProcessCluster cluster = ProcessCluster.configure(dir.resolve("cluster"), 3, settings, "SASL_SSL")) {
            for (int id = 1; id <= 3; id++) {
                SecureBrokers.addUser(Files.createDirectories(cluster.logDir(id)), "broker", BROKER_PASSWORD);
                SecureBrokers.addUser(cluster.logDir(id), "admin", "admin-secret");
            }
            cluster.override(
                    3, Map.of("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas("broker", "wrong")));
            cluster.startAll();
            Properties client = client(cluster, truststore);

            try (Admin admin = Admin.create(client)) {
                admin.createTopics(List.of(
                                new NewTopic("secured", 3, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
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
        }
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

    private static Properties client(ProcessCluster cluster, Path truststore) {
        Properties p = cluster.clientProperties();
        p.put("security.protocol", "SASL_SSL");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", "changeit");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", jaas("admin", "admin-secret"));
        return p;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }
}
