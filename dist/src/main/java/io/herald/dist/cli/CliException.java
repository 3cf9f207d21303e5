package io.herald.dist.cli;

/**
 * An error the user can act on (a missing topic, a file that cannot be read, a line without its key separator): the
 * tool prints its message alone, without a stack trace, and exits with code 1.
 */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
