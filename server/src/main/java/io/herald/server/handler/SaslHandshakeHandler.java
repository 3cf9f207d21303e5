package io.herald.server.handler;

import io.herald.security.audit.AuditLog;
import io.herald.security.sasl.SaslMechanisms;
import io.herald.security.sasl.SaslServerSession;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.security.ClientSession;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * SaslHandshake (key 17) v1: picks the SASL mechanism; the exchange itself follows in SaslAuthenticate requests. v0
 * (raw SASL tokens outside Kafka framing) is not served: every client since Kafka 1.0 uses v1.
 *
 * <p>A mechanism that is not enabled, or a handshake on a listener without SASL, is answered with the error and the
 * enabled mechanisms, then the connection is closed, as Kafka does. An authenticated client may hand-shake again to
 * re-authenticate (KIP-368).
 *
 * <p>Thread-safety: stateless; the session is the connection's.
 */
public final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequestData> {

    private final SaslMechanisms mechanisms;

    public SaslHandshakeHandler(SaslMechanisms mechanisms) {
        this.mechanisms = mechanisms;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<SaslHandshakeResponseData> handle(
            RequestContext context, SaslHandshakeRequestData request) {
        ClientSession session = context.session();
        SaslHandshakeResponseData response = new SaslHandshakeResponseData().setMechanisms(mechanisms.enabled());
        if (!session.requiresSasl() || session.exchange() != null) {
            session.closeAfterResponse();
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code()));
        }
        Optional<SaslServerSession> exchange = mechanisms.newSession(request.mechanism());
        if (exchange.isEmpty()) {
            AuditLog.authenticationFailed(
                    session.listener(), session.host(), request.mechanism(), "mechanism not enabled");
            session.closeAfterResponse();
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()));
        }
        session.startExchange(exchange.get());
        return CompletableFuture.completedFuture(response);
    }
}
