/**
 * Herald's security: who a client is (SASL PLAIN and SCRAM over credentials stored salted and hashed) and what it
 * may do (a Kafka-compatible ACL authorizer), plus the audit trail of refusals. Depends on no other Herald module:
 * the broker, the JMS provider and the console all use it.
 */
package io.herald.security;
