package io.herald.log.record;

/** A batch larger than the topic's {@code max.message.bytes}, or than a segment can hold. */
public final class RecordTooLargeException extends InvalidBatchException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }
}
