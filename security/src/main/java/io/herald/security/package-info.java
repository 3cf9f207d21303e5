/**
 * Herald's security: who a client is (SASL PLAIN and SCRAM over credentials stored salted and hashed, or a TLS client
 * certificate), what it may do (a Kafka-compatible ACL authorizer), TLS contexts and certificate tooling ({@link
 * io.herald.security.tls}, {@link io.herald.security.certs}, {@link io.herald.security.pem}), and the audit trail of
 * refusals. Depends on no other Herald module (the JDK, BouncyCastle, kafka-clients' ACL model, SLF4J): the broker,
 * the JMS provider and the console all use it.
 */
package io.herald.security;
