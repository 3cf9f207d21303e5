package io.herald.dist.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * One line for the user from an exception of a command: the Kafka clients' errors carry good messages once unwrapped
 * from the futures' {@link ExecutionException}; a timeout most often means that no broker answers at the bootstrap
 * address, and an unsupported version that the broker does not implement the request.
 *
 * <p>Thread-safety: stateless.
 */
final class Errors {

    private Errors() {}

    static String describe(Throwable e, String bootstrap) {
        Throwable t = unwrap(e);
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof CliException) {
            return message;
        }
        if (t instanceof TimeoutException) {
            return "timed out waiting for the broker at " + bootstrap + " (is it running and reachable?): " + message;
        }
        if (t instanceof UnsupportedVersionException) {
            return "the broker at " + bootstrap + " does not support this request: " + message;
        }
        if (t instanceof ConfigException) {
            return "invalid client configuration: " + message;
        }
        if (t instanceof ApiException) {
            return message;
        }
        if (t instanceof KafkaException && t.getCause() != null && t.getCause() != t) {
            return message + ": " + describe(t.getCause(), bootstrap);
        }
        return t instanceof KafkaException ? message : t.getClass().getSimpleName() + ": " + message;
    }

    /** The exception a future or a wrapper hides. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
