package io.herald.security.certs;

import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The subject of a certificate: common name, optional organizational unit and organization. Written most general
 * first (O, OU, CN), as keytool and OpenSSL do, so that the JDK shows it as {@code CN=...,OU=...,O=...}: the string
 * {@code ssl.principal.mapping.rules} work on.
 *
 * <p>Thread-safety: immutable.
 */
public record Subject(String commonName, Optional<String> organizationalUnit, Optional<String> organization) {

    public Subject {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("a certificate subject needs a common name (CN)");
        }
    }

    public static Subject of(String commonName) {
        return new Subject(commonName, Optional.empty(), Optional.empty());
    }

    X500Name toX500Name() {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        organization.ifPresent(o -> builder.addRDN(BCStyle.O, o));
        organizationalUnit.ifPresent(ou -> builder.addRDN(BCStyle.OU, ou));
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
    }
}
