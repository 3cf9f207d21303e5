package io.herald.console.http;

/**
 * The request needs a login (answered 401).
 *
 * <p>Thread-safety: immutable.
 */
public final class UnauthenticatedException extends RuntimeException {

    public UnauthenticatedException(String message) {
        super(message);
    }
}
