package io.herald.security.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server side of a SCRAM exchange (RFC 5802, with the SHA-256/512 hashes of RFC 7677) as Kafka clients run it:
 * client-first, server-first, client-final, server-final. Channel binding is not supported (clients send {@code n}
 * or {@code y}); SCRAM extensions are ignored except {@code tokenauth}, refused because delegation tokens are not.
 *
 * <p>An unknown user gets a decoy salt (derived from the name, so asking twice gives the same one) and the default
 * iteration count, and fails only at the proof, exactly as a wrong password does: nothing in the exchange tells an
 * attacker which users exist.
 *
 * <p>Thread-safety: not thread-safe (see {@link SaslServerSession}).
 */
final class ScramServer implements SaslServerSession {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] DECOY_SECRET = RANDOM.generateSeed(32);

    private enum State {
        CLIENT_FIRST,
        CLIENT_FINAL,
        COMPLETE,
        FAILED
    }

    private final ScramMechanism mechanism;
    private final CredentialStore store;
    private State state = State.CLIENT_FIRST;
    private String user;
    private ScramCredential credential;
    private boolean known;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    ScramServer(ScramMechanism mechanism, CredentialStore store) {
        this.mechanism = mechanism;
        this.store = store;
    }

    @Override
    public String mechanism() {
        return mechanism.mechanismName();
    }

    @Override
    public byte[] evaluate(byte[] response) throws AuthenticationFailedException {
        try {
            return switch (state) {
                case CLIENT_FIRST -> clientFirst(new String(response, StandardCharsets.UTF_8));
                case CLIENT_FINAL -> clientFinal(new String(response, StandardCharsets.UTF_8));
                default -> throw failed("SCRAM exchange already " + state.name().toLowerCase());
            };
        } catch (AuthenticationFailedException e) {
            state = State.FAILED;
            throw e;
        } catch (RuntimeException e) {
            state = State.FAILED;
            throw failed("malformed SCRAM message: " + e.getMessage());
        }
    }

    private byte[] clientFirst(String message) throws AuthenticationFailedException {
        // gs2-header = gs2-cbind-flag "," [ authzid ] "," ; then client-first-message-bare
        int first = message.indexOf(',');
        int second = first < 0 ? -1 : message.indexOf(',', first + 1);
        if (second < 0) {
            throw failed("client-first message has no GS2 header");
        }
        String cbind = message.substring(0, first);
        if (!cbind.equals("n") && !cbind.equals("y")) {
            throw failed("channel binding '" + cbind + "' is not supported");
        }
        String authzid = message.substring(first + 1, second);
        gs2Header = message.substring(0, second + 1);
        clientFirstBare = message.substring(second + 1);
        String[] attributes = clientFirstBare.split(",");
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw failed("client-first message lacks n= or r=");
        }
        user = unescape(attributes[0].substring(2));
        String clientNonce = attributes[1].substring(2);
        if (user.isEmpty() || clientNonce.isEmpty()) {
            throw failed("client-first message has an empty user or nonce");
        }
        for (int i = 2; i < attributes.length; i++) {
            if (attributes[i].startsWith("tokenauth=") && attributes[i].endsWith("true")) {
                throw failed("delegation-token authentication is not supported");
            }
        }
        if (!authzid.isEmpty() && !authzid.equals("a=" + escape(user))) {
            throw failed("SCRAM authorization id '" + authzid + "' differs from the user '" + user + "'");
        }
        known = store.credential(user, mechanism).isPresent();
        credential = known ? store.credential(user, mechanism).get() : decoy(user);
        byte[] serverNonce = new byte[24];
        RANDOM.nextBytes(serverNonce);
        nonce = clientNonce + Base64.getEncoder().withoutPadding().encodeToString(serverNonce);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt()) + ",i="
                + credential.iterations();
        state = State.CLIENT_FINAL;
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] clientFinal(String message) throws AuthenticationFailedException {
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw failed("client-final message has no proof");
        }
        String withoutProof = message.substring(0, proofAt);
        byte[] proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        String[] attributes = withoutProof.split(",");
        if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
            throw failed("client-final message lacks c= or r=");
        }
        String binding = new String(Base64.getDecoder().decode(attributes[0].substring(2)), StandardCharsets.UTF_8);
        if (!binding.equals(gs2Header)) {
            throw failed("channel-binding data does not match the GS2 header");
        }
        if (!attributes[1].substring(2).equals(nonce)) {
            throw failed("nonce does not match the server's");
        }
        byte[] authMessage =
                (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = ScramCredential.hmac(mechanism, credential.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw failed("proof has the wrong length for user '" + user + "'");
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        boolean valid = MessageDigest.isEqual(ScramCredential.hash(mechanism, clientKey), credential.storedKey());
        if (!valid || !known) {
            throw failed(known ? "wrong password for user '" + user + "'" : "unknown user '" + user + "'");
        }
        byte[] serverSignature = ScramCredential.hmac(mechanism, credential.serverKey(), authMessage);
        state = State.COMPLETE;
        return ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8);
    }

    private ScramCredential decoy(String name) {
        byte[] salt = ScramCredential.hmac(mechanism, DECOY_SECRET, name.getBytes(StandardCharsets.UTF_8));
        byte[] key = new byte[salt.length];
        RANDOM.nextBytes(key);
        return new ScramCredential(mechanism, salt, ScramMechanism.MIN_ITERATIONS, key, key);
    }

    private static String unescape(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '=') {
                String code = name.substring(i + 1, Math.min(name.length(), i + 3));
                out.append(
                        switch (code) {
                            case "2C" -> ',';
                            case "3D" -> '=';
                            default -> throw new IllegalArgumentException("invalid escape '=" + code + "'");
                        });
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String escape(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    private AuthenticationFailedException failed(String reason) {
        return new AuthenticationFailedException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism "
                        + mechanism.mechanismName(),
                reason);
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    public String user() {
        return user;
    }
}
