package io.herald.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.security.certs.IssuedCertificate;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS handshakes over 127.0.0.1 between engines of {@link SslContextFactory}. */
@Timeout(60)
class TlsHandshakeTest {

    @TempDir
    Path dir;

    private Pki pki;

    @BeforeEach
    void setUp() {
        pki = Pki.create(dir, "Test CA");
    }

    @Test
    void aClientThatTrustsTheCaCompletesATls13HandshakeWithPkcs12Stores() throws Exception {
        IssuedCertificate broker = pki.broker();
        SslContextFactory server = SslContextFactory.forServer(Pki.settings(pki.pkcs12Keystore(broker, "secret1")));
        SslContextFactory client = SslContextFactory.forClient(Pki.settings(pki.pkcs12Truststore("secret2")));

        TlsLoopback.Outcome outcome = TlsLoopback.connect(server, client, "localhost");

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        assertThat(outcome.client().session().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(outcome.client().peerCertificate()).isEqualTo(broker.certificate());
        assertThat(outcome.server().principal()).contains(SslPrincipalMapper.ANONYMOUS);
    }

    @Test
    void pemStoresWithAnEncryptedKeyWork() throws Exception {
        IssuedCertificate broker = pki.broker();
        SslContextFactory server =
                SslContextFactory.forServer(Pki.settings(pki.pemKeystore(broker, Optional.of("key-secret"))));
        SslContextFactory client = SslContextFactory.forClient(Pki.settings(pki.pemTruststore()));

        TlsLoopback.Outcome outcome = TlsLoopback.connect(server, client, "127.0.0.1");

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        assertThat(outcome.client().peerCertificate()).isEqualTo(broker.certificate());
    }

    @Test
    void tls12IsAcceptedWhenTheClientOffersNothingNewer() throws Exception {
        SslContextFactory server =
                SslContextFactory.forServer(Pki.settings(pki.pemKeystore(pki.broker(), Optional.empty())));
        Map<String, String> client = pki.pemTruststore();
        client.put("ssl.enabled.protocols", "TLSv1.2");

        TlsLoopback.Outcome outcome =
                TlsLoopback.connect(server, SslContextFactory.forClient(Pki.settings(client)), "localhost");

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        assertThat(outcome.server().session().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");
    }

    @Test
    void mutualTlsNamesTheClientByItsCertificateSubjectThroughTheMappingRules() throws Exception {
        Map<String, String> serverSettings = pki.pemKeystore(pki.broker(), Optional.empty());
        serverSettings.putAll(pki.pemTruststore());
        serverSettings.put("ssl.client.auth", "required");
        serverSettings.put("ssl.principal.mapping.rules", "RULE:^CN=(.*?),OU=(.*?),O=.*$/$1@$2/L,DEFAULT");
        Map<String, String> clientSettings = pki.pkcs12Keystore(pki.client("App", "Payments", "Example"), "pw");
        clientSettings.putAll(pki.pemTruststore());

        TlsLoopback.Outcome outcome = TlsLoopback.connect(
                SslContextFactory.forServer(Pki.settings(serverSettings)),
                SslContextFactory.forClient(Pki.settings(clientSettings)),
                "localhost");

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        assertThat(outcome.server().peerCertificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=App,OU=Payments,O=Example");
        assertThat(outcome.server().principal()).contains("app@payments");
    }

    @Test
    void aClientWithoutACertificateIsRefusedWhenClientAuthIsRequiredAndAnonymousWhenRequested() throws Exception {
        Map<String, String> serverSettings = pki.pemKeystore(pki.broker(), Optional.empty());
        serverSettings.putAll(pki.pemTruststore());
        serverSettings.put("ssl.client.auth", "required");
        SslContextFactory client = SslContextFactory.forClient(Pki.settings(pki.pemTruststore()));

        TlsLoopback.Outcome required =
                TlsLoopback.connect(SslContextFactory.forServer(Pki.settings(serverSettings)), client, "localhost");
        serverSettings.put("ssl.client.auth", "requested");
        TlsLoopback.Outcome requested =
                TlsLoopback.connect(SslContextFactory.forServer(Pki.settings(serverSettings)), client, "localhost");

        assertThat(required.server().error()).as(required.toString()).isPresent();
        assertThat(required.client().error()).as(required.toString()).isPresent();
        assertThat(requested.succeeded()).as(requested.toString()).isTrue();
        assertThat(requested.server().principal()).contains(SslPrincipalMapper.ANONYMOUS);
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() throws Exception {
        Pki other = Pki.create(dir.resolve("other"), "Other CA");
        SslContextFactory server =
                SslContextFactory.forServer(Pki.settings(other.pemKeystore(other.broker(), Optional.empty())));
        SslContextFactory client = SslContextFactory.forClient(Pki.settings(pki.pemTruststore()));

        TlsLoopback.Outcome outcome = TlsLoopback.connect(server, client, "localhost");

        assertThat(outcome.client().error()).as(outcome.toString()).get().isInstanceOf(SSLHandshakeException.class);
        assertThat(TlsLoopback.causes(outcome.client().error().get())).contains("PKIX path building failed");
        assertThat(outcome.server().error()).as(outcome.toString()).isPresent();
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefusedByTheServer() throws Exception {
        Pki other = Pki.create(dir.resolve("other"), "Other CA");
        Map<String, String> serverSettings = pki.pemKeystore(pki.broker(), Optional.empty());
        serverSettings.putAll(pki.pemTruststore());
        serverSettings.put("ssl.client.auth", "required");
        Map<String, String> clientSettings = other.pemKeystore(other.client("intruder", "x", "y"), Optional.empty());
        clientSettings.putAll(pki.pemTruststore());

        TlsLoopback.Outcome outcome = TlsLoopback.connect(
                SslContextFactory.forServer(Pki.settings(serverSettings)),
                SslContextFactory.forClient(Pki.settings(clientSettings)),
                "localhost");

        assertThat(outcome.server().error()).as(outcome.toString()).get().isInstanceOf(SSLHandshakeException.class);
        assertThat(outcome.client().error()).as(outcome.toString()).isPresent();
    }

    @Test
    void anExpiredServerCertificateIsRefused() throws Exception {
        SslContextFactory server =
                SslContextFactory.forServer(Pki.settings(pki.pemKeystore(pki.expiredBroker(), Optional.empty())));
        SslContextFactory client = SslContextFactory.forClient(Pki.settings(pki.pemTruststore()));

        TlsLoopback.Outcome outcome = TlsLoopback.connect(server, client, "localhost");

        assertThat(outcome.client().error()).as(outcome.toString()).isPresent();
        assertThat(TlsLoopback.causes(outcome.client().error().get()))
                .contains("java.security.cert.CertificateExpiredException");
        assertThat(outcome.server().error()).as(outcome.toString()).isPresent();
    }

    @Test
    void anExpiredClientCertificateIsRefusedByTheServer() throws Exception {
        Map<String, String> serverSettings = pki.pemKeystore(pki.broker(), Optional.empty());
        serverSettings.putAll(pki.pemTruststore());
        serverSettings.put("ssl.client.auth", "required");
        Map<String, String> clientSettings = pki.pemKeystore(pki.expiredBroker(), Optional.empty());
        clientSettings.putAll(pki.pemTruststore());

        TlsLoopback.Outcome outcome = TlsLoopback.connect(
                SslContextFactory.forServer(Pki.settings(serverSettings)),
                SslContextFactory.forClient(Pki.settings(clientSettings)),
                "localhost");

        assertThat(outcome.server().error()).as(outcome.toString()).isPresent();
        assertThat(TlsLoopback.causes(outcome.server().error().get()))
                .contains("java.security.cert.CertificateExpiredException");
    }

    @Test
    void aClientRefusesAServerWhoseCertificateDoesNotNameTheHostUnlessEndpointIdentificationIsOff() throws Exception {
        SslContextFactory server =
                SslContextFactory.forServer(Pki.settings(pki.pemKeystore(pki.broker(), Optional.empty())));
        Map<String, String> clientSettings = pki.pemTruststore();

        TlsLoopback.Outcome checked = TlsLoopback.connect(
                server, SslContextFactory.forClient(Pki.settings(clientSettings)), "broker.example.com");
        clientSettings.put("ssl.endpoint.identification.algorithm", "");
        TlsLoopback.Outcome unchecked = TlsLoopback.connect(
                server, SslContextFactory.forClient(Pki.settings(clientSettings)), "broker.example.com");

        assertThat(TlsLoopback.causes(checked.client().error().orElseThrow())).contains("matching broker.example.com");
        assertThat(unchecked.succeeded()).as(unchecked.toString()).isTrue();
    }

    @Test
    void aServerOfTls13OnlyRefusesATls12Client() throws Exception {
        Map<String, String> serverSettings = pki.pemKeystore(pki.broker(), Optional.empty());
        serverSettings.put("ssl.enabled.protocols", "TLSv1.3");
        Map<String, String> clientSettings = pki.pemTruststore();
        clientSettings.put("ssl.enabled.protocols", "TLSv1.2");

        TlsLoopback.Outcome outcome = TlsLoopback.connect(
                SslContextFactory.forServer(Pki.settings(serverSettings)),
                SslContextFactory.forClient(Pki.settings(clientSettings)),
                "localhost");

        assertThat(outcome.server().error()).as(outcome.toString()).get().isInstanceOf(SSLHandshakeException.class);
        assertThat(outcome.client().error()).as(outcome.toString()).isPresent();
    }

    @Test
    void aTls11ClientHelloIsAnsweredWithAProtocolVersionAlert() throws Exception {
        SslContextFactory server =
                SslContextFactory.forServer(Pki.settings(pki.pemKeystore(pki.broker(), Optional.empty())));
        assertThat(server.createServerEngine("127.0.0.1", 1).getEnabledProtocols())
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");

        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.setSoTimeout(TlsLoopback.TIMEOUT_MS);
            CompletableFuture<Throwable> serverSide = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = listener.accept()) {
                    socket.setSoTimeout(TlsLoopback.TIMEOUT_MS);
                    SSLEngine engine = server.createServerEngine("127.0.0.1", socket.getPort());
                    try (EngineConnection connection = new EngineConnection(engine, socket)) {
                        connection.handshake();
                        return null;
                    }
                } catch (Exception e) {
                    return e;
                }
            });
            byte[] alert = new byte[7];
            try (Socket socket = new Socket()) {
                socket.connect(listener.getLocalSocketAddress(), TlsLoopback.TIMEOUT_MS);
                socket.setSoTimeout(TlsLoopback.TIMEOUT_MS);
                OutputStream out = socket.getOutputStream();
                out.write(tls11ClientHello());
                out.flush();
                InputStream in = socket.getInputStream();
                int read = 0;
                while (read < alert.length) {
                    int n = in.read(alert, read, alert.length - read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
            }
            Throwable serverError = serverSide.get(TlsLoopback.TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);

            assertThat(serverError).isInstanceOf(SSLHandshakeException.class);
            assertThat(alert[0]).as("record type: alert").isEqualTo((byte) 21);
            assertThat(alert[5]).as("alert level: fatal").isEqualTo((byte) 2);
            assertThat(alert[6]).as("alert: protocol_version").isEqualTo((byte) 70);
        }
    }

    /** A minimal TLS 1.1 ClientHello, since the JDK's own client no longer speaks TLS 1.1 by default. */
    private static byte[] tls11ClientHello() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        ByteBuffer body = ByteBuffer.allocate(2 + 32 + 1 + 2 + 4 + 2);
        body.put((byte) 3).put((byte) 2); // client_version TLS 1.1
        body.put(random);
        body.put((byte) 0); // no session id
        body.putShort((short) 4).putShort((short) 0x002F).putShort((short) 0x0035); // AES-CBC-SHA suites of TLS 1.1
        body.put((byte) 1).put((byte) 0); // compression: null
        body.flip();
        int handshakeLength = body.remaining();
        ByteBuffer record = ByteBuffer.allocate(5 + 4 + handshakeLength);
        record.put((byte) 22).put((byte) 3).put((byte) 2).putShort((short) (4 + handshakeLength));
        record.put((byte) 1).put((byte) 0).putShort((short) handshakeLength);
        record.put(body);
        return record.array();
    }

    @Test
    void aPlainJdkClientCanUseTheFactorysContextToo() throws Exception {
        SslContextFactory server =
                SslContextFactory.forServer(Pki.settings(pki.pemKeystore(pki.broker(), Optional.empty())));
        SSLContext context =
                SslContextFactory.forClient(Pki.settings(pki.pemTruststore())).sslContext();

        TlsLoopback.Outcome outcome = TlsLoopback.connect(server, port -> {
            SSLEngine engine = context.createSSLEngine("localhost", port);
            engine.setUseClientMode(true);
            return engine;
        });

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
    }
}
