package io.herald.dist.cli;

import io.herald.security.certs.CertificateAuthority;
import io.herald.security.certs.CertificateRequest;
import io.herald.security.certs.IssuedCertificate;
import io.herald.security.certs.KeyAlgorithm;
import io.herald.security.certs.Subject;
import io.herald.security.certs.Validity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code herald certs create-ca|create-broker|create-client}: a certificate authority and the broker and client
 * certificates it issues, as PEM and PKCS12 files that Herald and every Kafka client read, with the {@code ssl.*}
 * settings that use them printed at the end. Works offline: no broker is contacted.
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "certs",
        description = "Creates a certificate authority and broker and client certificates for TLS.",
        mixinStandardHelpOptions = true,
        subcommands = {CertsCommand.CreateCa.class, CertsCommand.CreateBroker.class, CertsCommand.CreateClient.class})
final class CertsCommand extends CliCommand.Group {

    static final String CA_CERTIFICATE = "ca.crt";
    static final String CA_KEY = "ca.key";
    static final String TRUSTSTORE = "truststore.p12";

    /** File formats of issued certificates. */
    enum Format {
        PEM,
        PKCS12,
        BOTH;

        boolean pem() {
            return this != PKCS12;
        }

        boolean pkcs12() {
            return this != PEM;
        }
    }

    /** Options every subcommand has. */
    static final class Common {

        @Option(
                names = "--out-dir",
                paramLabel = "DIR",
                defaultValue = ".",
                description = "Directory the files are written to (default: the current directory).")
        Path outDir;

        @Option(names = "--days", paramLabel = "N", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        Integer days;

        @Option(
                names = "--key-type",
                paramLabel = "TYPE",
                defaultValue = "ec",
                description = "Key type: ec (P-256) or rsa (2048 bits) (default: ${DEFAULT-VALUE}).")
        KeyType keyType;

        @Option(
                names = "--key-password",
                paramLabel = "PASSWORD",
                description = "Encrypt the PEM private key with this password (ssl.key.password). Default: not"
                        + " encrypted, readable by the owner only.")
        String keyPassword;

        @Option(names = "--force", description = "Overwrite files that exist already.")
        boolean force;

        Optional<char[]> keyPassword() {
            return Optional.ofNullable(keyPassword).map(String::toCharArray);
        }

        Validity validity(int defaultDays) {
            int n = days == null ? defaultDays : days;
            if (n <= 0) {
                throw new CliException("--days must be at least 1, not " + n);
            }
            return Validity.days(Clock.systemUTC(), n);
        }

        /** Refuses to overwrite an existing file without --force. */
        void checkWritable(List<Path> files) {
            if (force) {
                return;
            }
            for (Path file : files) {
                if (Files.exists(file)) {
                    throw new CliException(file + " exists already (use --force to overwrite it)");
                }
            }
        }
    }

    /** --key-type values. */
    enum KeyType {
        EC(KeyAlgorithm.EC_P256),
        RSA(KeyAlgorithm.RSA_2048);

        final KeyAlgorithm algorithm;

        KeyType(KeyAlgorithm algorithm) {
            this.algorithm = algorithm;
        }
    }

    @Command(
            name = "create-ca",
            description = "Creates a certificate authority: ca.crt (what clients and brokers trust) and ca.key.",
            mixinStandardHelpOptions = true)
    static final class CreateCa extends CliCommand {

        @Mixin
        Common common;

        @Option(
                names = "--cn",
                paramLabel = "NAME",
                defaultValue = "Herald CA",
                description = "Common name of the CA (default: ${DEFAULT-VALUE}).")
        String commonName;

        @Option(names = "--org", paramLabel = "NAME", description = "Organization (O) of the CA.")
        String organization;

        @Option(
                names = "--truststore-password",
                paramLabel = "PASSWORD",
                description = "Also write truststore.p12, a PKCS12 truststore with this password.")
        String truststorePassword;

