/** Kafka-compatible ACL authorization over Kafka's own ACL model (kafka-clients' AclBinding and friends). */
package io.herald.security.acl;
