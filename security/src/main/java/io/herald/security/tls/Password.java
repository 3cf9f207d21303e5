package io.herald.security.tls;

import java.util.Objects;

/**
 * A secret setting (a password, an inline private key): its {@link #toString()} never shows the value, so that
 * settings can be logged.
 *
 * <p>Thread-safety: immutable.
 */
public record Password(String value) {

    public Password {
        Objects.requireNonNull(value, "value");
    }

    public char[] chars() {
        return value.toCharArray();
    }

    @Override
    public String toString() {
        return "[hidden]";
    }
}
