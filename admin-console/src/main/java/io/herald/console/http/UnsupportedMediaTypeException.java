package io.herald.console.http;

/**
 * A request body not sent as {@code application/json}. Answered with 415 and its message.
 *
 * <p>Thread-safety: immutable.
 */
public final class UnsupportedMediaTypeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnsupportedMediaTypeException(String message) {
        super(message);
    }
}
