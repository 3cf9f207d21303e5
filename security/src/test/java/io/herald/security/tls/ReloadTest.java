package io.herald.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.security.certs.IssuedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Key material replaced on disk takes effect for new connections, without a restart; a bad replacement does not. */
@Timeout(60)
class ReloadTest {

    @TempDir
    Path dir;

    private Pki pki;
    private SslContextFactory client;

    @BeforeEach
    void setUp() throws Exception {
        pki = Pki.create(dir, "Test CA");
        client = SslContextFactory.forClient(Pki.settings(pki.pemTruststore()));
    }

    @Test
    void aReplacedPemKeystoreIsPresentedToNewConnectionsAndACorruptOneIsIgnored() throws Exception {
        IssuedCertificate first = pki.broker();
        IssuedCertificate second = pki.broker();
        Path keystore = dir.resolve("broker.pem");
        first.writePemKeystore(keystore, Optional.empty());
        SslContextFactory server = SslContextFactory.forServer(
                Pki.settings(Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", keystore.toString())));
        assertThat(presented(server)).isEqualTo(first.certificate());
        assertThat(server.reloadIfChanged()).as("nothing changed").isFalse();

        second.writePemKeystore(keystore, Optional.empty());
        assertThat(server.reloadIfChanged()).isTrue();
        assertThat(presented(server)).isEqualTo(second.certificate());

        replace(keystore, "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n");
        assertThat(server.reloadIfChanged()).isFalse();
        assertThat(server.reloadIfChanged())
                .as("the same bad file is not retried")
                .isFalse();
        assertThat(presented(server)).isEqualTo(second.certificate());
        assertThat(server.certificateChain()).containsExactlyElementsOf(second.chain());
    }

    @Test
    void aReplacedPkcs12KeystoreIsPresentedAndOneWithAnotherPasswordIsIgnored() throws Exception {
        Path keystore = dir.resolve("broker.p12");
        IssuedCertificate first = pki.broker();
        first.writePkcs12(keystore, "pw".toCharArray());
        SslContextFactory server = SslContextFactory.forServer(
                Pki.settings(Map.of("ssl.keystore.location", keystore.toString(), "ssl.keystore.password", "pw")));

        IssuedCertificate second = pki.broker();
        second.writePkcs12(keystore, "pw".toCharArray());
        assertThat(server.reloadIfChanged()).isTrue();
        assertThat(presented(server)).isEqualTo(second.certificate());

        pki.broker().writePkcs12(keystore, "another".toCharArray());
        assertThat(server.reloadIfChanged()).isFalse();
        assertThat(presented(server)).isEqualTo(second.certificate());
    }

    @Test
    void touchingAFileWithoutChangingItReloadsNothing() throws Exception {
        Path keystore = dir.resolve("broker.pem");
        pki.broker().writePemKeystore(keystore, Optional.empty());
        SslContextFactory server = SslContextFactory.forServer(
                Pki.settings(Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", keystore.toString())));

        Files.setLastModifiedTime(keystore, FileTime.fromMillis(System.currentTimeMillis() + 5000));

        assertThat(server.reloadIfChanged()).isFalse();
    }

    @Test
    void aChangedTruststoreIsReloadedToo() throws Exception {
        Pki other = Pki.create(dir.resolve("other"), "Other CA");
        Path truststore = dir.resolve("trust.pem");
        pki.ca.writeCertificate(truststore);
        SslContextFactory trusting = SslContextFactory.forClient(
                Pki.settings(Map.of("ssl.truststore.type", "PEM", "ssl.truststore.location", truststore.toString())));
        SslContextFactory otherServer =
                SslContextFactory.forServer(Pki.settings(other.pemKeystore(other.broker(), Optional.empty())));
        assertThat(TlsLoopback.connect(otherServer, trusting, "localhost").succeeded())
                .isFalse();

        other.ca.writeCertificate(truststore);
        assertThat(trusting.reloadIfChanged()).isTrue();

        TlsLoopback.Outcome outcome = TlsLoopback.connect(otherServer, trusting, "localhost");
        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
    }

    @Test
    void theReloaderPicksUpAReplacementByItself() throws Exception {
        Path keystore = dir.resolve("broker.pem");
        pki.broker().writePemKeystore(keystore, Optional.empty());
        SslContextFactory server = SslContextFactory.forServer(
                Pki.settings(Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", keystore.toString())));
        IssuedCertificate renewed = pki.broker();

        try (KeyMaterialReloader ignored = KeyMaterialReloader.start(Duration.ofMillis(50), List.of(server))) {
            renewed.writePemKeystore(keystore, Optional.empty());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> server.certificateChain().get(0).equals(renewed.certificate()));
        }
        assertThat(presented(server)).isEqualTo(renewed.certificate());
    }

    /** The certificate a new connection is shown. */
    private X509Certificate presented(SslContextFactory server) throws Exception {
        TlsLoopback.Outcome outcome = TlsLoopback.connect(server, client, "localhost");
        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        return outcome.client().peerCertificate();
    }

    private static void replace(Path file, String content) throws Exception {
        Path temporary = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
