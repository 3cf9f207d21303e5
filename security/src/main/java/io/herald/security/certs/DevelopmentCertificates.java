package io.herald.security.certs;

import io.herald.security.pem.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key material for a broker started with a TLS listener but no keystore: a self-signed development CA and a broker
 * certificate for {@code localhost}, {@code 127.0.0.1}, {@code ::1} and this machine's host name, generated in a
 * directory the first time and reused afterwards (so that clients that trust the CA keep working across restarts).
 * The broker certificate is issued again from the same CA when it is about to expire or does not name this host.
 *
 * <p>Files in the directory: {@code ca.crt} (the truststore clients use, {@code ssl.truststore.type=PEM}), {@code
 * ca.key}, {@code broker-keystore.pem} (key and chain, {@code ssl.keystore.type=PEM}). The keys are not encrypted,
 * but readable by their owner only.
 *
 * <p>This is for development: every start that uses it logs a WARN saying so.
 *
 * <p>Thread-safety: stateless; two processes generating in the same directory at once may each write their own, and
 * the last complete file wins.
 */
public final class DevelopmentCertificates {

    private static final Logger log = LoggerFactory.getLogger(DevelopmentCertificates.class);

    public static final String CA_CERTIFICATE = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String BROKER_KEYSTORE = "broker-keystore.pem";

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration BROKER_VALIDITY = Duration.ofDays(825);
    /** The type number of an IP address in {@link X509Certificate#getSubjectAlternativeNames()}. */
    private static final Integer SAN_IP = 7;
    /** A broker certificate closer than this to its end is issued again at start. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final Path directory;

    private DevelopmentCertificates(Path directory) {
        this.directory = directory;
    }

    /** Generates what is missing or stale in {@code directory} and returns the files to use. */
    public static DevelopmentCertificates ensure(Path directory, Clock clock) throws IOException {
        List<String> dnsNames = new ArrayList<>(List.of("localhost"));
        localHostName().filter(name -> !dnsNames.contains(name)).ifPresent(dnsNames::add);
        return ensure(directory, clock, dnsNames, List.of("127.0.0.1", "::1"));
    }

    static DevelopmentCertificates ensure(Path directory, Clock clock, List<String> dnsNames, List<String> ips)
            throws IOException {
        DevelopmentCertificates files = new DevelopmentCertificates(directory);
        Files.createDirectories(directory);
        Instant now = clock.instant();
        Optional<CertificateAuthority> existing = files.existingCa(now);
        CertificateAuthority ca;
        if (existing.isPresent()) {
            ca = existing.get();
        } else {
            ca = CertificateAuthority.create(
                    new Subject("Herald development CA", Optional.empty(), Optional.of("Herald")),
                    Validity.startingNow(clock, CA_VALIDITY),
                    KeyAlgorithm.EC_P256);
            ca.writePem(files.caCertificate(), directory.resolve(CA_KEY), Optional.empty());
            log.warn("Generated a self-signed DEVELOPMENT certificate authority in {}", files.caCertificate());
        }
        if (existing.isEmpty() || !files.brokerCertificateUsable(ca, now, dnsNames, ips)) {
            CertificateRequest request =
                    CertificateRequest.broker(dnsNames, ips, Validity.startingNow(clock, BROKER_VALIDITY));
            ca.issue(request).writePemKeystore(files.brokerKeystore(), Optional.empty());
            log.warn(
                    "Generated a DEVELOPMENT broker certificate for {} and {} in {}",
                    dnsNames,
                    ips,
                    files.brokerKeystore());
        }
        log.warn(
                "TLS uses DEVELOPMENT certificates from {}: clients must trust {} (ssl.truststore.type=PEM,"
                        + " ssl.truststore.location={}). Do not use them in production: set ssl.keystore.location.",
                directory,
                files.caCertificate(),
                files.caCertificate());
        return files;
    }

    /** The CA certificate: what clients put in their truststore. */
    public Path caCertificate() {
        return directory.resolve(CA_CERTIFICATE);
    }

    /** The broker's key and certificate chain in one PEM file. */
    public Path brokerKeystore() {
        return directory.resolve(BROKER_KEYSTORE);
    }

    /**
     * The {@code ssl.*} settings of the broker's keystore and truststore, to merge over a listener's settings (the
     * truststore is the development CA, for mutual TLS and broker-to-broker connections).
     */
    public Map<String, String> brokerSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ssl.keystore.type", "PEM");
        settings.put("ssl.keystore.location", brokerKeystore().toString());
        settings.put("ssl.truststore.type", "PEM");
        settings.put("ssl.truststore.location", caCertificate().toString());
        return settings;
    }

    private Optional<CertificateAuthority> existingCa(Instant now) {
        Path key = directory.resolve(CA_KEY);
        if (!Files.exists(caCertificate()) || !Files.exists(key)) {
            return Optional.empty();
        }
        try {
            CertificateAuthority ca = CertificateAuthority.load(caCertificate(), key, Optional.empty());
            if (ca.certificate().getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
                log.warn("The development CA in {} expires soon; generating a new one", directory);
                return Optional.empty();
            }
            return Optional.of(ca);
        } catch (IOException | RuntimeException e) {
            log.warn("The development CA in {} cannot be used ({}); generating a new one", directory, e.getMessage());
            return Optional.empty();
        }
    }

    private boolean brokerCertificateUsable(
            CertificateAuthority ca, Instant now, List<String> dnsNames, List<String> ips) {
        try {
            String text = Files.readString(brokerKeystore(), StandardCharsets.US_ASCII);
            X509Certificate leaf = Pem.readCertificates(text).get(0);
            Pem.readPrivateKey(text, Optional.empty());
            leaf.verify(ca.certificate().getPublicKey());
            List<String> names = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    (SAN_IP.equals(san.get(0)) ? addresses : names).add(String.valueOf(san.get(1)));
                }
            }
            boolean namesAll = names.containsAll(dnsNames)
                    && ips.stream().allMatch(ip -> addresses.stream().anyMatch(a -> sameAddress(a, ip)));
            return namesAll && leaf.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Both are IP literals (never host names), so getByName parses them without a DNS lookup. */
    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<String> localHostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.isBlank() || name.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == ':')
                    ? Optional.empty()
                    : Optional.of(name);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
