package io.herald.console.http;

/**
 * The logged-in user may not do this, or the request lacks its CSRF token or comes from another site (answered 403
 * with {@link #code}).
 *
 * <p>Thread-safety: immutable.
 */
public final class ForbiddenException extends RuntimeException {

    private final String code;

    public ForbiddenException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
