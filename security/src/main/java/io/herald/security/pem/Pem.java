package io.herald.security.pem;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * PEM text to and from JCA objects. Private keys are read in every form OpenSSL and keytool write: PKCS#8 ({@code
 * PRIVATE KEY}), encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, PBES2 or the older PBES1 schemes), PKCS#1 / SEC1
 * ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}) and OpenSSL's legacy encrypted PKCS#1 ({@code Proc-Type:
 * 4,ENCRYPTED}). Keys are written as PKCS#8, encrypted when a password is given with PKCS#12's
 * PBE-SHA1-3DES scheme ({@code PBEWithSHA1AndDESede}).
 *
 * <p>Why not PBES2 with AES: kafka-clients decrypts a PEM key with the JDK's {@code EncryptedPrivateKeyInfo} and a
 * {@code SecretKeyFactory} named after the key's algorithm, and on Java 17 a PBES2 key is named just "PBES2", which no
 * factory knows: a Java client would fail to load a key Herald wrote. PBE-SHA1-3DES is read by every JDK, by
 * kafka-clients and by OpenSSL (librdkafka); a high iteration count makes up for its age.
 *
 * <p>Design note: BouncyCastle's provider is used as an instance for the decryption and encryption of keys and is
 * never registered in the JVM, so that the broker's TLS keeps running on the JDK's own providers. Keys come out as JDK
 * key objects (through the JDK's key factories), which the JDK's TLS implementation accepts.
 *
 * <p>Thread-safety: stateless; every method may be called from any thread.
 */
public final class Pem {

    private static final Provider BC = new BouncyCastleProvider();
    /** Key-derivation iterations of written encrypted keys: the JDK's own for PKCS12 keystores. */
    private static final int PBE_ITERATIONS = 10_000;

    private Pem() {}

    /** The certificates of {@code pem}, in order (leaf first for a chain); at least one. */
    public static List<X509Certificate> readCertificates(String pem) throws PemException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : objects(pem)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new PemException("a certificate cannot be decoded: " + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new PemException("no certificate (no -----BEGIN CERTIFICATE----- block)");
        }
        return List.copyOf(certificates);
    }

    /**
     * The first private key of {@code pem}.
     *
     * @param password the password of an encrypted key; ignored for a key that is not encrypted
     */
    public static PrivateKey readPrivateKey(String pem, Optional<char[]> password) throws PemException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object object : objects(pem)) {
            try {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    // Only the private part: a SEC1 EC key may come without its public key.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    char[] secret = requirePassword(password);
                    return converter.getPrivateKey(
                            encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                                    .setProvider(BC)
                                    .build(secret)));
                }
                if (object instanceof PEMEncryptedKeyPair encrypted) {
                    char[] secret = requirePassword(password);
                    PEMKeyPair pair = encrypted.decryptKeyPair(
                            new JcePEMDecryptorProviderBuilder().setProvider(BC).build(secret));
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            } catch (PemException e) {
                throw e;
            } catch (PKCSException | OperatorCreationException | IOException e) {
                throw new PemException(
                        "the private key cannot be decrypted: wrong password? (" + e.getMessage() + ")", e);
            } catch (RuntimeException e) {
                // BouncyCastle signals some padding failures of a wrong password as runtime exceptions.
                throw new PemException("the private key cannot be decrypted: wrong password? (" + e + ")", e);
            }
        }
        throw new PemException("no private key (no -----BEGIN PRIVATE KEY----- or similar block)");
    }

    /** {@code certificates} as PEM blocks, in order. */
    public static String certificates(List<X509Certificate> certificates) {
        return write(certificates.toArray());
    }

    /** {@code key} as PKCS#8 PEM, encrypted with {@code password} if present. */
    public static String privateKey(PrivateKey key, Optional<char[]> password) {
        try {
            OutputEncryptor encryptor = null;
            if (password.isPresent()) {
                encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.PBE_SHA1_3DES)
                        .setIterationCount(PBE_ITERATIONS)
                        .setRandom(new SecureRandom())
                        .setProvider(BC)
                        .setPassword(password.get())
                        .build();
            }
            return write(new JcaPKCS8Generator(key, encryptor).generate());
        } catch (OperatorCreationException | org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encode the private key as PKCS#8: " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code key} is the private half of {@code certificate}'s public key: a signature made with the key is
     * verified with the certificate, which works for every key type without comparing key internals.
     */
    public static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> null;
        };
        if (algorithm == null || algorithm.equals("RSASSA-PSS")) {
            // A key type without a simple signature check: accept, the TLS handshake will find a mismatch.
            return true;
        }
        try {
            byte[] probe = "herald key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static char[] requirePassword(Optional<char[]> password) throws PemException {
        return password.orElseThrow(() -> new PemException("the private key is encrypted and no password was given"));
    }

    private static List<Object> objects(String pem) throws PemException {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new PemException("malformed PEM: " + e.getMessage(), e);
        }
        return objects;
    }

    private static String write(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing PEM to memory", e);
        }
        return text.toString();
    }
}
