package io.herald.jms;

import static org.awaitility.Awaitility.await;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A {@code receive()} without timeout running on a thread of its own, handed back once that thread is parked in it,
 * for tests of what closing a consumer, session or connection does to a receive in progress.
 *
 * <p>Thread-safety: the future is thread-safe; the consumer is used by the receiving thread only.
 */
final class BlockedReceive {

    private BlockedReceive() {}

    /** Starts {@code consumer.receive()} and returns its result once the receiving thread waits in it. */
    static CompletableFuture<Message> start(MessageConsumer consumer) {
        CompletableFuture<Message> result = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        result.complete(consumer.receive());
                    } catch (JMSException | RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                },
                "blocked-receive");
        t.setDaemon(true);
        t.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> result.isDone()
                        || t.getState() == Thread.State.WAITING
                        || t.getState() == Thread.State.TIMED_WAITING);
        return result;
    }
}
