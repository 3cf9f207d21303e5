package io.herald.security.sasl;

import java.util.Optional;

/**
 * The SCRAM mechanisms of RFC 5802/7677 that Kafka clients speak, with the hash and HMAC each uses. Iteration bounds
 * are Kafka's: fewer than 4096 is refused as too weak, more than 16384 as a denial-of-service lever.
 */
public enum ScramMechanism {
    SCRAM_SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 32, (byte) 1),
    SCRAM_SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", "PBKDF2WithHmacSHA512", 64, (byte) 2);

    public static final int MIN_ITERATIONS = 4096;
    public static final int MAX_ITERATIONS = 16384;

    private final String mechanismName;
    private final String hashAlgorithm;
    private final String macAlgorithm;
    private final String pbkdf2Algorithm;
    private final int keyBytes;
    private final byte type;

    ScramMechanism(
            String mechanismName,
            String hashAlgorithm,
            String macAlgorithm,
            String pbkdf2Algorithm,
            int keyBytes,
            byte type) {
        this.mechanismName = mechanismName;
        this.hashAlgorithm = hashAlgorithm;
        this.macAlgorithm = macAlgorithm;
        this.pbkdf2Algorithm = pbkdf2Algorithm;
        this.keyBytes = keyBytes;
        this.type = type;
    }

    /** The SASL mechanism name, e.g. {@code SCRAM-SHA-512}. */
    public String mechanismName() {
        return mechanismName;
    }

    String hashAlgorithm() {
        return hashAlgorithm;
    }

    String macAlgorithm() {
        return macAlgorithm;
    }

    String pbkdf2Algorithm() {
        return pbkdf2Algorithm;
    }

    int keyBytes() {
        return keyBytes;
    }

    /** The mechanism's code in the Admin API (DescribeUserScramCredentials, AlterUserScramCredentials). */
    public byte type() {
        return type;
    }

    public static Optional<ScramMechanism> forName(String name) {
        for (ScramMechanism m : values()) {
            if (m.mechanismName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public static Optional<ScramMechanism> forType(byte type) {
        for (ScramMechanism m : values()) {
            if (m.type == type) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
