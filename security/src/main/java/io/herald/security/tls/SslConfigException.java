package io.herald.security.tls;

/**
 * TLS settings that cannot be used: an unknown or refused value, a missing or unreadable file, a wrong password, a key
 * that does not belong to its certificate. The message names the {@code ssl.*} key and says what is wrong, for the
 * operator.
 */
public final class SslConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SslConfigException(String message) {
        super(message);
    }

    public SslConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
