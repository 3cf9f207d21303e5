package io.herald.security.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.security.tls.SslContextFactory;
import io.herald.security.tls.SslSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DevelopmentCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStartGeneratesACaAndABrokerCertificateThatATlsListenerCanUse() throws Exception {
        DevelopmentCertificates certificates = DevelopmentCertificates.ensure(dir, Clock.systemUTC());

        assertThat(certificates.caCertificate()).exists();
        assertThat(certificates.brokerKeystore()).exists();
        SslContextFactory factory = SslContextFactory.forServer(SslSettings.parse(certificates.brokerSettings()));
        List<String> names = factory.certificateChain().get(0).getSubjectAlternativeNames().stream()
                .map(san -> String.valueOf(san.get(1)))
                .toList();
        assertThat(names).contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void laterStartsReuseTheFiles() throws Exception {
        DevelopmentCertificates.ensure(dir, Clock.systemUTC());
        String ca = Files.readString(dir.resolve(DevelopmentCertificates.CA_CERTIFICATE));
        String broker = Files.readString(dir.resolve(DevelopmentCertificates.BROKER_KEYSTORE));

        DevelopmentCertificates.ensure(dir, Clock.systemUTC());

        assertThat(Files.readString(dir.resolve(DevelopmentCertificates.CA_CERTIFICATE)))
                .isEqualTo(ca);
        assertThat(Files.readString(dir.resolve(DevelopmentCertificates.BROKER_KEYSTORE)))
                .isEqualTo(broker);
    }

    @Test
    void aBrokerCertificateAboutToExpireIsIssuedAgainFromTheSameCa() throws Exception {
        DevelopmentCertificates.ensure(dir, Clock.systemUTC(), List.of("localhost"), List.of("127.0.0.1"));
        String ca = Files.readString(dir.resolve(DevelopmentCertificates.CA_CERTIFICATE));
        String broker = Files.readString(dir.resolve(DevelopmentCertificates.BROKER_KEYSTORE));
        Clock later = Clock.fixed(
                Instant.now().plus(DevelopmentCertificates.BROKER_VALIDITY).minus(Duration.ofDays(1)), ZoneOffset.UTC);

        DevelopmentCertificates.ensure(dir, later, List.of("localhost"), List.of("127.0.0.1"));

        assertThat(Files.readString(dir.resolve(DevelopmentCertificates.CA_CERTIFICATE)))
                .isEqualTo(ca);
        assertThat(Files.readString(dir.resolve(DevelopmentCertificates.BROKER_KEYSTORE)))
                .isNotEqualTo(broker);
    }

    @Test
    void aNewHostNameGetsANewBrokerCertificate() throws Exception {
        DevelopmentCertificates.ensure(dir, Clock.systemUTC(), List.of("localhost"), List.of("127.0.0.1"));
        String broker = Files.readString(dir.resolve(DevelopmentCertificates.BROKER_KEYSTORE));

        DevelopmentCertificates.ensure(dir, Clock.systemUTC(), List.of("localhost", "box"), List.of("127.0.0.1"));

        assertThat(Files.readString(dir.resolve(DevelopmentCertificates.BROKER_KEYSTORE)))
                .isNotEqualTo(broker);
    }

    @Test
    void theSettingsPointAtTheFiles() throws Exception {
        DevelopmentCertificates certificates = DevelopmentCertificates.ensure(dir, Clock.systemUTC());

        assertThat(certificates.brokerSettings())
                .containsAllEntriesOf(Map.of(
                        "ssl.keystore.type", "PEM",
                        "ssl.keystore.location",
                                dir.resolve("broker-keystore.pem").toString(),
                        "ssl.truststore.location", dir.resolve("ca.crt").toString()));
    }
}
