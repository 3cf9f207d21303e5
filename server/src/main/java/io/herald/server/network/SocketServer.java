package io.herald.server.network;

import io.herald.server.config.Listener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's network layer, as Kafka's SocketServer: one acceptor per listener, a pool of processors each with its
 * own selector, and the {@link RequestChannel} to and from the I/O threads.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} are called once each, by the broker's lifecycle.
 */
public final class SocketServer implements AutoCloseable {

    private final List<Listener> listeners;
    private final NetworkSettings settings;
    private final RequestChannel requestChannel;
    private final Processor[] processors;
    private final Map<String, Acceptor> acceptors = new LinkedHashMap<>();

    public SocketServer(List<Listener> listeners, NetworkSettings settings, RequestChannel requestChannel)
            throws IOException {
        this(listeners, settings, requestChannel, ConnectionSecurity.plaintext());
    }

    public SocketServer(
            List<Listener> listeners,
            NetworkSettings settings,
            RequestChannel requestChannel,
            ConnectionSecurity security)
            throws IOException {
        this.listeners = List.copyOf(listeners);
        this.settings = settings;
        this.requestChannel = requestChannel;
        this.processors = new Processor[settings.processors()];
        for (int i = 0; i < processors.length; i++) {
            processors[i] = new Processor(i, settings, requestChannel, security);
        }
        requestChannel.register(processors);
    }

    /** Binds every listener (failing if a port is taken) and starts accepting. */
    public void start() throws IOException {
        for (Processor p : processors) {
            p.start();
        }
        List<Acceptor> bound = new ArrayList<>();
        try {
            for (Listener l : listeners) {
                Acceptor a = new Acceptor(l, processors, settings);
                bound.add(a);
                acceptors.put(l.name(), a);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        bound.forEach(Acceptor::start);
    }

    /** The port a listener is bound to. */
    public int boundPort(String listenerName) {
        Acceptor a = acceptors.get(listenerName);
        if (a == null) {
            throw new IllegalArgumentException("No listener " + listenerName);
        }
        return a.boundPort();
    }

    /** Direct buffers the processors have allocated for request frames (they pool and reuse them). */
    long frameBuffersAllocated() {
        long sum = 0;
        for (Processor p : processors) {
            sum += p.frameBuffersAllocated();
        }
        return sum;
    }

    public RequestChannel requestChannel() {
        return requestChannel;
    }

    /** Stops accepting, then closes every connection. */
    @Override
    public void close() {
        try {
            for (Acceptor a : acceptors.values()) {
                a.shutdown();
            }
            for (Processor p : processors) {
                p.shutdown();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
