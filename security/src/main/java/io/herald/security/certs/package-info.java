/**
 * Certificate tooling on BouncyCastle: a {@link io.herald.security.certs.CertificateAuthority} (created or loaded
 * back) issues broker and client certificates ({@link io.herald.security.certs.CertificateRequest}), written as PEM
 * or PKCS12 ({@link io.herald.security.certs.IssuedCertificate}); {@link
 * io.herald.security.certs.DevelopmentCertificates} gives a broker started with TLS but no key material a self-signed
 * CA and certificate. {@code herald certs} is the command line over these classes.
 */
package io.herald.security.certs;
