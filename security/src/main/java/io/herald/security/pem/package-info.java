/**
 * Reading and writing PEM text (certificates, PKCS#8 and PKCS#1 private keys, encrypted or not) with BouncyCastle,
 * shared by the TLS key-material loader and the certificate tooling.
 */
package io.herald.security.pem;
