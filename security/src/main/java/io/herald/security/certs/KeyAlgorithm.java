package io.herald.security.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;

/**
 * The key type of a new certificate. EC P-256 by default: fast to generate and to handshake with, and accepted by
 * every Kafka client (Java, librdkafka); RSA 2048 for old peers that only know RSA.
 *
 * <p>Thread-safety: immutable.
 */
public enum KeyAlgorithm {
    EC_P256("SHA256withECDSA"),
    RSA_2048("SHA256withRSA");

    private final String signatureAlgorithm;

    KeyAlgorithm(String signatureAlgorithm) {
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** A new key pair of this type, from the JDK's generator. */
    public KeyPair generate() {
        try {
            if (this == EC_P256) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate a " + this + " key", e);
        }
    }

    /** The algorithm with which a key of this type signs certificates. */
    String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The type of an existing key, by its JCA algorithm name ("EC", "RSA"). */
    static KeyAlgorithm of(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> EC_P256;
            case "RSA" -> RSA_2048;
            default ->
                throw new IllegalArgumentException(
                        "unsupported CA key type " + key.getAlgorithm() + ": use an EC or RSA key");
        };
    }
}
