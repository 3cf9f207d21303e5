package io.herald.server.network;

import io.herald.server.security.ClientSession;
import java.net.InetAddress;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * What the network layer needs to know of security: the session a new connection on a listener starts with.
 *
 * <p>Thread-safety: implementations are called from every processor thread.
 */
public interface ConnectionSecurity {

    ClientSession newSession(String listener, InetAddress address);

    /** Every listener plaintext and unauthenticated, as without any security configuration. */
    static ConnectionSecurity plaintext() {
        return (listener, address) -> new ClientSession(listener, SecurityProtocol.PLAINTEXT, address);
    }
}
