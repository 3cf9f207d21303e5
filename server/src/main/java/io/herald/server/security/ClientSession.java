package io.herald.server.security;

import io.herald.security.sasl.SaslServerSession;
import java.net.InetAddress;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Who is on one connection: the listener's security protocol, the principal (anonymous until authenticated, or the
 * client certificate's mapped subject on an SSL listener), the SASL exchange in progress, and when the authentication
 * expires ({@code connections.max.reauth.ms}, KIP-368).
 *
 * <p>Thread-safety: a connection has at most one request in flight (its processor mutes it meanwhile), so the
 * session is used by one thread at a time; the fields are volatile because that thread changes from request to
 * request (network thread, then one of the I/O threads).
 */
public final class ClientSession {

    private final String listener;
    private final SecurityProtocol protocol;
    private final InetAddress address;
    private volatile KafkaPrincipal principal = KafkaPrincipal.ANONYMOUS;
    private volatile boolean authenticated;
    private volatile SaslServerSession exchange;
    private volatile long expiresAtNanos = Long.MAX_VALUE;
    private volatile boolean closeAfterResponse;

    public ClientSession(String listener, SecurityProtocol protocol, InetAddress address) {
        this.listener = listener;
        this.protocol = protocol;
        this.address = address;
        this.authenticated = !requiresSasl();
    }

    public String listener() {
        return listener;
    }

    public SecurityProtocol protocol() {
        return protocol;
    }

    public InetAddress address() {
        return address;
    }

    /** The client's address as ACL host entries name it. */
    public String host() {
        return address.getHostAddress();
    }

    public boolean requiresSasl() {
        return protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
    }

    public KafkaPrincipal principal() {
        return principal;
    }

    /** Sets the principal a TLS handshake established (the client certificate's mapped subject). */
    public void setTlsPrincipal(KafkaPrincipal tlsPrincipal) {
        if (!requiresSasl()) {
            this.principal = tlsPrincipal;
        }
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    /** Whether a SASL authentication's lifetime has run out, so only re-authentication may follow. */
    public boolean isExpired(long nowNanos) {
        return authenticated && nowNanos - expiresAtNanos > 0;
    }

    /** Records a successful SASL exchange; {@code lifetimeNanos} 0 means it never expires. */
    public void authenticated(KafkaPrincipal who, long nowNanos, long lifetimeNanos) {
        this.principal = who;
        this.authenticated = true;
        this.exchange = null;
        this.expiresAtNanos = lifetimeNanos == 0 ? Long.MAX_VALUE : nowNanos + lifetimeNanos;
    }

    public void startExchange(SaslServerSession newExchange) {
        this.exchange = newExchange;
    }

    public SaslServerSession exchange() {
        return exchange;
    }

    /** Marks the connection to be closed once the current response is written (a failed authentication). */
    public void closeAfterResponse() {
        this.closeAfterResponse = true;
        this.exchange = null;
    }

    public boolean shouldCloseAfterResponse() {
        return closeAfterResponse;
    }
}
