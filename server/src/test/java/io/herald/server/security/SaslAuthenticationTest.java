package io.herald.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.server.EmbeddedHerald;
import io.herald.server.RawKafkaClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SASL PLAIN and SCRAM on a SASL_PLAINTEXT listener, driven by the real Kafka clients. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SaslAuthenticationTest {

    @TempDir
    Path dir;

    private EmbeddedHerald broker;

    @BeforeEach
    void start() throws Exception {
        SecureBrokers.addUser(dir, "alice", "alice-secret");
        SecureBrokers.addUser(dir, "admin", "admin-secret");
        broker = SecureBrokers.saslBroker(dir, Map.of("connections.max.reauth.ms", "0"));
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"})
    void eachMechanismProducesAndConsumes(String mechanism) throws Exception {
        Properties props = SecureBrokers.sasl(broker, mechanism, "alice", "alice-secret");
        String topic = "t-" + mechanism.toLowerCase();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "hello " + mechanism))
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            assertThat(values).containsExactly("hello " + mechanism);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-512", "PLAIN"})
    void wrongPasswordAndUnknownUserAreRefusedAlikeAndTheBrokerGoesOn(String mechanism) throws Exception {
        String wrong = failure(SecureBrokers.sasl(broker, mechanism, "alice", "guess"));
        String unknown = failure(SecureBrokers.sasl(broker, mechanism, "nobody", "guess"));

        assertThat(wrong).isEqualTo(unknown);
        try (Admin admin = Admin.create(SecureBrokers.sasl(broker, mechanism, "alice", "alice-secret"))) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isNotBlank();
        }
    }

    private static String failure(Properties props) {
        props.put("request.timeout.ms", "20000");
        props.put("default.api.timeout.ms", "20000");
        try (Admin admin = Admin.create(props)) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
            assertThat(thrown).isInstanceOf(ExecutionException.class);
            assertThat(thrown.getCause()).isInstanceOf(SaslAuthenticationException.class);
            return thrown.getCause().getMessage();
        }
    }

    @Test
    void requestsBeforeAuthenticationCloseTheConnection() throws Exception {
        try (RawKafkaClient raw = RawKafkaClient.connect(broker.bootstrap(), "raw")) {
            assertThatThrownBy(() -> raw.send(new MetadataRequestData().setTopics(null), (short) 12))
                    .isInstanceOf(IOException.class);
        }
        assertBrokerServes();
    }

    @Test
    void garbageDuringTheSaslExchangeClosesTheConnection() throws Exception {
        try (RawKafkaClient raw = RawKafkaClient.connect(broker.bootstrap(), "raw")) {
            SaslHandshakeResponseData hs =
                    raw.send(new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512"), (short) 1);
            assertThat(hs.errorCode()).isEqualTo(Errors.NONE.code());
            SaslAuthenticateResponseData auth = raw.send(
                    new SaslAuthenticateRequestData()
                            .setAuthBytes("\u0000\u0001garbage".getBytes(StandardCharsets.UTF_8)),
                    (short) 2);
            assertThat(auth.errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
            assertThatThrownBy(() -> raw.send(new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 1))
                    .isInstanceOf(IOException.class);
        }
        try (Socket socket =
                new Socket("127.0.0.1", Integer.parseInt(broker.bootstrap().split(":")[1]))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(ByteBuffer.allocate(12).putInt(8).putLong(0xDEADBEEFCAFEL).array());
            out.flush();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertBrokerServes();
    }

    @Test
    void unsupportedMechanismIsAnsweredWithTheEnabledOnes() throws Exception {
        try (RawKafkaClient raw = RawKafkaClient.connect(broker.bootstrap(), "raw")) {
            SaslHandshakeResponseData hs = raw.send(new SaslHandshakeRequestData().setMechanism("GSSAPI"), (short) 1);
            assertThat(hs.errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            assertThat(hs.mechanisms()).containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");
        }
    }

    @Test
    void usersAreManagedThroughTheAdminApiAndPasswordsNeverStored() throws Exception {
        try (Admin admin = Admin.create(SecureBrokers.sasl(broker, "SCRAM-SHA-512", "admin", "admin-secret"))) {
            admin.alterUserScramCredentials(List.of(
                            new UserScramCredentialUpsertion(
                                    "bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), "bob-pw"),
                            new UserScramCredentialUpsertion(
                                    "bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "bob-pw")))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            Map<String, UserScramCredentialsDescription> users =
                    admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS);
            assertThat(users).containsKeys("alice", "admin", "bob");
            assertThat(users.get("bob").credentialInfos())
                    .extracting(ScramCredentialInfo::mechanism, ScramCredentialInfo::iterations)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(ScramMechanism.SCRAM_SHA_256, 8192),
                            org.assertj.core.groups.Tuple.tuple(ScramMechanism.SCRAM_SHA_512, 4096));
            assertThat(java.nio.file.Files.readString(BrokerSecurity.credentialsFile(dir)))
                    .doesNotContain("bob-pw");

            try (Admin bob = Admin.create(SecureBrokers.sasl(broker, "SCRAM-SHA-256", "bob", "bob-pw"))) {
                assertThat(bob.listTopics().names().get(30, TimeUnit.SECONDS)).isNotNull();
            }

            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                    "carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 100), "x")))
                            .all()
                            .get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.UnacceptableCredentialException.class);

            admin.alterUserScramCredentials(List.of(
                            new UserScramCredentialDeletion("bob", ScramMechanism.SCRAM_SHA_256),
                            new UserScramCredentialDeletion("bob", ScramMechanism.SCRAM_SHA_512)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        assertThat(failure(SecureBrokers.sasl(broker, "SCRAM-SHA-256", "bob", "bob-pw")))
                .contains("Authentication failed");
    }

    @Test
    void expiredSessionsMustReauthenticateAndRealClientsDo() throws Exception {
        broker.close();
        broker = SecureBrokers.saslBroker(dir, Map.of("connections.max.reauth.ms", "1500"));

        try (RawKafkaClient raw = RawKafkaClient.connect(broker.bootstrap(), "raw")) {
            raw.send(new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 1);
            SaslAuthenticateResponseData auth = raw.send(
                    new SaslAuthenticateRequestData()
                            .setAuthBytes("\u0000alice\u0000alice-secret".getBytes(StandardCharsets.UTF_8)),
                    (short) 2);
            assertThat(auth.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(auth.sessionLifetimeMs()).isEqualTo(1500);
            raw.send(new MetadataRequestData().setTopics(null), (short) 12);
            // served until the lifetime ends, then the connection is closed on the next request
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        try {
                            raw.send(new MetadataRequestData().setTopics(null), (short) 12);
                            return false;
                        } catch (IOException closed) {
                            return true;
                        }
                    });
        }

        Properties props = SecureBrokers.sasl(broker, "SCRAM-SHA-512", "alice", "alice-secret");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            // the client re-authenticates before its session ends (its own KIP-368 metrics say so), sends never fail
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        producer.send(new ProducerRecord<>("reauth", "v")).get(30, TimeUnit.SECONDS);
                        return metric(producer.metrics(), "successful-reauthentication-total") >= 1;
                    });
            assertThat(metric(producer.metrics(), "failed-reauthentication-total"))
                    .isZero();
        }
    }

    /** The sum of a client metric over its connections' metric groups (producer-metrics, per node, ...). */
    private static double metric(
            Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> all, String name) {
        return all.entrySet().stream()
                .filter(e ->
                        e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    private void assertBrokerServes() throws Exception {
        try (Admin admin = Admin.create(SecureBrokers.sasl(broker, "SCRAM-SHA-512", "alice", "alice-secret"))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasSize(1);
        }
    }
}
