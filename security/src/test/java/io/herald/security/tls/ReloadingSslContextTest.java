package io.herald.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.security.certs.IssuedCertificate;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyManagementException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link ReloadingSslContext} hands out what its factory's current context would: engines made after a reload present
 * the new certificate, engines made before keep the old one, and its socket factories and session contexts are the
 * current context's. Each certificate is checked through a real handshake on 127.0.0.1.
 */
@Timeout(60)
class ReloadingSslContextTest {

    @TempDir
    Path dir;

    private Pki pki;
    private SslContextFactory client;
    private Path keystore;
    private IssuedCertificate first;
    private SslContextFactory server;

    @BeforeEach
    void setUp() throws Exception {
        pki = Pki.create(dir, "Test CA");
        client = SslContextFactory.forClient(Pki.settings(pki.pemTruststore()));
        keystore = dir.resolve("console.pem");
        first = pki.broker();
        first.writePemKeystore(keystore, Optional.empty());
        server = SslContextFactory.forServer(
                Pki.settings(Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", keystore.toString())));
    }

    @Test
    void enginesMadeAfterAReloadPresentTheNewCertificateAndEnginesMadeBeforeKeepTheOld() throws Exception {
        SSLContext context = ReloadingSslContext.of(server);
        SSLEngine before = serverEngine(context);

        IssuedCertificate second = pki.broker();
        replace(second);
        assertThat(server.reloadIfChanged()).isTrue();

        assertThat(presented(before)).isEqualTo(first.certificate());
        assertThat(presented(serverEngine(context))).isEqualTo(second.certificate());
        assertThat(presented(context.createSSLEngine())).isEqualTo(second.certificate());
    }

    @Test
    void aReplacementTheFactoryRefusesLeavesTheContextPresentingTheCertificateInForce() throws Exception {
        SSLContext context = ReloadingSslContext.of(server);
        Path temporary = Files.writeString(dir.resolve("corrupt.tmp"), "not a keystore");
        Files.move(temporary, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(server.reloadIfChanged()).isFalse();

        assertThat(presented(serverEngine(context))).isEqualTo(first.certificate());
    }

    @Test
    void socketFactoriesAndSessionContextsAreTheCurrentContexts() throws Exception {
        SSLContext context = ReloadingSslContext.of(server);
        IssuedCertificate second = pki.broker();
        replace(second);
        assertThat(server.reloadIfChanged()).isTrue();

        assertThat(context.getServerSessionContext())
                .isSameAs(server.sslContext().getServerSessionContext());
        assertThat(context.getClientSessionContext())
                .isSameAs(server.sslContext().getClientSessionContext());
        assertThat(context.getSupportedSSLParameters().getProtocols())
                .containsExactly(server.sslContext().getSupportedSSLParameters().getProtocols());
        assertThat(context.getProtocol()).isEqualTo("TLSv1.3");

        try (SSLServerSocket listener = (SSLServerSocket)
                context.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(TlsLoopback.TIMEOUT_MS);
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(TlsLoopback.TIMEOUT_MS);
                    socket.startHandshake();
                    socket.getOutputStream().write('x');
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.sslContext()
                    .getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(TlsLoopback.TIMEOUT_MS);
                socket.startHandshake();
                assertThat(socket.getInputStream().read()).isEqualTo('x');
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(second.certificate());
            }
            accepted.get(TlsLoopback.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void itCannotBeInitializedWithOtherKeyMaterial() {
        SSLContext context = ReloadingSslContext.of(server);

        assertThatThrownBy(() -> context.init(null, null, null))
                .isInstanceOf(KeyManagementException.class)
                .hasMessageContaining("SslContextFactory");
        assertThat(server.certificateChain().get(0)).isEqualTo(first.certificate());
    }

    private static SSLEngine serverEngine(SSLContext context) {
        return context.createSSLEngine("127.0.0.1", 0);
    }

    /** The certificate a client is shown by {@code engine} (set to server mode here, as Undertow does). */
    private X509Certificate presented(SSLEngine engine) throws Exception {
        engine.setUseClientMode(false);
        TlsLoopback.Outcome outcome = TlsLoopback.connect(
                socket -> engine, server.principalMapper(), port -> client.createClientEngine("localhost", port));
        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        return outcome.client().peerCertificate();
    }

    private void replace(IssuedCertificate replacement) throws Exception {
        Path temporary = dir.resolve("replacement.tmp");
        replacement.writePemKeystore(temporary, Optional.empty());
        Files.move(temporary, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
