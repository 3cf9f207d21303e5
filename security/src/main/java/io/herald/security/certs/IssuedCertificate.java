package io.herald.security.certs;

import io.herald.security.pem.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A private key and its certificate chain (leaf first, then the CA), as issued by a {@link CertificateAuthority}, and
 * the files Herald and Kafka clients read them from:
 *
 * <ul>
 *   <li>{@link #writePemKeystore}: key and chain in one PEM file, for {@code ssl.keystore.type=PEM} with {@code
 *       ssl.keystore.location};
 *   <li>{@link #writePemCertificateChain} and {@link #writePemPrivateKey}: the two halves, for other tools;
 *   <li>{@link #writePkcs12}: a PKCS12 keystore, for {@code ssl.keystore.type=PKCS12}.
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public record IssuedCertificate(PrivateKey privateKey, List<X509Certificate> chain) {

    /** The alias of the key entry in written PKCS12 files. */
    public static final String ALIAS = "herald";

    public IssuedCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain has at least the leaf certificate");
        }
    }

    /** Names the certificate only: some JDK key classes print their private values. */
    @Override
    public String toString() {
        return "IssuedCertificate(" + certificate().getSubjectX500Principal().getName() + ", serial "
                + certificate().getSerialNumber().toString(16) + ")";
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The private key (PKCS#8, encrypted if {@code password} is present) followed by the chain, in one PEM file. */
    public void writePemKeystore(Path file, Optional<char[]> password) throws IOException {
        String text = Pem.privateKey(privateKey, password) + Pem.certificates(chain);
        SecureFiles.write(file, text.getBytes(StandardCharsets.US_ASCII), true);
    }

    public void writePemCertificateChain(Path file) throws IOException {
        SecureFiles.write(file, Pem.certificates(chain).getBytes(StandardCharsets.US_ASCII), false);
    }

    public void writePemPrivateKey(Path file, Optional<char[]> password) throws IOException {
        SecureFiles.write(file, Pem.privateKey(privateKey, password).getBytes(StandardCharsets.US_ASCII), true);
    }

    /** A PKCS12 keystore holding the key and chain under {@link #ALIAS}, protected by {@code password}. */
    public void writePkcs12(Path file, char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, privateKey, password, chain.toArray(new Certificate[0]));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            SecureFiles.write(file, bytes.toByteArray(), true);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the PKCS12 keystore " + file + ": " + e.getMessage(), e);
        }
    }
}
