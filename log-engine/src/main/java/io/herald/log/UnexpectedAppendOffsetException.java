package io.herald.log;

import io.herald.log.record.InvalidBatchException;

/** A follower's append whose first offset is below the log end offset: the replica and the log disagree. */
public final class UnexpectedAppendOffsetException extends InvalidBatchException {
    private static final long serialVersionUID = 1L;

    public UnexpectedAppendOffsetException(String message) {
        super(message);
    }
}
