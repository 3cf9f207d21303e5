package io.herald.log.record;

/**
 * A record batch whose bytes are not a valid v2 batch: wrong magic, a length that does not match, a CRC mismatch,
 * inconsistent offsets or a record that cannot be decoded. Maps to Kafka's {@code CORRUPT_MESSAGE}.
 */
public class CorruptRecordException extends InvalidBatchException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