        @Override
        int run() throws IOException {
            Path cert = common.outDir.resolve(CA_CERTIFICATE);
            Path key = common.outDir.resolve(CA_KEY);
            Path truststore = common.outDir.resolve(TRUSTSTORE);
            List<Path> files = new ArrayList<>(List.of(cert, key));
            if (truststorePassword != null) {
                files.add(truststore);
            }
            common.checkWritable(files);
            CertificateAuthority ca = CertificateAuthority.create(
                    new Subject(commonName, Optional.empty(), Optional.ofNullable(organization)),
                    common.validity(3650),
                    common.keyType.algorithm);
            ca.writePem(cert, key, common.keyPassword());
            if (truststorePassword != null) {
                ca.writePkcs12Truststore(truststore, truststorePassword.toCharArray());
            }
            PrintWriter out = out();
            out.println("Created certificate authority " + describe(ca.certificate()) + ".");
            out.println("  " + cert + "  the CA certificate: the truststore of brokers and clients");
            out.println("  " + key + "  the CA's private key: keep it secret; needed to issue certificates");
            if (truststorePassword != null) {
                out.println("  " + truststore + "  the CA certificate as a PKCS12 truststore");
            }
            out.println();
            out.println("Next: herald certs create-broker --ca-dir " + common.outDir + " --dns <broker host name>");
            return HeraldCli.EXIT_OK;
        }
    }

    /** What create-broker and create-client share: the CA to issue with, the formats to write. */
    abstract static class Issue extends CliCommand {

        @Mixin
        Common common;

        @Option(
                names = "--ca-dir",
                paramLabel = "DIR",
                defaultValue = ".",
                description = "Directory of ca.crt and ca.key made by create-ca (default: the current directory).")
        Path caDir;

        @Option(
                names = "--ca-key-password",
                paramLabel = "PASSWORD",
                description = "Password of ca.key, if it was created with --key-password.")
        String caKeyPassword;

        @Option(
                names = "--format",
                paramLabel = "FORMAT",
                defaultValue = "pem",
                description = "pem, pkcs12 or both (default: ${DEFAULT-VALUE}).")
        Format format;

        @Option(
                names = "--pkcs12-password",
                paramLabel = "PASSWORD",
                description = "Password of the PKCS12 keystore (required with --format pkcs12 or both).")
        String pkcs12Password;

        /** Issues {@code request} and writes it under the base name {@code name}; prints the files and settings. */
        final int issue(String what, String name, CertificateRequest request) throws IOException {
            if (format.pkcs12() && (pkcs12Password == null || pkcs12Password.isEmpty())) {
                throw usage("--pkcs12-password is required with --format "
                        + format.name().toLowerCase());
            }
            Path chain = common.outDir.resolve(name + ".crt");
            Path key = common.outDir.resolve(name + ".key");
            Path pemKeystore = common.outDir.resolve(name + "-keystore.pem");
            Path pkcs12 = common.outDir.resolve(name + ".p12");
            List<Path> files = new ArrayList<>();
            if (format.pem()) {
                files.addAll(List.of(chain, key, pemKeystore));
            }
            if (format.pkcs12()) {
                files.add(pkcs12);
            }
            common.checkWritable(files);
            CertificateAuthority ca = loadCa();
            IssuedCertificate issued = ca.issue(request.withKeyAlgorithm(common.keyType.algorithm));
            if (format.pem()) {
                issued.writePemCertificateChain(chain);
                issued.writePemPrivateKey(key, common.keyPassword());
                issued.writePemKeystore(pemKeystore, common.keyPassword());
            }
            if (format.pkcs12()) {
                issued.writePkcs12(pkcs12, pkcs12Password.toCharArray());
            }
            PrintWriter out = out();
            out.println("Issued " + what + " certificate " + describe(issued.certificate()) + ".");
            if (format.pem()) {
                out.println("  " + chain + "  certificate chain (PEM)");
                out.println("  " + key + "  private key (PKCS#8 PEM)");
                out.println("  " + pemKeystore + "  key and chain in one file (ssl.keystore.type=PEM)");
            }
            if (format.pkcs12()) {
                out.println("  " + pkcs12 + "  PKCS12 keystore (ssl.keystore.type=PKCS12)");
            }
            out.println();
            out.println("Settings:");
            if (format.pkcs12()) {
                out.println("  ssl.keystore.type=PKCS12");
                out.println("  ssl.keystore.location=" + pkcs12.toAbsolutePath());
                out.println("  ssl.keystore.password=<the --pkcs12-password>");
            } else {
                out.println("  ssl.keystore.type=PEM");
                out.println("  ssl.keystore.location=" + pemKeystore.toAbsolutePath());
                if (common.keyPassword != null) {
                    out.println("  ssl.key.password=<the --key-password>");
                }
            }
            out.println("  ssl.truststore.type=PEM");
            out.println(
                    "  ssl.truststore.location=" + caDir.resolve(CA_CERTIFICATE).toAbsolutePath());
            return HeraldCli.EXIT_OK;
        }

