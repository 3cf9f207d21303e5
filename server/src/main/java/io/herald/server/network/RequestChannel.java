package io.herald.server.network;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The hand-off between network and I/O threads: a bounded queue of requests (when it is full, processors stop reading
 * until there is room) and the route of each response back to the processor that owns its connection.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class RequestChannel {

    private final BlockingQueue<Request> requests;
    private volatile Processor[] processors = new Processor[0];
    private volatile Consumer<Request> completed = r -> {};

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
        Request request = requests.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (request != null) {
            request.times().dequeued(System.nanoTime());
        }
        return request;
    }

    /**
     * Calls {@code listener} on a processor thread for each request done with: its response written, or none due, or
     * its connection closed instead. Its {@link Request#times} are complete then; the listener must be quick.
     */
    public void onCompleted(Consumer<Request> listener) {
        this.completed = listener;
    }

    void completed(Request request) {
        completed.accept(request);
    }

    /** Hands a response to the processor of its connection. */
    public void sendResponse(Response response) {
        response.request().times().answered(System.nanoTime());
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
