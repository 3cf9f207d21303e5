/**
 * SASL authentication: PLAIN and SCRAM-SHA-256/512 server exchanges, and the store of SCRAM credentials (salted and
 * hashed, per user and mechanism) they check.
 */
package io.herald.security.sasl;
