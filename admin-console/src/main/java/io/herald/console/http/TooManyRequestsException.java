package io.herald.console.http;

/**
 * The client must wait before trying again (answered 429 with {@code Retry-After}).
 *
 * <p>Thread-safety: immutable.
 */
public final class TooManyRequestsException extends RuntimeException {

    private final long retryAfterSeconds;

    public TooManyRequestsException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
