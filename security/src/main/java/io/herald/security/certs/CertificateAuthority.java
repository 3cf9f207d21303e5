package io.herald.security.certs;

import io.herald.security.pem.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority: a private key and its self-signed CA certificate, which issues broker and client
 * certificates. Created new ({@link #create}) or loaded back from the PEM files it was saved to ({@link #load}) to
 * issue more.
 *
 * <p>Issued certificates are X.509 v3 with a random 159-bit serial, the subject key identifier and the CA's authority
 * key identifier, key usage digitalSignature (and keyEncipherment for RSA), the extended key usage of the request
 * (serverAuth and clientAuth for a broker, clientAuth for a client), DNS and IP subject alternative names. The CA's
 * certificate is marked CA with a path length of 0: it signs leaf certificates only.
 *
 * <p>Thread-safety: immutable; {@link #issue} may be called from any thread.
 */
public final class CertificateAuthority {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private CertificateAuthority(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /** A new CA with a new key and a self-signed certificate. */
    public static CertificateAuthority create(Subject subject, Validity validity, KeyAlgorithm algorithm) {
        KeyPair keys = algorithm.generate();
        X500Name name = subject.toX500Name();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, name, validity, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys.getPrivate(), sign(builder, keys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the CA certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The CA saved with {@link #writePem}: its certificate and its private key (encrypted with {@code keyPassword} if
     * it was saved so).
     *
     * @throws IOException a file cannot be read, the key cannot be decrypted, the key does not belong to the
     *     certificate, or the certificate is not a CA's
     */
    public static CertificateAuthority load(Path certificateFile, Path keyFile, Optional<char[]> keyPassword)
            throws IOException {
        X509Certificate certificate = Pem.readCertificates(Files.readString(certificateFile, StandardCharsets.US_ASCII))
                .get(0);
        PrivateKey key = Pem.readPrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), keyPassword);
        if (certificate.getBasicConstraints() < 0) {
            throw new IOException(certificateFile + " is not a CA certificate (no basicConstraints CA:true)");
        }
        if (!Pem.matches(key, certificate)) {
            throw new IOException("the key " + keyFile + " does not belong to the CA certificate " + certificateFile);
        }
        KeyAlgorithm.of(key); // fails now for a key type this class cannot sign with
        return new CertificateAuthority(key, certificate);
    }

    /** A new key and a certificate for it, signed by this CA; the chain is the certificate and the CA's. */
    public IssuedCertificate issue(CertificateRequest request) {
        KeyPair keys = request.keyAlgorithm().generate();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            int usage = KeyUsage.digitalSignature;
            if (keys.getPublic().getAlgorithm().equals("RSA")) {
                usage |= KeyUsage.keyEncipherment; // TLS 1.2 RSA key exchange suites need it
            }
            KeyPurposeId[] purposes = request.serverAuth()
                    ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                    : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
            X509v3CertificateBuilder builder = builder(
                            X500Name.getInstance(
                                    certificate.getSubjectX500Principal().getEncoded()),
                            request.subject().toX500Name(),
                            request.validity(),
                            keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            List<GeneralName> names = subjectAlternativeNames(request);
            if (!names.isEmpty()) {
                builder.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate issued = sign(builder, privateKey);
            return new IssuedCertificate(keys.getPrivate(), List.of(issued, certificate));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue the certificate: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Saves the CA certificate and its private key (PKCS#8, encrypted if {@code keyPassword} is present). */
    public void writePem(Path certificateFile, Path keyFile, Optional<char[]> keyPassword) throws IOException {
        writeCertificate(certificateFile);
        SecureFiles.write(keyFile, Pem.privateKey(privateKey, keyPassword).getBytes(StandardCharsets.US_ASCII), true);
    }

    /** The CA certificate alone, in PEM: a truststore for {@code ssl.truststore.type=PEM}. */
    public void writeCertificate(Path file) throws IOException {
        SecureFiles.write(file, Pem.certificates(List.of(certificate)).getBytes(StandardCharsets.US_ASCII), false);
    }

    /** The CA certificate as the trusted entry of a PKCS12 truststore, for {@code ssl.truststore.type=PKCS12}. */
    public void writePkcs12Truststore(Path file, char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("herald-ca", certificate);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            SecureFiles.write(file, bytes.toByteArray(), false);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the PKCS12 truststore " + file + ": " + e.getMessage(), e);
        }
    }

    private static X509v3CertificateBuilder builder(
            X500Name issuer, X500Name subject, Validity validity, PublicKey publicKey) {
        // Positive and at most 20 bytes, as RFC 5280 requires, with enough randomness to never repeat.
        BigInteger serial = new BigInteger(159, RANDOM);
        return new JcaX509v3CertificateBuilder(
                issuer, serial, Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, publicKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(
                            new JcaContentSignerBuilder(KeyAlgorithm.of(signer).signatureAlgorithm()).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with the " + signer.getAlgorithm() + " key", e);
        }
    }

    private static List<GeneralName> subjectAlternativeNames(CertificateRequest request) {
        List<GeneralName> names = new ArrayList<>();
        for (String dns : request.dnsNames()) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (String ip : request.ipAddresses()) {
            names.add(new GeneralName(GeneralName.iPAddress, ipLiteral(ip)));
        }
        return names;
    }

    /** {@code text} checked to be an IP literal: getByName would otherwise resolve a host name over DNS. */
    private static String ipLiteral(String text) {
        boolean literal = text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
        if (!literal || text.isEmpty()) {
            throw new IllegalArgumentException(text + " is not an IP address (put host names in the DNS names)");
        }
        try {
            return InetAddress.getByName(text).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text + " is not an IP address", e);
        }
    }
}