        private CertificateAuthority loadCa() {
            Path cert = caDir.resolve(CA_CERTIFICATE);
            Path key = caDir.resolve(CA_KEY);
            if (!Files.exists(cert) || !Files.exists(key)) {
                throw new CliException("no CA in " + caDir + " (" + CA_CERTIFICATE + " and " + CA_KEY
                        + "): create one with 'herald certs create-ca --out-dir " + caDir + "' or give --ca-dir");
            }
            try {
                return CertificateAuthority.load(
                        cert, key, Optional.ofNullable(caKeyPassword).map(String::toCharArray));
            } catch (IOException e) {
                throw new CliException(
                        "cannot use the CA in " + caDir + ": " + e.getMessage()
                                + (caKeyPassword == null && e.getMessage().contains("password")
                                        ? " (give --ca-key-password)"
                                        : ""),
                        e);
            }
        }
    }

    @Command(
            name = "create-broker",
            description = "Issues a broker certificate (server and client authentication) for its DNS names and IPs.",
            mixinStandardHelpOptions = true)
    static final class CreateBroker extends Issue {

        @Option(
                names = "--dns",
                paramLabel = "NAME",
                split = ",",
                description = "A DNS name clients connect to (repeatable or comma-separated).")
        List<String> dnsNames = new ArrayList<>();

        @Option(
                names = "--ip",
                paramLabel = "ADDRESS",
                split = ",",
                description = "An IP address clients connect to (repeatable or comma-separated).")
        List<String> ipAddresses = new ArrayList<>();

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "Base name of the files (default: the first DNS name, else 'broker').")
        String name;

        @Override
        int run() throws IOException {
            if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
                throw usage("give at least one --dns or --ip: the names clients use to reach the broker");
            }
            CertificateRequest request;
            try {
                request = CertificateRequest.broker(dnsNames, ipAddresses, common.validity(825));
                checkAddresses();
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            String base = name != null ? name : dnsNames.isEmpty() ? "broker" : dnsNames.get(0);
            return issue("broker", fileName(base), request);
        }

        private void checkAddresses() {
            for (String ip : ipAddresses) {
                if (!ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                    throw new IllegalArgumentException(
                            "--ip " + ip + " is not an IP address (give host names with --dns)");
                }
            }
        }
    }

    @Command(
            name = "create-client",
            description = "Issues a client certificate (client authentication) whose subject names the principal.",
            mixinStandardHelpOptions = true)
    static final class CreateClient extends Issue {

        @Option(
                names = "--cn",
                required = true,
                paramLabel = "NAME",
                description = "Common name (CN): with the default mapping rules the principal is the whole subject,"
                        + " CN=<name>[,OU=..][,O=..].")
        String commonName;

        @Option(names = "--ou", paramLabel = "NAME", description = "Organizational unit (OU).")
        String organizationalUnit;

        @Option(names = "--org", paramLabel = "NAME", description = "Organization (O).")
        String organization;

        @Option(names = "--name", paramLabel = "NAME", description = "Base name of the files (default: the CN).")
        String name;

        @Override
        int run() throws IOException {
            Subject subject =
                    new Subject(commonName, Optional.ofNullable(organizationalUnit), Optional.ofNullable(organization));
            CertificateRequest request = CertificateRequest.client(subject, common.validity(365));
            return issue("client", fileName(name != null ? name : commonName), request);
        }
    }

    /** A base name safe for a file: what a CN or host name holds beyond letters, digits, '.', '-' and '_' becomes '_'. */
    static String fileName(String base) {
        return base.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String describe(X509Certificate certificate) {
        StringBuilder text =
                new StringBuilder(certificate.getSubjectX500Principal().getName());
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                List<String> names = new ArrayList<>();
                certificate.getSubjectAlternativeNames().forEach(san -> names.add(String.valueOf(san.get(1))));
                text.append(" for ").append(String.join(", ", names));
            }
        } catch (CertificateParsingException e) {
            // Only for display.
        }
        return text.append(", valid until ")
                .append(certificate.getNotAfter().toInstant())
                .toString();
    }
}
