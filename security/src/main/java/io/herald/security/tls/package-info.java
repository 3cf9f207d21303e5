/**
 * TLS for Herald's listeners and clients: {@link io.herald.security.tls.SslSettings} (Kafka's {@code ssl.*} keys),
 * {@link io.herald.security.tls.SslContextFactory} (JDK {@code SSLContext} and configured {@code SSLEngine}s, reloaded
 * when the key files change, with {@link io.herald.security.tls.KeyMaterialReloader} polling them, and {@link
 * io.herald.security.tls.ReloadingSslContext} following the reloads for servers that keep one {@code SSLContext}) and
 * {@link io.herald.security.tls.SslPrincipalMapper} (Kafka's {@code ssl.principal.mapping.rules}). The broker's network
 * layer drives the engines itself.
 */
package io.herald.security.tls;
