package io.herald.server.network;

/**
 * When one request reached each stage of its way through the broker, split as Kafka's request metrics split it:
 * waiting for a handler thread (request queue), in the handler (local), waiting for what its answer needs, such as an
 * fsync, the replicas or a long poll's records (remote), waiting for its processor (response queue), and being written
 * to the socket (response send). All in {@link System#nanoTime()}.
 *
 * <p>Thread-safety: not thread-safe, and needs not be: each stamp is made by the one thread holding the request at
 * that stage, and the hand-offs between those threads (the request channel's queue, a future's completion, the
 * processor's response queue) publish the earlier stamps to the later ones.
 */
public final class RequestTimes {

    private final long received;
    private long dequeued;
    private long handled;
    private long answered;
    private long picked;
    private long sent;

    /** @param received when the request's frame was complete */
    public RequestTimes(long received) {
        this.received = received;
        this.dequeued = received;
    }

    public long received() {
        return received;
    }

    void dequeued(long now) {
        dequeued = now;
    }

    /** The handler returned; its answer may come now or later. */
    public void handled(long now) {
        handled = now;
    }

    void answered(long now) {
        answered = now;
    }

    void picked(long now) {
        picked = now;
    }

    void sent(long now) {
        sent = now;
    }

    public long requestQueueNanos() {
        return dequeued - received;
    }

    public long localNanos() {
        return handledOrAnswered() - dequeued;
    }

    public long remoteNanos() {
        return answered - handledOrAnswered();
    }

    public long responseQueueNanos() {
        return picked - answered;
    }

    public long responseSendNanos() {
        return sent - picked;
    }

    public long totalNanos() {
        return sent - received;
    }

    /** A request refused before its handler ran (unsupported, unauthenticated, unparsable) has no handler stage. */
    private long handledOrAnswered() {
        return handled == 0 ? answered : handled;
    }
}
