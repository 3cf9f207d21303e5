package io.herald.server.handler;

import io.herald.security.audit.AuditLog;
import io.herald.security.sasl.AuthenticationFailedException;
import io.herald.security.sasl.SaslServerSession;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.security.ClientSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * SaslAuthenticate (key 36): one step of the SASL exchange SaslHandshake chose. On success the connection's
 * principal becomes {@code User:<name>} and, when {@code connections.max.reauth.ms} is set, the response tells the
 * client how long the authentication lasts (KIP-368); the client re-authenticates before then, as the same user.
 *
 * <p>A failure is answered with SASL_AUTHENTICATION_FAILED and a message that never says whether the user exists,
 * audited with the detailed reason, and the connection is closed after the response.
 *
 * <p>Thread-safety: stateless; the session is the connection's.
 */
public final class SaslAuthenticateHandler implements ApiHandler<SaslAuthenticateRequestData> {

    private final long reauthMs;

    public SaslAuthenticateHandler(long reauthMs) {
        this.reauthMs = reauthMs;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<SaslAuthenticateResponseData> handle(
            RequestContext context, SaslAuthenticateRequestData request) {
        ClientSession session = context.session();
        SaslServerSession exchange = session.exchange();
        if (exchange == null) {
            session.closeAfterResponse();
            return CompletableFuture.completedFuture(new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate without a SaslHandshake"));
        }
        try {
            byte[] challenge = exchange.evaluate(request.authBytes());
            SaslAuthenticateResponseData response = new SaslAuthenticateResponseData().setAuthBytes(challenge);
            if (exchange.isComplete()) {
                KafkaPrincipal who = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, exchange.user());
                if (session.isAuthenticated() && !who.equals(session.principal())) {
                    throw new AuthenticationFailedException(
                            "Cannot change principals during re-authentication",
                            "re-authentication as " + who + " on a connection of " + session.principal());
                }
                session.authenticated(who, System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(reauthMs));
                if (context.version() >= 1) { // the field exists from v1 on; v0 clients never re-authenticate
                    response.setSessionLifetimeMs(reauthMs);
                }
            }
            return CompletableFuture.completedFuture(response);
        } catch (AuthenticationFailedException e) {
            AuditLog.authenticationFailed(session.listener(), session.host(), exchange.mechanism(), e.reason());
            session.closeAfterResponse();
            return CompletableFuture.completedFuture(new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                    .setErrorMessage(e.getMessage()));
        }
    }
}
