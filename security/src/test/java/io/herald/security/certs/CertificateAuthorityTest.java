package io.herald.security.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CertificateAuthorityTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    private final CertificateAuthority ca = CertificateAuthority.create(
            new Subject("Example CA", Optional.of("Ops"), Optional.of("Example")),
            Validity.days(Clock.systemUTC(), 365),
            KeyAlgorithm.EC_P256);

    @Test
    void theCaCertificateIsASelfSignedCa() throws Exception {
        X509Certificate certificate = ca.certificate();

        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getBasicConstraints()).isEqualTo(0);
        assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=Example CA,OU=Ops,O=Example");
    }

    @Test
    void aBrokerCertificateHasItsNamesBothUsagesAndAChainThatValidates() throws Exception {
        IssuedCertificate broker = ca.issue(CertificateRequest.broker(
                List.of("broker1.example.com", "localhost"),
                List.of("10.0.0.7", "::1"),
                Validity.days(Clock.systemUTC(), 30)));
        X509Certificate leaf = broker.certificate();

        validate(broker.chain());
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=broker1.example.com");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getSubjectAlternativeNames().stream()
                        .map(san -> String.valueOf(san.get(1)))
                        .toList())
                .containsExactly("broker1.example.com", "localhost", "10.0.0.7", "0:0:0:0:0:0:0:1");
        assertThat(broker.chain()).hasSize(2).last().isEqualTo(ca.certificate());
    }

    @Test
    void aClientCertificateIsForClientAuthenticationOnlyWithTheSubjectAsGiven() throws Exception {
        IssuedCertificate client = ca.issue(CertificateRequest.client(
                new Subject("app", Optional.of("payments"), Optional.of("Example")),
                Validity.days(Clock.systemUTC(), 30)));

        validate(client.chain());
        assertThat(client.certificate().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(client.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=app,OU=payments,O=Example");
        assertThat(client.certificate().getSubjectAlternativeNames()).isNull();
        assertThat(client.toString())
                .isEqualTo("IssuedCertificate(CN=app,OU=payments,O=Example, serial "
                        + client.certificate().getSerialNumber().toString(16) + ")");
    }

    @Test
    void anIpAddressMustBeALiteralNotAHostName() {
        CertificateRequest request = new CertificateRequest(
                Subject.of("b"),
                List.of(),
                List.of("broker.example.com"),
                true,
                Validity.days(Clock.systemUTC(), 1),
                KeyAlgorithm.EC_P256);

        assertThatThrownBy(() -> ca.issue(request)).hasMessageContaining("not an IP address");
    }

    @Test
    void aCaSavedWithAnEncryptedKeyIsLoadedBackAndIssuesMore() throws Exception {
        Path cert = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        ca.writePem(cert, key, Optional.of("ca-secret".toCharArray()));

        assertThat(Files.readString(key)).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        CertificateAuthority loaded = CertificateAuthority.load(cert, key, Optional.of("ca-secret".toCharArray()));
        IssuedCertificate issued =
                loaded.issue(CertificateRequest.broker(List.of("b2"), List.of(), Validity.days(Clock.systemUTC(), 1)));

        assertThat(loaded.certificate()).isEqualTo(ca.certificate());
        validate(issued.chain());
        assertThatThrownBy(() -> CertificateAuthority.load(cert, key, Optional.of("wrong".toCharArray())))
                .hasMessageContaining("wrong password");
    }

    @Test
    void aLeafCertificateIsNotLoadedAsACa() throws Exception {
        IssuedCertificate leaf =
                ca.issue(CertificateRequest.broker(List.of("b"), List.of(), Validity.days(Clock.systemUTC(), 1)));
        Path cert = dir.resolve("leaf.crt");
        Path key = dir.resolve("leaf.key");
        leaf.writePemCertificateChain(cert);
        leaf.writePemPrivateKey(key, Optional.empty());

        assertThatThrownBy(() -> CertificateAuthority.load(cert, key, Optional.empty()))
                .hasMessageContaining("not a CA certificate");
    }

    @Test
    void anRsaCaIssuesRsaCertificates() throws Exception {
        CertificateAuthority rsa = CertificateAuthority.create(
                Subject.of("RSA CA"), Validity.days(Clock.systemUTC(), 1), KeyAlgorithm.RSA_2048);
        IssuedCertificate issued =
                rsa.issue(CertificateRequest.broker(List.of("b"), List.of(), Validity.days(Clock.systemUTC(), 1))
                        .withKeyAlgorithm(KeyAlgorithm.RSA_2048));

        validate(issued.chain(), rsa);
        assertThat(issued.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(issued.certificate().getKeyUsage()[2]).as("keyEncipherment").isTrue();
    }

    @Test
    void pkcs12FilesHoldTheKeyWithItsChainAndTheTrustedCa() throws Exception {
        IssuedCertificate broker =
                ca.issue(CertificateRequest.broker(List.of("b"), List.of(), Validity.days(Clock.systemUTC(), 1)));
        Path keystore = dir.resolve("b.p12");
        Path truststore = dir.resolve("truststore.p12");
        broker.writePkcs12(keystore, "pw".toCharArray());
        ca.writePkcs12Truststore(truststore, "tpw".toCharArray());

        KeyStore keys = load(keystore, "pw");
        assertThat(keys.getKey(IssuedCertificate.ALIAS, "pw".toCharArray())).isEqualTo(broker.privateKey());
        assertThat(keys.getCertificateChain(IssuedCertificate.ALIAS)).containsExactlyElementsOf(broker.chain());
        KeyStore trusted = load(truststore, "tpw");
        assertThat(trusted.getCertificate("herald-ca")).isEqualTo(ca.certificate());
        assertThat(trusted.isCertificateEntry("herald-ca")).isTrue();
    }

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private void validate(List<X509Certificate> chain) throws Exception {
        validate(chain, ca);
    }

    private static void validate(List<X509Certificate> chain, CertificateAuthority anchor) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor.certificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, 1)), parameters);
    }
}
