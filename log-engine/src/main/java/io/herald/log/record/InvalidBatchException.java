package io.herald.log.record;

/**
 * Base of the exceptions that reject a batch offered for append; nothing of a rejected append is written.
 * Unchecked, like Kafka's {@code ApiException}: the protocol boundary maps each subclass to an error code.
 */
public class InvalidBatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidBatchException(String message) {
        super(message);
    }

    public InvalidBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
