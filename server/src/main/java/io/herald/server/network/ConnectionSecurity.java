package io.herald.server.network;

import io.herald.server.security.ClientSession;
import java.net.InetAddress;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * What the network layer needs to know of security: the session a new connection on a listener starts with.
 *
 * <p>Thread-safety: implementations are called from every processor thread.
 */
public interface ConnectionSecurity {

    ClientSession newSession(String listener, InetAddress address);

    /** A server-side TLS engine for a new connection on an {@code SSL}/{@code SASL_SSL} listener, else null. */
    default SSLEngine newTlsEngine(String listener, String peerHost, int peerPort) {
        return null;
    }

    /**
     * The principal of a connection whose TLS handshake is done: its client certificate's subject mapped by {@code
     * ssl.principal.mapping.rules}, or {@code User:ANONYMOUS} without one.
     *
     * @throws SSLPeerUnverifiedException no mapping rule matches the certificate's subject
     */
    default KafkaPrincipal tlsPrincipal(String listener, SSLSession session) throws SSLPeerUnverifiedException {
        return KafkaPrincipal.ANONYMOUS;
    }

    /** Every listener plaintext and unauthenticated, as without any security configuration. */
    static ConnectionSecurity plaintext() {
        return (listener, address) -> new ClientSession(listener, SecurityProtocol.PLAINTEXT, address);
    }
}
