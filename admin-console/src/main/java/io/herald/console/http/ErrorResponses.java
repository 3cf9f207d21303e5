package io.herald.console.http;

import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: a status, a stable code (Kafka's error name, or the console's own)
 * and a message meant for the person using the console. The body is {@code {"error": {"status", "code",
 * "message"}}}.
 *
 * <p>Kafka's errors keep their messages, which the broker writes to name what is wrong ("Replication factor 3 is not
 * within [1, 1] (the number of available brokers)"); storage and unexpected errors are logged and answered with a
 * message that says what happened without a stack trace.
 *
 * <p>Thread-safety: stateless.
 */
public final class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    /** The error of a response body. */
    public record ErrorBody(int status, String code, String message) {}

    private ErrorResponses() {}

    /** The answer to {@code failure}. */
    public static ErrorBody of(Throwable failure) {
        if (failure instanceof BadRequestException e) {
            return new ErrorBody(400, "BAD_REQUEST", e.getMessage());
        }
        if (failure instanceof UnauthenticatedException e) {
            return new ErrorBody(401, "UNAUTHENTICATED", e.getMessage());
        }
        if (failure instanceof ForbiddenException e) {
            return new ErrorBody(403, e.code(), e.getMessage());
        }
        if (failure instanceof TooManyRequestsException e) {
            return new ErrorBody(429, "TOO_MANY_REQUESTS", e.getMessage());
        }
        if (failure instanceof UnsupportedMediaTypeException e) {
            return new ErrorBody(415, "UNSUPPORTED_MEDIA_TYPE", e.getMessage());
        }
        if (failure instanceof ApiException e) {
            Errors error = Errors.forException(e);
            String message = e.getMessage() == null || e.getMessage().isBlank() ? error.message() : e.getMessage();
            return new ErrorBody(status(e), error.name(), message);
        }
        if (failure instanceof IOException e) {
            log.error("Storage error while serving a console request", e);
            return new ErrorBody(
                    500, "STORAGE_ERROR", "The broker could not read or write its data: " + e.getMessage());
        }
        log.error("Unexpected error while serving a console request", failure);
        return new ErrorBody(
                500,
                "INTERNAL_ERROR",
                "The request failed unexpectedly (" + failure + "); the broker's log has the details.");
    }

    /** The response body for {@code error}. */
    public static Map<String, ErrorBody> body(ErrorBody error) {
        return Map.of("error", error);
    }

    private static int status(ApiException e) {
        if (e instanceof UnknownTopicOrPartitionException || e instanceof GroupIdNotFoundException) {
            return 404;
        }
        if (e instanceof TopicExistsException || e instanceof GroupNotEmptyException) {
            return 409;
        }
        if (e instanceof TopicDeletionDisabledException) {
            return 403;
        }
        return switch (Errors.forException(e)) {
            case INVALID_TOPIC_EXCEPTION,
                    INVALID_PARTITIONS,
                    INVALID_REPLICATION_FACTOR,
                    INVALID_CONFIG,
                    INVALID_REQUEST,
                    INVALID_GROUP_ID,
                    POLICY_VIOLATION,
                    MESSAGE_TOO_LARGE,
                    RECORD_LIST_TOO_LARGE,
                    INVALID_TIMESTAMP,
                    INVALID_RECORD,
                    CORRUPT_MESSAGE,
                    OFFSET_OUT_OF_RANGE -> 400;
            case UNKNOWN_TOPIC_ID, GROUP_ID_NOT_FOUND, RESOURCE_NOT_FOUND -> 404;
            case SECURITY_DISABLED -> 409;
            case KAFKA_STORAGE_ERROR, UNKNOWN_SERVER_ERROR -> 500;
            default -> 503;
        };
    }
}
