package io.herald.security.pem;

import java.io.IOException;

/** PEM text that cannot be used: malformed, without the expected object, or a key that cannot be decrypted. */
public final class PemException extends IOException {

    private static final long serialVersionUID = 1L;

    public PemException(String message) {
        super(message);
    }

    public PemException(String message, Throwable cause) {
        super(message, cause);
    }
}
