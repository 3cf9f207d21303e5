package io.herald.console.http;

/**
 * A request the console cannot act on as sent: a missing or malformed parameter or body field. Answered with 400 and
 * its message, which names the field and says what is expected.
 *
 * <p>Thread-safety: immutable.
 */
public final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BadRequestException(String message) {
        super(message);
    }
}
