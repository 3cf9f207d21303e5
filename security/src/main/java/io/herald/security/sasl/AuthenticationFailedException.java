package io.herald.security.sasl;

/**
 * A SASL exchange that failed. The message is what the client is told, so it never says whether the user exists;
 * {@link #reason()} is the detailed cause, for the broker's audit log only.
 */
public final class AuthenticationFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public AuthenticationFailedException(String clientMessage, String reason) {
        super(clientMessage);
        this.reason = reason;
    }

    /** Why it failed, for the audit log; may name the user, never the password. */
    public String reason() {
        return reason;
    }
}
