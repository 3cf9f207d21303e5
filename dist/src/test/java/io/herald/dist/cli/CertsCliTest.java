package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.security.pem.Pem;
import io.herald.security.tls.SslContextFactory;
import io.herald.security.tls.SslSettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald certs create-ca|create-broker|create-client}, run in-process; no broker needed. */
@Timeout(120)
class CertsCliTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    private final Cli cli = new Cli(null);

    @Test
    void createCaWritesTheCertificateAndKeyAndSaysWhatTheyAreFor() throws Exception {
        Cli.Result result = cli.run("certs", "create-ca", "--out-dir", dir.toString(), "--cn", "Test CA");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("Created certificate authority CN=Test CA")
                .contains("ca.crt");
        X509Certificate ca = certificate(dir.resolve("ca.crt"));
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(Files.readString(dir.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void aBrokerCertificateHasTheRequestedNamesAndItsChainValidatesAgainstTheCa() throws Exception {
        assertThat(cli.run("certs", "create-ca", "--out-dir", dir.toString()).exitCode())
                .isZero();

        Cli.Result result = cli.run(
                "certs", "create-broker",
                "--ca-dir", dir.toString(),
                "--out-dir", dir.resolve("broker").toString(),
                "--dns", "broker1.example.com,localhost",
                "--ip", "127.0.0.1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("Issued broker certificate CN=broker1.example.com")
                .contains("ssl.keystore.type=PEM")
                .contains("ssl.keystore.location=" + dir.resolve("broker/broker1.example.com-keystore.pem"));
        List<X509Certificate> chain = chain(dir.resolve("broker/broker1.example.com.crt"));
        validate(chain, certificate(dir.resolve("ca.crt")));
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
        assertThat(leaf.getSubjectAlternativeNames().stream()
                        .map(san -> String.valueOf(san.get(1)))
                        .toList())
                .containsExactly("broker1.example.com", "localhost", "127.0.0.1");
        assertThat(Pem.matches(
                        Pem.readPrivateKey(
                                Files.readString(dir.resolve("broker/broker1.example.com.key")), Optional.empty()),
                        leaf))
                .isTrue();
    }

    @Test
    void theWrittenFilesConfigureATlsListenerAsPrinted() throws Exception {
        cli.run("certs", "create-ca", "--out-dir", dir.toString(), "--key-password", "ca-pw");
        Cli.Result result = cli.run(
                "certs", "create-broker",
                "--ca-dir", dir.toString(),
                "--ca-key-password", "ca-pw",
                "--out-dir", dir.toString(),
                "--ip", "127.0.0.1",
                "--format", "both",
                "--pkcs12-password", "p12-pw",
                "--key-password", "key-pw");
        assertThat(result.exitCode()).as(result.toString()).isZero();

        SslContextFactory pem = SslContextFactory.forServer(SslSettings.parse(Map.of(
                "ssl.keystore.type", "PEM",
                "ssl.keystore.location", dir.resolve("broker-keystore.pem").toString(),
                "ssl.key.password", "key-pw",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", dir.resolve("ca.crt").toString())));
        SslContextFactory pkcs12 = SslContextFactory.forServer(SslSettings.parse(Map.of(
                "ssl.keystore.location", dir.resolve("broker.p12").toString(), "ssl.keystore.password", "p12-pw")));

        assertThat(pem.certificateChain().get(0))
                .isEqualTo(pkcs12.certificateChain().get(0));
    }

    @Test
    void aClientCertificateCarriesTheSubjectAndIsForClientAuthenticationOnly() throws Exception {
        cli.run("certs", "create-ca", "--out-dir", dir.toString());

        Cli.Result result = cli.run(
                "certs", "create-client",
                "--ca-dir", dir.toString(),
                "--out-dir", dir.toString(),
                "--cn", "app",
                "--ou", "payments",
                "--org", "Example",
                "--format", "pkcs12",
                "--pkcs12-password", "pw");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("app.p12"))) {
            store.load(in, "pw".toCharArray());
        }
        X509Certificate leaf = (X509Certificate) store.getCertificate("herald");
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=app,OU=payments,O=Example");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        validate(List.of((X509Certificate) store.getCertificateChain("herald")[0]), certificate(dir.resolve("ca.crt")));
        assertThat(Files.exists(dir.resolve("app.crt"))).as("PEM not asked for").isFalse();
    }

    @Test
    void mistakesAreExplained() throws Exception {
        Cli.Result noCa = cli.run("certs", "create-broker", "--ca-dir", dir.toString(), "--dns", "b");
        Cli.Result noNames = cli.run("certs", "create-broker", "--ca-dir", dir.toString());
        Cli.Result hostAsIp = cli.run("certs", "create-broker", "--ca-dir", dir.toString(), "--ip", "b.example");
        Cli.Result noPassword =
                cli.run("certs", "create-client", "--ca-dir", dir.toString(), "--cn", "c", "--format", "pkcs12");

        assertThat(noCa.exitCode()).isEqualTo(1);
        assertThat(noCa.err()).contains("no CA in").contains("herald certs create-ca");
        assertThat(noNames.exitCode()).isEqualTo(2);
        assertThat(noNames.err()).contains("--dns or --ip");
        assertThat(hostAsIp.exitCode()).isEqualTo(2);
        assertThat(hostAsIp.err()).contains("not an IP address");
        assertThat(noPassword.exitCode()).isEqualTo(2);
        assertThat(noPassword.err()).contains("--pkcs12-password is required");
    }

    @Test
    void existingFilesAreKeptUnlessForced() throws Exception {
        cli.run("certs", "create-ca", "--out-dir", dir.toString());
        String first = Files.readString(dir.resolve("ca.crt"));

        Cli.Result again = cli.run("certs", "create-ca", "--out-dir", dir.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("exists already").contains("--force");
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(first);

        assertThat(cli.run("certs", "create-ca", "--out-dir", dir.toString(), "--force")
                        .exitCode())
                .isZero();
        assertThat(Files.readString(dir.resolve("ca.crt"))).isNotEqualTo(first);
    }

    @Test
    void aWrongCaKeyPasswordIsReported() throws Exception {
        cli.run("certs", "create-ca", "--out-dir", dir.toString(), "--key-password", "right");

        Cli.Result withoutPassword = cli.run("certs", "create-broker", "--ca-dir", dir.toString(), "--dns", "b");
        Cli.Result wrong = cli.run(
                "certs", "create-broker", "--ca-dir", dir.toString(), "--dns", "b", "--ca-key-password", "wrong");

        assertThat(withoutPassword.exitCode()).isEqualTo(1);
        assertThat(withoutPassword.err()).contains("--ca-key-password");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("wrong password");
    }

    private static X509Certificate certificate(Path file) throws Exception {
        return chain(file).get(0);
    }

    private static List<X509Certificate> chain(Path file) throws Exception {
        return Pem.readCertificates(Files.readString(file));
    }

    private static void validate(List<X509Certificate> chain, X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        List<X509Certificate> path =
                chain.get(chain.size() - 1).equals(ca) ? chain.subList(0, chain.size() - 1) : chain;
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    }
}
