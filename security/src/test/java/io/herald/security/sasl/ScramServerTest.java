package io.herald.security.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SCRAM and PLAIN servers against Kafka's own SCRAM client: the exchange a Kafka client runs, message by message. */
class ScramServerTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void kafkaClientAuthenticatesWithTheRightPassword(ScramMechanism mechanism) throws Exception {
        SaslMechanisms mechanisms = mechanismsWith("alice", "s3cret", mechanism);
        SaslServerSession server =
                mechanisms.newSession(mechanism.mechanismName()).orElseThrow();

        runExchange(client(mechanism, "alice", "s3cret"), server);

        assertThat(server.isComplete()).isTrue();
        assertThat(server.user()).isEqualTo("alice");
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void wrongPasswordAndUnknownUserFailAlikeAtTheProof(ScramMechanism mechanism) throws Exception {
        SaslMechanisms mechanisms = mechanismsWith("alice", "s3cret", mechanism);

        AuthenticationFailedException wrong = exchangeFailure(mechanisms, mechanism, "alice", "guess");
        AuthenticationFailedException unknown = exchangeFailure(mechanisms, mechanism, "mallory", "guess");

        assertThat(wrong.getMessage()).isEqualTo(unknown.getMessage());
        assertThat(wrong.reason()).contains("wrong password");
        assertThat(unknown.reason()).contains("unknown user");
    }

    @Test
    void unknownUserGetsTheSameSaltEachTime() throws Exception {
        SaslMechanisms mechanisms = mechanismsWith("alice", "s3cret", ScramMechanism.SCRAM_SHA_256);
        String first = serverFirst(mechanisms, "nobody");
        String second = serverFirst(mechanisms, "nobody");
        assertThat(saltOf(first)).isEqualTo(saltOf(second));
        assertThat(first).contains(",i=4096");
    }

    @Test
    void garbageIsRefusedNotCrashing() throws Exception {
        SaslMechanisms mechanisms = mechanismsWith("alice", "s3cret", ScramMechanism.SCRAM_SHA_512);
        for (String garbage :
                new String[] {"", "x", "p=tls-unique,,n=alice,r=abc", "n,,n=al=ZZice,r=abc", "n,,r=abc"}) {
            SaslServerSession s = mechanisms.newSession("SCRAM-SHA-512").orElseThrow();
            assertThatThrownBy(() -> s.evaluate(garbage.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(AuthenticationFailedException.class);
            assertThat(s.isComplete()).isFalse();
        }
        SaslServerSession s = mechanisms.newSession("SCRAM-SHA-512").orElseThrow();
        s.evaluate("n,,n=alice,r=abc".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> s.evaluate("c=biws,r=abc,p=AAAA".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AuthenticationFailedException.class)
                .extracting(e -> ((AuthenticationFailedException) e).reason())
                .asString()
                .contains("nonce");
    }

    @Test
    void plainChecksTheStoredScramCredential() throws Exception {
        SaslMechanisms mechanisms = mechanismsWith("alice", "s3cret", ScramMechanism.SCRAM_SHA_256);
        SaslServerSession ok = mechanisms.newSession("PLAIN").orElseThrow();
        ok.evaluate("\u0000alice\u0000s3cret".getBytes(StandardCharsets.UTF_8));
        assertThat(ok.user()).isEqualTo("alice");

        for (String bad : new String[] {
            "\u0000alice\u0000nope", "\u0000bob\u0000s3cret", "bob\u0000alice\u0000s3cret", "alice", "\u0000\u0000"
        }) {
            SaslServerSession s = mechanisms.newSession("PLAIN").orElseThrow();
            assertThatThrownBy(() -> s.evaluate(bad.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("invalid username or password");
        }
    }

    @Test
    void onlyEnabledMechanismsAreOffered() throws Exception {
        SaslMechanisms only = new SaslMechanisms(CredentialStore.open(dir.resolve("c")), java.util.List.of("PLAIN"));
        assertThat(only.newSession("SCRAM-SHA-256")).isEmpty();
        assertThat(only.enabled()).containsExactly("PLAIN");
        assertThatThrownBy(() -> new SaslMechanisms(only.credentials(), java.util.List.of("GSSAPI")))
                .hasMessageContaining("GSSAPI is not supported");
    }

    private SaslMechanisms mechanismsWith(String user, String password, ScramMechanism mechanism) throws Exception {
        CredentialStore store = CredentialStore.open(dir.resolve("credentials"));
        store.put(user, ScramCredential.fromPassword(mechanism, password, 4096));
        return new SaslMechanisms(store, SaslMechanisms.SUPPORTED);
    }

    private AuthenticationFailedException exchangeFailure(
            SaslMechanisms mechanisms, ScramMechanism mechanism, String user, String password) throws Exception {
        SaslServerSession server =
                mechanisms.newSession(mechanism.mechanismName()).orElseThrow();
        try {
            runExchange(client(mechanism, user, password), server);
        } catch (AuthenticationFailedException e) {
            assertThat(server.isComplete()).isFalse();
            return e;
        }
        throw new AssertionError("authentication of " + user + " should have failed");
    }

    private static void runExchange(SaslClient client, SaslServerSession server) throws Exception {
        byte[] toServer = client.evaluateChallenge(new byte[0]);
        while (true) {
            byte[] toClient = server.evaluate(toServer);
            toServer = client.evaluateChallenge(toClient);
            if (server.isComplete()) {
                assertThat(client.isComplete()).isTrue();
                return;
            }
        }
    }

    private static String serverFirst(SaslMechanisms mechanisms, String user) throws Exception {
        SaslServerSession s = mechanisms.newSession("SCRAM-SHA-256").orElseThrow();
        return new String(
                s.evaluate(("n,,n=" + user + ",r=nonce").getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private static String saltOf(String serverFirst) {
        return serverFirst.split(",")[1];
    }

    private static SaslClient client(ScramMechanism mechanism, String user, String password) throws Exception {
        return new ScramSaslClient(
                org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(
                        mechanism.mechanismName()),
                callbacks -> {
                    for (Callback c : callbacks) {
                        if (c instanceof NameCallback n) {
                            n.setName(user);
                        } else if (c instanceof PasswordCallback p) {
                            p.setPassword(password.toCharArray());
                        } else if (c instanceof ScramExtensionsCallback) {
                            // no extensions
                        } else {
                            throw new SaslException("unexpected callback " + c);
                        }
                    }
                });
    }
}
