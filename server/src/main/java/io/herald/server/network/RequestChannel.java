package io.herald.server.network;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The hand-off between network and I/O threads: a bounded queue of requests (when it is full, processors stop reading
 * until there is room) and the route of each response back to the processor that owns its connection.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class RequestChannel {

    private final BlockingQueue<Request> requests;
    private volatile Processor[] processors = new Processor[0];

    public RequestChannel(int capacity) {
        this.requests = new ArrayBlockingQueue<>(capacity);
    }

    void register(Processor[] all) {
        this.processors = all.clone();
    }

    /** Queues a request; returns {@code false} if the queue is full (the processor retries later). */
    boolean offer(Request request) {
        return requests.offer(request);
    }

    /** The next request, or {@code null} after {@code timeoutMs}. */
    public Request poll(long timeoutMs) throws InterruptedException {
        return requests.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Hands a response to the processor of its connection. */
    public void sendResponse(Response response) {
        Processor[] all = processors;
        int index = response.request().processor();
        if (index >= 0 && index < all.length) {
            all[index].enqueue(response);
        }
    }

    public int queued() {
        return requests.size();
    }
}
