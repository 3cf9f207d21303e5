package io.herald.jms;

import jakarta.jms.CompletionListener;
import jakarta.jms.Message;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of one asynchronous send, for a test to wait on: completes with {@code null} when the send succeeded and
 * with the exception given to {@code onException} when it failed.
 *
 * <p>Thread-safety: thread-safe (the callback runs on a provider thread).
 */
final class SendOutcome implements CompletionListener {

    private final CompletableFuture<Exception> outcome = new CompletableFuture<>();

    @Override
    public void onCompletion(Message message) {
        outcome.complete(null);
    }

    @Override
    public void onException(Message message, Exception exception) {
        outcome.complete(exception);
    }

    /** The send's failure, or {@code null} if it succeeded; completes when the callback has run. */
    CompletableFuture<Exception> failure() {
        return outcome;
    }
}
