package io.herald.log.record;

/** A create-time timestamp outside the window {@code message.timestamp.before/after.max.ms} allows. */
public final class InvalidTimestampException extends InvalidBatchException {
    private static final long serialVersionUID = 1L;

    public InvalidTimestampException(String message) {
        super(message);
    }
}
