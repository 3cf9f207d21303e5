package io.herald.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.security.certs.CertificateRequest;
import io.herald.security.certs.IssuedCertificate;
import io.herald.security.certs.KeyAlgorithm;
import io.herald.security.certs.Validity;
import io.herald.security.pem.Pem;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Key material that cannot be used fails {@link SslContextFactory} at start with a message an operator can act on. */
@Timeout(60)
class KeyMaterialErrorsTest {

    @TempDir
    Path dir;

    private Pki pki;

    @BeforeEach
    void setUp() {
        pki = Pki.create(dir, "Test CA");
    }

    @Test
    void aWrongKeystorePasswordIsReportedAsSuch() throws Exception {
        Map<String, String> settings = pki.pkcs12Keystore(pki.broker(), "right");
        settings.put("ssl.keystore.password", "wrong");

        assertThatThrownBy(() -> SslContextFactory.forServer(Pki.settings(settings)))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("ssl.keystore.location=")
                .hasMessageContaining("wrong password (ssl.keystore.password)");
    }

    @Test
    void aWrongTruststorePasswordIsReportedAsSuch() throws Exception {
        Map<String, String> settings = pki.pkcs12Truststore("right");
        settings.put("ssl.truststore.password", "wrong");

        assertThatThrownBy(() -> SslContextFactory.forClient(Pki.settings(settings)))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("ssl.truststore.location=")
                .hasMessageContaining("wrong password");
    }

    @Test
    void aWrongPemKeyPasswordIsReportedAsSuch() throws Exception {
        Map<String, String> settings = pki.pemKeystore(pki.broker(), Optional.of("right"));
        settings.put("ssl.key.password", "wrong");

        assertThatThrownBy(() -> SslContextFactory.forServer(Pki.settings(settings)))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("ssl.keystore.location=")
                .hasMessageContaining("wrong password");
    }

    @Test
    void anEncryptedPemKeyWithoutPasswordIsReportedAsSuch() throws Exception {
        Map<String, String> settings = pki.pemKeystore(pki.broker(), Optional.of("right"));
        settings.remove("ssl.key.password");

        assertThatThrownBy(() -> SslContextFactory.forServer(Pki.settings(settings)))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("encrypted and no password was given")
                .hasMessageContaining("ssl.key.password");
    }

    @Test
    void aMissingFileIsReportedWithItsKey() {
        Map<String, String> settings = Map.of(
                "ssl.keystore.type",
                "PEM",
                "ssl.keystore.location",
                dir.resolve("nope.pem").toString());

        assertThatThrownBy(() -> SslContextFactory.forServer(Pki.settings(settings)))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("ssl.keystore.location=")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aFileThatIsNotAKeystoreIsReported() throws Exception {
        Path file = Files.writeString(dir.resolve("garbage.p12"), "not a keystore");
        Map<String, String> settings = Map.of("ssl.keystore.location", file.toString(), "ssl.keystore.password", "x");

        assertThatThrownBy(() -> SslContextFactory.forServer(Pki.settings(settings)))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("not a JKS keystore");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() throws Exception {
        IssuedCertificate one = pki.broker();
        IssuedCertificate other = pki.broker();
        Path file = dir.resolve("mismatched.pem");
        Files.writeString(file, Pem.privateKey(other.privateKey(), Optional.empty()) + Pem.certificates(one.chain()));
        Map<String, String> settings = Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", file.toString());

        assertThatThrownBy(() -> SslContextFactory.forServer(Pki.settings(settings)))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("does not belong to its certificate");
    }

    @Test
    void aServerWithoutKeystoreIsRefused() {
        assertThatThrownBy(() -> SslContextFactory.forServer(SslSettings.parse(Map.of())))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("ssl.keystore.location");
    }

    @Test
    void anUnknownCipherSuiteIsRefusedAtStart() throws Exception {
        Map<String, String> settings = pki.pemKeystore(pki.broker(), Optional.empty());
        settings.put("ssl.cipher.suites", "TLS_NOT_A_SUITE");

        assertThatThrownBy(() -> SslContextFactory.forServer(Pki.settings(settings)))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("TLS_NOT_A_SUITE");
    }

    @Test
    void inlinePemKeyMaterialWithAPkcs1RsaKeyWorks() throws Exception {
        IssuedCertificate broker = pki.ca.issue(
                CertificateRequest.broker(List.of("localhost"), List.of(), Validity.days(Clock.systemUTC(), 1))
                        .withKeyAlgorithm(KeyAlgorithm.RSA_2048));
        StringWriter pkcs1 = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pkcs1)) {
            writer.writeObject(broker.privateKey()); // "RSA PRIVATE KEY": PKCS#1
        }
        assertThat(pkcs1.toString()).contains("BEGIN RSA PRIVATE KEY");
        Map<String, String> settings = new HashMap<>();
        settings.put("ssl.keystore.type", "PEM");
        settings.put("ssl.keystore.key", pkcs1.toString());
        settings.put("ssl.keystore.certificate.chain", Pem.certificates(broker.chain()));

        SslContextFactory server = SslContextFactory.forServer(Pki.settings(settings));
        Map<String, String> client = Map.of(
                "ssl.truststore.type",
                "PEM",
                "ssl.truststore.certificates",
                Pem.certificates(List.of(pki.ca.certificate())));
        TlsLoopback.Outcome outcome =
                TlsLoopback.connect(server, SslContextFactory.forClient(Pki.settings(client)), "localhost");

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        assertThat(outcome.client().peerCertificate()).isEqualTo(broker.certificate());
    }

    @Test
    void aJksKeystoreWithItsOwnKeyPasswordWorks() throws Exception {
        IssuedCertificate broker = pki.broker();
        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setKeyEntry(
                "broker",
                broker.privateKey(),
                "keypass".toCharArray(),
                broker.chain().toArray(new Certificate[0]));
        Path file = dir.resolve("broker.jks");
        try (OutputStream out = new FileOutputStream(file.toFile())) {
            jks.store(out, "storepass".toCharArray());
        }
        Map<String, String> settings = new HashMap<>(Map.of(
                "ssl.keystore.type", "JKS",
                "ssl.keystore.location", file.toString(),
                "ssl.keystore.password", "storepass",
                "ssl.key.password", "keypass"));

        assertThat(SslContextFactory.forServer(Pki.settings(settings)).certificateChain())
                .containsExactlyElementsOf(broker.chain());
        settings.put("ssl.key.password", "wrong");
        assertThatThrownBy(() -> SslContextFactory.forServer(Pki.settings(settings)))
                .hasMessageContaining("wrong ssl.key.password");
    }
}
