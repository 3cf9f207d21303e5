package io.herald.security.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the broker keeps of a password for one SCRAM mechanism (RFC 5802 section 3): the salt, the iteration count,
 * and the stored and server keys derived from the salted password. The password itself, and the salted password,
 * are never kept: the stored key only verifies a proof, it cannot produce one.
 *
 * <p>Immutable and thread-safe (the arrays are copied in and out).
 *
 * @param mechanism the mechanism the keys are for
 * @param salt the salt
 * @param iterations the PBKDF2 iteration count
 * @param storedKey H(HMAC(SaltedPassword, "Client Key"))
 * @param serverKey HMAC(SaltedPassword, "Server Key")
 */
public record ScramCredential(
        ScramMechanism mechanism, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public ScramCredential {
        if (iterations < ScramMechanism.MIN_ITERATIONS || iterations > ScramMechanism.MAX_ITERATIONS) {
            throw new IllegalArgumentException("SCRAM iterations must be between " + ScramMechanism.MIN_ITERATIONS
                    + " and " + ScramMechanism.MAX_ITERATIONS + ", not " + iterations);
        }
        if (salt.length == 0) {
            throw new IllegalArgumentException("SCRAM salt must not be empty");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** A credential for {@code password} with a fresh random salt. */
    public static ScramCredential fromPassword(ScramMechanism mechanism, String password, int iterations) {
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        return fromSaltedPassword(mechanism, salt, iterations, saltedPassword(mechanism, password, salt, iterations));
    }

    /**
     * A credential from a salted password, as the Admin API's AlterUserScramCredentials carries it (the client salts
     * and hashes, so the password never crosses the wire).
     */
    public static ScramCredential fromSaltedPassword(
            ScramMechanism mechanism, byte[] salt, int iterations, byte[] saltedPassword) {
        byte[] clientKey = hmac(mechanism, saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = hmac(mechanism, saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredential(mechanism, salt, iterations, hash(mechanism, clientKey), serverKey);
    }

    /** Whether {@code password} is the one this credential was made from (PLAIN authenticates this way). */
    public boolean matchesPassword(String password) {
        byte[] salted = saltedPassword(mechanism, password, salt, iterations);
        byte[] clientKey = hmac(mechanism, salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        return MessageDigest.isEqual(hash(mechanism, clientKey), storedKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredential c
                && c.mechanism == mechanism
                && c.iterations == iterations
                && Arrays.equals(c.salt, salt)
                && Arrays.equals(c.storedKey, storedKey)
                && Arrays.equals(c.serverKey, serverKey);
    }

    @Override
    public int hashCode() {
        return mechanism.hashCode() * 31 + Arrays.hashCode(storedKey);
    }

    @Override
    public String toString() {
        return "ScramCredential[" + mechanism.mechanismName() + ", iterations=" + iterations + "]";
    }

    static byte[] saltedPassword(ScramMechanism mechanism, String password, byte[] salt, int iterations) {
        try {
            // The JDK's PBKDF2 encodes the password as UTF-8, as RFC 5802's Hi() over the normalised password does.
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, mechanism.keyBytes() * 8);
            return SecretKeyFactory.getInstance(mechanism.pbkdf2Algorithm())
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mechanism.pbkdf2Algorithm() + " is not available", e);
        }
    }

    static byte[] hmac(ScramMechanism mechanism, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(mechanism.macAlgorithm());
            mac.init(new SecretKeySpec(key, mechanism.macAlgorithm()));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mechanism.macAlgorithm() + " is not available", e);
        }
    }

    static byte[] hash(ScramMechanism mechanism, byte[] data) {
        try {
            return MessageDigest.getInstance(mechanism.hashAlgorithm()).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mechanism.hashAlgorithm() + " is not available", e);
        }
    }
}
