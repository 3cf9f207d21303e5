package io.herald.security.sasl;

/**
 * The server side of one SASL exchange: fed each client message, returns the challenge to send back, until {@link
 * #isComplete()}. Any failure throws, after which the session is dead.
 *
 * <p>Thread-safety: not thread-safe; one exchange on one connection at a time.
 */
public interface SaslServerSession {

    String mechanism();

    /** Processes one client message and returns the server's answer (possibly empty). */
    byte[] evaluate(byte[] response) throws AuthenticationFailedException;

    boolean isComplete();

    /** The authenticated user name; only once {@link #isComplete()}. */
    String user();
}
