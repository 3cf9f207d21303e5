/**
 * The broker's use of {@code io.herald.security}: who is on each connection ({@link
 * io.herald.server.security.ClientSession}), what they may do ({@link io.herald.server.security.AccessControl}), and
 * the security set-up built from the broker configuration ({@link io.herald.server.security.BrokerSecurity}).
 */
package io.herald.server.security;
