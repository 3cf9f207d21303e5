package io.herald.log.record;

/** A well-formed record the topic cannot take, such as a record without a key on a compacted topic. */
public final class InvalidRecordException extends InvalidBatchException {
    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String message) {
        super(message);
    }
}
