package io.herald.server.protocol;

import io.herald.log.OffsetOutOfRangeException;
import io.herald.log.record.CorruptRecordException;
import io.herald.log.record.InvalidRecordException;
import io.herald.log.record.InvalidTimestampException;
import io.herald.log.record.RecordTooLargeException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become protocol error codes: the engine's domain exceptions, Kafka's own {@link
 * ApiException}s thrown by handlers, and storage failures.
 *
 * <p>Thread-safety: stateless.
 */
public final class ErrorMapper {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    public static Errors toError(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof ApiException) {
            return Errors.forException(e);
        }
        if (e instanceof CorruptRecordException) {
            return Errors.CORRUPT_MESSAGE;
        }
        if (e instanceof RecordTooLargeException) {
            return Errors.MESSAGE_TOO_LARGE;
        }
        if (e instanceof InvalidTimestampException) {
            return Errors.INVALID_TIMESTAMP;
        }
        if (e instanceof InvalidRecordException) {
            return Errors.INVALID_RECORD;
        }
        if (e instanceof OffsetOutOfRangeException) {
            return Errors.OFFSET_OUT_OF_RANGE;
        }
        if (e instanceof IOException) {
            log.error("Storage error", e);
            return Errors.KAFKA_STORAGE_ERROR;
        }
        log.error("Unexpected error while serving a request", e);
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    /** The Kafka exception for {@code t}, keeping its message, for whole-request error responses. */
    public static ApiException toApiException(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof ApiException api) {
            return api;
        }
        return toError(e).exception(e.getMessage());
    }

    /** The error's message for a response's error message field. */
    public static String message(Throwable t) {
        return unwrap(t).getMessage();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
