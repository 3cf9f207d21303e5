package io.herald.security.certs;

import java.util.List;

/**
 * What a {@link CertificateAuthority} is asked to certify.
 *
 * @param subject the subject; for a broker, its first DNS name as common name unless told otherwise
 * @param dnsNames DNS subject alternative names (what clients check with endpoint identification)
 * @param ipAddresses IP address subject alternative names, IPv4 or IPv6 literals
 * @param serverAuth whether the certificate may serve a TLS server (a broker: both server and client auth, as brokers
 *     connect to each other); otherwise client authentication only
 *     <p>Thread-safety: immutable.
 */
public record CertificateRequest(
        Subject subject,
        List<String> dnsNames,
        List<String> ipAddresses,
        boolean serverAuth,
        Validity validity,
        KeyAlgorithm keyAlgorithm) {

    public CertificateRequest {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    /** A broker certificate (server and client authentication) for these names and addresses. */
    public static CertificateRequest broker(List<String> dnsNames, List<String> ipAddresses, Validity validity) {
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a broker certificate needs at least one DNS name or IP address");
        }
        String commonName = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
        return new CertificateRequest(
                Subject.of(commonName), dnsNames, ipAddresses, true, validity, KeyAlgorithm.EC_P256);
    }

    /** A client certificate (client authentication only) whose subject a broker maps to a principal. */
    public static CertificateRequest client(Subject subject, Validity validity) {
        return new CertificateRequest(subject, List.of(), List.of(), false, validity, KeyAlgorithm.EC_P256);
    }

    public CertificateRequest withKeyAlgorithm(KeyAlgorithm algorithm) {
        return new CertificateRequest(subject, dnsNames, ipAddresses, serverAuth, validity, algorithm);
    }

    public CertificateRequest withSubject(Subject replacement) {
        return new CertificateRequest(replacement, dnsNames, ipAddresses, serverAuth, validity, keyAlgorithm);
    }
}
