package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.security.certs.CertificateAuthority;
import io.herald.security.certs.CertificateRequest;
import io.herald.security.certs.IssuedCertificate;
import io.herald.security.certs.KeyAlgorithm;
import io.herald.security.certs.Subject;
import io.herald.security.certs.Validity;
import io.herald.security.tls.SslContextFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTPS, with real TLS handshakes and HTTP requests on 127.0.0.1 that check the host name:
 *
 * <ul>
 *   <li>it picks up a replaced keystore without a restart, as the Kafka listeners do: a broker is started with an
 *       {@code https://} admin listener on keystore A and a short {@code ssl.reload.check.interval.ms}; A is replaced by
 *       B on disk, and new HTTPS connections are shown B while a connection opened before keeps working with A; a
 *       corrupt replacement is reported with one WARN and B stays;
 *   <li>it speaks only the protocols and cipher suites of its TLS settings ({@code ssl.enabled.protocols}, {@code
 *       ssl.cipher.suites}, here as {@code listener.name.admin.ssl.*}).
 * </ul>
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsoleTlsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final CertificateAuthority ca = CertificateAuthority.create(
            Subject.of("Console test CA"), Validity.days(Clock.systemUTC(), 10), KeyAlgorithm.EC_P256);
    private final ListAppender<ILoggingEvent> tlsLog = new ListAppender<>();
    private SSLContext trustingTheCa;

    @BeforeEach
    void setUp() throws Exception {
        Path caFile = dir.resolve("ca.crt");
        ca.writeCertificate(caFile);
        trustingTheCa = ConsoleSecurityTest.trusting(caFile);
        tlsLog.start();
        ((Logger) LoggerFactory.getLogger(SslContextFactory.class)).addAppender(tlsLog);
    }

    @AfterEach
    void stopCapture() {
        ((Logger) LoggerFactory.getLogger(SslContextFactory.class)).detachAppender(tlsLog);
    }

    @Test
    void newConnectionsGetAReplacedCertificateOpenOnesKeepTheirsAndACorruptReplacementIsIgnored() throws Exception {
        Path keystore = dir.resolve("console.pem");
        IssuedCertificate a = issue();
        IssuedCertificate b = issue();
        replace(keystore, a);
        Map<String, String> settings = Map.of(
                "admin.listeners", "https://127.0.0.1:0",
                "listener.name.admin.ssl.keystore.type", "PEM",
                "listener.name.admin.ssl.keystore.location", keystore.toString(),
                "ssl.reload.check.interval.ms", "50");

        try (ConsoleBroker console = ConsoleBroker.start(dir.resolve("data"), settings)) {
            int port = console.base().getPort();
            try (HttpsConnection before = new HttpsConnection(port)) {
                assertThat(before.certificate()).isEqualTo(a.certificate());
                assertThat(before.get("/api/session")).isEqualTo(200);

                replace(keystore, b);

                await().atMost(PATIENCE).until(() -> presented(port).equals(b.certificate()));
                assertThat(before.get("/api/session"))
                        .as("a connection opened before the reload keeps working")
                        .isEqualTo(200);
                assertThat(before.certificate()).isEqualTo(a.certificate());
            }

            Path corrupt = Files.writeString(dir.resolve("corrupt.tmp"), "-----BEGIN PRIVATE KEY-----\nx\n");
            Files.move(corrupt, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            await().atMost(PATIENCE).until(() -> cannotBeUsedWarnings() == 1);
            assertThat(presented(port)).isEqualTo(b.certificate());
            await().during(Duration.ofMillis(500))
                    .atMost(PATIENCE)
                    .until(() -> cannotBeUsedWarnings() == 1 && presented(port).equals(b.certificate()));
        }
        await().atMost(PATIENCE)
                .alias("the console's certificate checks stop with it")
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals("herald-tls-reloader")));
    }

    @Test
    void onlyTheConfiguredProtocolsAndCipherSuitesAreSpoken() throws Exception {
        Path keystore = dir.resolve("console.pem");
        replace(keystore, issue());
        String suite = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
        Map<String, String> settings = Map.of(
                "admin.listeners", "https://127.0.0.1:0",
                "listener.name.admin.ssl.keystore.type", "PEM",
                "listener.name.admin.ssl.keystore.location", keystore.toString(),
                "listener.name.admin.ssl.enabled.protocols", "TLSv1.2",
                "listener.name.admin.ssl.cipher.suites", suite);

        try (ConsoleBroker console = ConsoleBroker.start(dir.resolve("data"), settings)) {
            int port = console.base().getPort();
            try (HttpsConnection offered = new HttpsConnection(port, "TLSv1.3", "TLSv1.2")) {
                assertThat(offered.get("/api/session")).isEqualTo(200);
                assertThat(offered.session().getProtocol()).isEqualTo("TLSv1.2");
                assertThat(offered.session().getCipherSuite()).isEqualTo(suite);
            }
            assertThatThrownBy(() -> new HttpsConnection(port, "TLSv1.3").close())
                    .as("a client that speaks only TLS 1.3")
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    private IssuedCertificate issue() {
        return ca.issue(CertificateRequest.broker(
                List.of("localhost"), List.of("127.0.0.1"), Validity.days(Clock.systemUTC(), 10)));
    }

    /** Writes {@code issued} as a PEM keystore beside {@code keystore}, then renames it over it, as tools do. */
    private static void replace(Path keystore, IssuedCertificate issued) throws IOException {
        Path temporary = keystore.resolveSibling(keystore.getFileName() + ".tmp");
        issued.writePemKeystore(temporary, Optional.empty());
        Files.move(temporary, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The certificate a new HTTPS connection is shown, after a request on it was answered 200. */
    private Certificate presented(int port) throws IOException {
        try (HttpsConnection connection = new HttpsConnection(port)) {
            assertThat(connection.get("/api/session")).isEqualTo(200);
            return connection.certificate();
        }
    }

    private long cannotBeUsedWarnings() {
        return tlsLog.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .filter(e -> e.getFormattedMessage().contains("cannot be used; keeping the current certificates"))
                .count();
    }

    /**
     * One HTTPS connection to the console on 127.0.0.1, its host name checked against the certificate, on which HTTP/1.1
     * requests are sent one after the other (kept alive).
     */
    private final class HttpsConnection implements AutoCloseable {

        private final SSLSocket socket;
        private final InputStream in;

        /** @param protocols the protocols the client offers (none given: the JVM's defaults) */
        HttpsConnection(int port, String... protocols) throws IOException {
            socket = (SSLSocket) trustingTheCa.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (protocols.length > 0) {
                parameters.setProtocols(protocols);
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Certificate certificate() throws IOException {
            return socket.getSession().getPeerCertificates()[0];
        }

        SSLSession session() {
            return socket.getSession();
        }

        /** Sends a GET and reads the whole answer (its body by Content-Length); returns the status. */
        int get(String path) throws IOException {
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = line();
            int length = -1;
            for (String header = line(); !header.isEmpty(); header = line()) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(
                            header.substring("content-length:".length()).trim());
                }
            }
            assertThat(length)
                    .as("Content-Length of the answer to %s (%s)", path, status)
                    .isNotNegative();
            assertThat(in.readNBytes(length)).hasSize(length);
            return Integer.parseInt(status.split(" ")[1]);
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the console closed the connection");
                }
                if (c != '\r') {
                    line.write(c);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
