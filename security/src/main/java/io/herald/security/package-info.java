/**
 * Herald's security module: TLS contexts and certificate tooling ({@link io.herald.security.tls},
 * {@link io.herald.security.certs}, {@link io.herald.security.pem}), later SASL and ACLs. It depends on nothing of
 * Herald's: the JDK, BouncyCastle and SLF4J only.
 */
package io.herald.security;
