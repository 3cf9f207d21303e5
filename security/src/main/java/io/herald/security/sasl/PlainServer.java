package io.herald.security.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * SASL PLAIN (RFC 4616) checked against the user's stored SCRAM credential, so a password is kept only salted and
 * hashed whichever mechanism a client picks. The message is {@code [authzid] NUL authcid NUL passwd}; an authzid
 * other than the user itself is refused, as Kafka does.
 *
 * <p>An unknown user costs the same PBKDF2 round as a known one, so response time does not tell which users exist.
 *
 * <p>Thread-safety: not thread-safe (see {@link SaslServerSession}).
 */
final class PlainServer implements SaslServerSession {

    static final String MECHANISM = "PLAIN";
    private static final ScramCredential DECOY =
            ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_512, "decoy", ScramMechanism.MIN_ITERATIONS);

    private final CredentialStore store;
    private String user;

    PlainServer(CredentialStore store) {
        this.store = store;
    }

    @Override
    public String mechanism() {
        return MECHANISM;
    }

    @Override
    public byte[] evaluate(byte[] response) throws AuthenticationFailedException {
        if (user != null) {
            throw failed("PLAIN exchange already complete");
        }
        String message = new String(response, StandardCharsets.UTF_8);
        String[] parts = message.split("\u0000", -1);
        if (parts.length != 3) {
            throw failed("PLAIN message is not [authzid] NUL authcid NUL passwd");
        }
        String authzid = parts[0];
        String authcid = parts[1];
        String password = parts[2];
        if (authcid.isEmpty() || password.isEmpty()) {
            throw failed("PLAIN message has an empty user or password");
        }
        if (!authzid.isEmpty() && !authzid.equals(authcid)) {
            throw failed("PLAIN authorization id '" + authzid + "' differs from the user '" + authcid + "'");
        }
        Optional<ScramCredential> credential = store.credential(authcid, ScramMechanism.SCRAM_SHA_512)
                .or(() -> store.credential(authcid, ScramMechanism.SCRAM_SHA_256));
        boolean ok = credential.orElse(DECOY).matchesPassword(password) && credential.isPresent();
        if (!ok) {
            throw failed(
                    credential.isPresent()
                            ? "wrong password for user '" + authcid + "'"
                            : "unknown user '" + authcid + "'");
        }
        user = authcid;
        return new byte[0];
    }

    private static AuthenticationFailedException failed(String reason) {
        return new AuthenticationFailedException(
                "Authentication failed: invalid username or password (mechanism PLAIN)", reason);
    }

    @Override
    public boolean isComplete() {
        return user != null;
    }

    @Override
    public String user() {
        return user;
    }
}
