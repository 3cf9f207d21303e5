package io.herald.security.tls;

import io.herald.security.certs.CertificateAuthority;
import io.herald.security.certs.CertificateRequest;
import io.herald.security.certs.IssuedCertificate;
import io.herald.security.certs.KeyAlgorithm;
import io.herald.security.certs.Subject;
import io.herald.security.certs.Validity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A test CA in a temporary directory, with helpers that write key material and return the matching settings. */
final class Pki {

    final Path dir;
    final CertificateAuthority ca;
    private int files;

    private Pki(Path dir, CertificateAuthority ca) {
        this.dir = dir;
        this.ca = ca;
    }

    static Pki create(Path dir, String name) {
        return new Pki(
                dir,
                CertificateAuthority.create(
                        new Subject(name, Optional.empty(), Optional.of("Herald tests")),
                        Validity.days(Clock.systemUTC(), 30),
                        KeyAlgorithm.EC_P256));
    }

    IssuedCertificate broker() {
        return ca.issue(CertificateRequest.broker(
                List.of("localhost"), List.of("127.0.0.1"), Validity.days(Clock.systemUTC(), 30)));
    }

    IssuedCertificate expiredBroker() {
        Instant now = Instant.now();
        return ca.issue(CertificateRequest.broker(
                List.of("localhost"),
                List.of("127.0.0.1"),
                new Validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)))));
    }

    IssuedCertificate client(String cn, String ou, String o) {
        return ca.issue(CertificateRequest.client(
                new Subject(cn, Optional.of(ou), Optional.of(o)), Validity.days(Clock.systemUTC(), 30)));
    }

    /** Writes {@code issued} as a PEM keystore file, its key encrypted with {@code keyPassword} if present. */
    Map<String, String> pemKeystore(IssuedCertificate issued, Optional<String> keyPassword) throws IOException {
        Path file = dir.resolve("keystore-" + files++ + ".pem");
        issued.writePemKeystore(file, keyPassword.map(String::toCharArray));
        Map<String, String> settings = new HashMap<>();
        settings.put("ssl.keystore.type", "PEM");
        settings.put("ssl.keystore.location", file.toString());
        keyPassword.ifPresent(p -> settings.put("ssl.key.password", p));
        return settings;
    }

    Map<String, String> pkcs12Keystore(IssuedCertificate issued, String password) throws IOException {
        Path file = dir.resolve("keystore-" + files++ + ".p12");
        issued.writePkcs12(file, password.toCharArray());
        return new HashMap<>(Map.of(
                "ssl.keystore.type",
                "PKCS12",
                "ssl.keystore.location",
                file.toString(),
                "ssl.keystore.password",
                password));
    }

    Map<String, String> pemTruststore() throws IOException {
        Path file = dir.resolve("truststore-" + files++ + ".pem");
        ca.writeCertificate(file);
        return new HashMap<>(Map.of("ssl.truststore.type", "PEM", "ssl.truststore.location", file.toString()));
    }

    Map<String, String> pkcs12Truststore(String password) throws IOException {
        Path file = dir.resolve("truststore-" + files++ + ".p12");
        ca.writePkcs12Truststore(file, password.toCharArray());
        return new HashMap<>(Map.of(
                "ssl.truststore.type",
                "PKCS12",
                "ssl.truststore.location",
                file.toString(),
                "ssl.truststore.password",
                password));
    }

    @SafeVarargs
    static SslSettings settings(Map<String, String>... parts) {
        Map<String, String> all = new HashMap<>();
        for (Map<String, String> part : parts) {
            all.putAll(part);
        }
        return SslSettings.parse(all);
    }
}
