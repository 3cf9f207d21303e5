package io.herald.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.security.certs.CertificateAuthority;
import io.herald.security.certs.CertificateRequest;
import io.herald.security.certs.IssuedCertificate;
import io.herald.security.certs.KeyAlgorithm;
import io.herald.security.certs.Subject;
import io.herald.security.certs.Validity;
import io.herald.security.tls.SslContextFactory;
import io.herald.security.tls.SslSettings;
import io.herald.server.EmbeddedHerald;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
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
 * SSL and SASL_SSL listeners driven by the real Kafka clients: encryption, mutual TLS principals, refusals, a keystore
 * replaced while the broker runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsListenerTest {

    private static final char[] PW = "changeit".toCharArray();

    @TempDir
    Path data;

    @TempDir
    Path certs;

    @Test
    void sslListenerWithDevelopmentCertificatesCarriesRecordsBothWays() throws Exception {
        try (EmbeddedHerald broker =
                EmbeddedHerald.start(data, Map.of("listeners", "SSL://127.0.0.1:0", "num.network.threads", "1"))) {
            Properties p = broker.clientProperties();
            p.put("security.protocol", "SSL");
            p.put("ssl.truststore.type", "PEM");
            p.put(
                    "ssl.truststore.location",
                    data.resolve(".dev-certificates/ca.crt").toString());
            roundTrip(p, "tls-topic", 300);
        }
    }

    @Test
    void saslSslAuthenticatesInsideTls() throws Exception {
        SecureBrokers.addUser(data, "alice", "alice-pw");
        try (EmbeddedHerald broker = EmbeddedHerald.start(data, Map.of("listeners", "SASL_SSL://127.0.0.1:0"))) {
            Properties good = saslSsl(broker, "alice-pw");
            roundTrip(good, "sasl-ssl", 50);

            Properties bad = saslSsl(broker, "wrong");
            bad.put("request.timeout.ms", "10000");
            bad.put("default.api.timeout.ms", "15000");
            try (Admin admin = Admin.create(bad)) {
                assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
    }

    @Test
    void mutualTlsNamesTheClientByItsCertificateAndRefusesOthers() throws Exception {
        Clock clock = Clock.systemUTC();
        CertificateAuthority ca =
                CertificateAuthority.create(Subject.of("Test CA"), Validity.days(clock, 10), KeyAlgorithm.values()[0]);
        Path truststore = certs.resolve("ca.p12");
        ca.writePkcs12Truststore(truststore, PW);
        IssuedCertificate brokerCert = ca.issue(
                CertificateRequest.broker(List.of("localhost"), List.of("127.0.0.1"), Validity.days(clock, 10)));
        Path brokerKeystore = certs.resolve("broker.p12");
        brokerCert.writePkcs12(brokerKeystore, PW);
        Path app = certs.resolve("app.p12");
        ca.issue(CertificateRequest.client(
                        new Subject("app", Optional.of("payments"), Optional.of("Example")), Validity.days(clock, 10)))
                .writePkcs12(app, PW);
        Path expired = certs.resolve("expired.p12");
        ca.issue(CertificateRequest.client(
                        Subject.of("old"),
                        new Validity(
                                Instant.now().minus(Duration.ofDays(5)),
                                Instant.now().minus(Duration.ofDays(1)))))
                .writePkcs12(expired, PW);
        CertificateAuthority stranger =
                CertificateAuthority.create(Subject.of("Other CA"), Validity.days(clock, 10), KeyAlgorithm.values()[0]);
        Path untrusted = certs.resolve("untrusted.p12");
        stranger.issue(CertificateRequest.client(Subject.of("app"), Validity.days(clock, 10)))
                .writePkcs12(untrusted, PW);

        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "SSL://127.0.0.1:0");
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", brokerKeystore.toString());
        settings.put("ssl.keystore.password", "changeit");
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", truststore.toString());
        settings.put("ssl.truststore.password", "changeit");
        settings.put("ssl.client.auth", "required");
        settings.put("ssl.principal.mapping.rules", "RULE:^CN=(.*?),OU=(.*?),.*$/$1@$2/L,DEFAULT");
        settings.put("authorizer.class.name", "io.herald.security.acl.AclAuthorizer");
        settings.put("super.users", "User:admin@ops");
        settings.put("allow.everyone.if.no.acl.found", "false");
        try (EmbeddedHerald broker = EmbeddedHerald.start(data, settings)) {
            Properties appClient = mtls(broker, app, truststore);
            try (Admin admin = Admin.create(appClient)) {
                // the principal is app@payments: allowed to read and write "payments-*" only
                assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("payments-in", 1, (short) 1)))
                                .all()
                                .get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
            }
            broker.server()
                    .security()
                    .access()
                    .authorizer()
                    .orElseThrow()
                    .create(List.of(new AclBinding(
                            new ResourcePattern(ResourceType.TOPIC, "payments-", PatternType.PREFIXED),
                            new AccessControlEntry(
                                    "User:app@payments", "*", AclOperation.ALL, AclPermissionType.ALLOW))));
            roundTrip(appClient, "payments-in", 20);
            Properties other = mtls(broker, app, truststore);
            other.put("enable.idempotence", "false");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(other, new StringSerializer(), new StringSerializer())) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secret", "x"))
                                .get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }

            for (Path refused : List.of(expired, untrusted)) {
                refusedHandshake(mtls(broker, refused, truststore));
            }
            Properties noCertificate = mtls(broker, app, truststore);
            noCertificate.remove("ssl.keystore.location");
            noCertificate.remove("ssl.keystore.password");
            noCertificate.remove("ssl.keystore.type");
            refusedHandshake(noCertificate);

            try (Socket socket =
                    new Socket("127.0.0.1", Integer.parseInt(broker.bootstrap().split(":")[1]))) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                int b;
                do {
                    b = socket.getInputStream().read();
                } while (b >= 0);
            }
            roundTrip(appClient, "payments-after", 5);
        }
    }

    @Test
    void aKeystoreReplacedOnDiskIsServedToNewClientsAfterTheCheckInterval() throws Exception {
        Clock clock = Clock.systemUTC();
        CertificateAuthority first =
                CertificateAuthority.create(Subject.of("First CA"), Validity.days(clock, 10), KeyAlgorithm.EC_P256);
        CertificateAuthority renewed =
                CertificateAuthority.create(Subject.of("Renewed CA"), Validity.days(clock, 10), KeyAlgorithm.EC_P256);
        Path firstCa = certs.resolve("first-ca.crt");
        first.writeCertificate(firstCa);
        Path renewedCa = certs.resolve("renewed-ca.crt");
        renewed.writeCertificate(renewedCa);
        Path keystore = certs.resolve("broker.pem");
        replacePemKeystore(keystore, first);
        Map<String, String> settings = Map.of(
                "listeners", "SSL://127.0.0.1:0",
                "ssl.keystore.type", "PEM",
                "ssl.keystore.location", keystore.toString(),
                "ssl.reload.check.interval.ms", "50");

        try (EmbeddedHerald broker = EmbeddedHerald.start(data, settings)) {
            roundTrip(pemTrusting(broker, firstCa), "before-renewal", 5);
            int port = Integer.parseInt(
                    broker.bootstrap().substring(broker.bootstrap().lastIndexOf(':') + 1));
            SSLContext trustingRenewed = SslContextFactory.forClient(SslSettings.parse(
                            Map.of("ssl.truststore.type", "PEM", "ssl.truststore.location", renewedCa.toString())))
                    .sslContext();
            assertThat(handshakes(trustingRenewed, port)).isFalse();

            replacePemKeystore(keystore, renewed);

            await().atMost(Duration.ofSeconds(30)).until(() -> handshakes(trustingRenewed, port));
            roundTrip(pemTrusting(broker, renewedCa), "after-renewal", 5);
        }
    }

    /** Writes a broker certificate of {@code ca} beside {@code keystore}, then renames it over it, as tools do. */
    private static void replacePemKeystore(Path keystore, CertificateAuthority ca) throws Exception {
        Path temporary = keystore.resolveSibling(keystore.getFileName() + ".tmp");
        ca.issue(CertificateRequest.broker(
                        List.of("localhost"), List.of("127.0.0.1"), Validity.days(Clock.systemUTC(), 10)))
                .writePemKeystore(temporary, Optional.empty());
        Files.move(temporary, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether a new TLS connection to the listener on {@code port} completes its handshake with {@code trust}. */
    private static boolean handshakes(SSLContext trust, int port) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) trust.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return true;
        } catch (SSLHandshakeException e) {
            return false;
        }
    }

    private static Properties pemTrusting(EmbeddedHerald broker, Path caFile) {
        Properties p = broker.clientProperties();
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", caFile.toString());
        return p;
    }

    private static void refusedHandshake(Properties p) {
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "15000");
        try (Admin admin = Admin.create(p)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    private static Properties mtls(EmbeddedHerald broker, Path keystore, Path truststore) {
        Properties p = broker.clientProperties();
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keystore.toString());
        p.put("ssl.keystore.password", "changeit");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", "changeit");
        return p;
    }

    private Properties saslSsl(EmbeddedHerald broker, String password) {
        Properties p = SecureBrokers.sasl(broker, "SCRAM-SHA-512", "alice", password);
        p.put("security.protocol", "SASL_SSL");
        p.put("ssl.truststore.type", "PEM");
        p.put(
                "ssl.truststore.location",
                data.resolve(".dev-certificates/ca.crt").toString());
        return p;
    }

    /** Produces {@code count} records of 2 KiB (several TLS records each batch) and reads them all back. */
    private static void roundTrip(Properties props, String topic, int count) throws Exception {
        String big = "x".repeat(2048);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, i + big));
            }
            producer.flush();
            producer.send(new ProducerRecord<>(topic, "last", "end")).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < count + 1 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            assertThat(values).hasSize(count + 1);
            for (int i = 0; i < count; i++) {
                assertThat(values.get(i)).isEqualTo(i + big);
            }
            assertThat(values.get(count)).isEqualTo("end");
        }
    }
}
