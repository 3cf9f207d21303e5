package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.security.tls.SslContextFactory;
import io.herald.security.tls.SslSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code herald certs} writes is read by kafka-clients' own TLS code (its PEM parser, with an encrypted key, and
 * its PKCS12 loading), and a Kafka client engine completes a mutual-TLS handshake with a Herald server engine, which
 * maps the client's subject to its principal.
 */
@Timeout(120)
class CertsKafkaClientTest {

    @TempDir
    Path dir;

    private final Cli cli = new Cli(null);

    @Test
    void aKafkaClientWithAnEncryptedPemKeyAuthenticatesToAHeraldServerEngine() throws Exception {
        createPki();
        run(
                "certs",
                "create-client",
                "--ca-dir",
                dir.toString(),
                "--out-dir",
                dir.toString(),
                "--cn",
                "app",
                "--ou",
                "payments",
                "--key-password",
                "client-pw");

        DefaultSslEngineFactory kafka = kafkaClient(Map.of(
                "ssl.keystore.type", "PEM",
                "ssl.keystore.location", dir.resolve("app-keystore.pem").toString(),
                "ssl.key.password", "client-pw",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", dir.resolve("ca.crt").toString()));

        assertThat(handshake(kafka)).isEqualTo("app/payments");
    }

    @Test
    void aKafkaClientWithPkcs12StoresAuthenticatesToAHeraldServerEngine() throws Exception {
        createPki();
        run(
                "certs",
                "create-client",
                "--ca-dir",
                dir.toString(),
                "--out-dir",
                dir.toString(),
                "--cn",
                "batch",
                "--ou",
                "reports",
                "--format",
                "pkcs12",
                "--pkcs12-password",
                "p12-pw");

        DefaultSslEngineFactory kafka = kafkaClient(Map.of(
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.location", dir.resolve("batch.p12").toString(),
                "ssl.keystore.password", "p12-pw",
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", dir.resolve("truststore.p12").toString(),
                "ssl.truststore.password", "t-pw"));

        assertThat(handshake(kafka)).isEqualTo("batch/reports");
    }

    private void createPki() {
        run("certs", "create-ca", "--out-dir", dir.toString(), "--truststore-password", "t-pw");
        run(
                "certs",
                "create-broker",
                "--ca-dir",
                dir.toString(),
                "--out-dir",
                dir.toString(),
                "--dns",
                "localhost",
                "--key-password",
                "broker-pw");
    }

    private void run(String... args) {
        Cli.Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    private static DefaultSslEngineFactory kafkaClient(Map<String, String> settings) {
        Map<String, Object> props = new HashMap<>(settings);
        Map<String, Object> parsed =
                new HashMap<>(new AbstractConfig(new ConfigDef().withClientSslSupport(), props).values());
        DefaultSslEngineFactory factory = new DefaultSslEngineFactory();
        factory.configure(parsed);
        return factory;
    }

    /** A handshake in memory between the Kafka client engine and a Herald server engine; the mapped principal. */
    private String handshake(DefaultSslEngineFactory kafka) throws Exception {
        SslContextFactory herald = SslContextFactory.forServer(SslSettings.parse(Map.of(
                "ssl.keystore.type", "PEM",
                "ssl.keystore.location", dir.resolve("localhost-keystore.pem").toString(),
                "ssl.key.password", "broker-pw",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", dir.resolve("ca.crt").toString(),
                "ssl.client.auth", "required",
                "ssl.principal.mapping.rules", "RULE:^CN=(.*?),OU=(.*?)$/$1\\/$2/")));
        SSLEngine client = kafka.createClientSslEngine("localhost", 9093, "https");
        SSLEngine server = herald.createServerEngine("127.0.0.1", 50000);
        Pipe toServer = new Pipe();
        Pipe toClient = new Pipe();
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 200 && !(idle(client) && idle(server)); i++) {
            step(client, toClient, toServer);
            step(server, toServer, toClient);
        }
        // Application data proves that both sides accept each other (TLS 1.3 verifies the client last).
        toServer.write(client, "ping");
        assertThat(toServer.read(server)).isEqualTo("ping");
        return herald.principalMapper().principalName(server.getSession());
    }

    private static boolean idle(SSLEngine engine) {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void step(SSLEngine engine, Pipe in, Pipe out) throws Exception {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            out.wrap(engine, ByteBuffer.allocate(0));
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP && in.bytes.position() > 0) {
            in.unwrap(engine);
        }
    }

    /** TLS records in flight in one direction. */
    private static final class Pipe {
        final ByteBuffer bytes = ByteBuffer.allocate(1 << 17);
        final ByteBuffer application = ByteBuffer.allocate(1 << 17);

        void wrap(SSLEngine engine, ByteBuffer data) throws Exception {
            engine.wrap(data, bytes);
        }

        void unwrap(SSLEngine engine) throws Exception {
            bytes.flip();
            engine.unwrap(bytes, application);
            bytes.compact();
        }

        void write(SSLEngine engine, String text) throws Exception {
            wrap(engine, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        String read(SSLEngine engine) throws Exception {
            for (int i = 0; i < 10 && application.position() == 0; i++) {
                unwrap(engine);
            }
            application.flip();
            byte[] data = new byte[application.remaining()];
            application.get(data);
            application.clear();
            return new String(data, StandardCharsets.UTF_8);
        }
    }
}
