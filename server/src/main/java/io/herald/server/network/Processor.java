package io.herald.server.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network thread: owns a selector and the connections the acceptor handed it; reads size-prefixed request frames,
 * parses their headers and queues them for the I/O threads; writes the responses back.
 *
 * <p>Design note, as Kafka's SocketServer: after reading one request the connection is muted (not read) until its
 * response is written, so a client may pipeline requests and still get responses in order; the pipelined requests
 * wait in the socket's buffer. A frame larger than {@code socket.request.max.bytes}, a negative size or a header that
 * does not parse closes that connection with a logged reason; nothing else is affected.
 *
 * <p>Thread-safety: {@link #accept} and {@link #enqueue} may be called from any thread; everything else runs on the
 * processor's own thread.
 */
final class Processor implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Processor.class);

    private final int index;
    private final NetworkSettings settings;
    private final RequestChannel requests;
    private final ConnectionSecurity security;
    private final Selector selector;
    private final Queue<Pending> newConnections = new ConcurrentLinkedQueue<>();
    private final Queue<Response> responses = new ConcurrentLinkedQueue<>();
    private final Map<String, Connection> connections = new HashMap<>();
    private final BufferPool buffers = new BufferPool();
    private final Deque<Connection> waitingForQueue = new ArrayDeque<>();
    private final AtomicLong connectionCounter = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private record Pending(SocketChannel socket, String listener) {}

    Processor(int index, NetworkSettings settings, RequestChannel requests, ConnectionSecurity security)
            throws IOException {
        this.index = index;
        this.settings = settings;
        this.requests = requests;
        this.security = security;
        this.selector = Selector.open();
        this.thread = new Thread(this, "herald-network-" + index);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Takes over a new connection (called by an acceptor). */
    void accept(SocketChannel socket, String listener) {
        newConnections.add(new Pending(socket, listener));
        selector.wakeup();
    }

    /** Queues a response for this processor's thread to write. */
    void enqueue(Response response) {
        responses.add(response);
        selector.wakeup();
    }

    int connectionCount() {
        return connections.size();
    }

    /** Direct frame buffers allocated so far ({@link BufferPool#allocated}); any thread may ask. */
    long frameBuffersAllocated() {
        return buffers.allocated();
    }

    @Override
    public void run() {
        try {
            while (running) {
                configureNewConnections();
                processResponses();
                retryQueueing();
                selector.select(300);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Connection c = (Connection) key.attachment();
                    try {
                        if (key.isReadable()) {
                            read(c);
                        }
                        if (key.isValid() && key.isWritable()) {
                            write(c);
                        }
                    } catch (IOException | CancelledKeyException e) {
                        close(c, "I/O error: " + e.getMessage(), false);
                    }
                }
                closeIdleConnections();
            }
        } catch (IOException | RuntimeException e) {
            log.error("Network thread {} failed", index, e);
        } finally {
            for (Connection c : new ArrayList<>(connections.values())) {
                close(c, "broker shutting down", false);
            }
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("Closing the selector failed", e);
            }
        }
    }

    private void configureNewConnections() {
        Pending p;
        while ((p = newConnections.poll()) != null) {
            SocketChannel socket = p.socket();
            try {
                socket.configureBlocking(false);
                InetSocketAddress local = (InetSocketAddress) socket.getLocalAddress();
                InetSocketAddress remote = (InetSocketAddress) socket.getRemoteAddress();
                String id = local.getAddress().getHostAddress() + ":" + local.getPort() + "-"
                        + remote.getAddress().getHostAddress() + ":" + remote.getPort() + "-"
                        + connectionCounter.incrementAndGet();
                Connection c = new Connection(
                        id,
                        p.listener(),
                        socket,
                        remote.getAddress(),
                        security.newSession(p.listener(), remote.getAddress()),
                        System.nanoTime());
                c.key = socket.register(selector, SelectionKey.OP_READ, c);
                connections.put(id, c);
            } catch (IOException e) {
                log.debug("Could not set up a new connection: {}", e.toString());
                closeSocket(socket);
            }
        }
    }

    private void read(Connection c) throws IOException {
        c.lastActiveNanos = System.nanoTime();
        if (c.payload == null) {
            if (c.socket.read(c.size) < 0) {
                close(c, "closed by the client", c.size.position() > 0);
                return;
            }
            if (c.size.hasRemaining()) {
                return;
            }
            int size = c.size.flip().getInt();
            if (size < 0 || size > settings.maxRequestBytes()) {
                close(
                        c,
                        "request frame of " + size + " bytes is not within [0, socket.request.max.bytes="
                                + settings.maxRequestBytes() + "]",
                        true);
                return;
            }
            c.payload = buffers.acquire(size);
        }
        if (c.socket.read(c.payload) < 0) {
            close(c, "closed by the client in the middle of a " + c.payload.capacity() + "-byte frame", true);
            return;
        }
        if (c.payload.hasRemaining()) {
            return;
        }
        ByteBuffer frame = c.payload.flip();
        c.payload = null;
        c.size.clear();
        onFrame(c, frame);
    }

    private void onFrame(Connection c, ByteBuffer frame) {
        RequestHeader header;
        try {
            header = RequestHeader.parse(frame);
        } catch (RuntimeException e) {
            buffers.release(frame);
            close(c, "request header does not parse (" + e.getMessage() + ")", true);
            return;
        }
        Request request =
                new Request(index, c.id, header, frame.slice(), c.address, c.listener, System.nanoTime(), c.session);
        c.frame = frame;
        c.mute();
        c.inFlight = true;
        if (!requests.offer(request)) {
            c.waiting = request;
            waitingForQueue.add(c);
        }
    }

    private void retryQueueing() {
        while (!waitingForQueue.isEmpty()) {
            Connection c = waitingForQueue.peek();
            if (!c.socket.isOpen() || c.waiting == null) {
                waitingForQueue.poll();
            } else if (requests.offer(c.waiting)) {
                c.waiting = null;
                waitingForQueue.poll();
            } else {
                return;
            }
        }
    }

    private void processResponses() {
        Response r;
        while ((r = responses.poll()) != null) {
            Connection c = connections.get(r.request().connectionId());
            if (c == null) {
                continue; // closed meanwhile: its frame is left to the garbage collector
            }
            releaseFrame(c);
            try {
                if (r.close()) {
                    close(c, "closed by the broker after a request it could not serve", false);
                } else if (r.send() == null) {
                    c.inFlight = false;
                    c.unmute();
                } else {
                    c.send = r.send();
                    write(c);
                }
            } catch (IOException | CancelledKeyException e) {
                close(c, "I/O error: " + e.getMessage(), false);
            }
        }
    }

    /** Returns the frame of a finished request to the pool: the handler has answered, so nobody reads it any more. */
    private void releaseFrame(Connection c) {
        buffers.release(c.frame);
        c.frame = null;
    }

    private void write(Connection c) throws IOException {
        if (c.send == null) {
            c.wantWrite(false);
            return;
        }
        c.send.writeTo(c.channel);
        c.lastActiveNanos = System.nanoTime();
        if (c.send.completed()) {
            if (c.session.shouldCloseAfterResponse()) {
                close(c, "authentication failed", false);
                return;
            }
            c.send = null;
            c.inFlight = false;
            c.wantWrite(false);
            c.unmute();
        } else {
            c.wantWrite(true);
        }
    }

    private void closeIdleConnections() {
        long now = System.nanoTime();
        long maxIdle = TimeUnit.MILLISECONDS.toNanos(settings.maxIdleMs());
        for (Connection c : new ArrayList<>(connections.values())) {
            if (!c.inFlight && now - c.lastActiveNanos > maxIdle) {
                close(c, "idle for more than connections.max.idle.ms=" + settings.maxIdleMs(), false);
            }
        }
    }

    private void close(Connection c, String reason, boolean misbehaving) {
        if (connections.remove(c.id) == null) {
            return;
        }
        if (misbehaving) {
            log.warn("Closing connection {} from {}: {}", c.id, c.address, reason);
        } else {
            log.debug("Closing connection {}: {}", c.id, reason);
        }
        if (c.key != null) {
            c.key.cancel();
        }
        closeSocket(c.socket);
    }

    private static void closeSocket(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Closing a socket failed: {}", e.toString());
        }
    }

    void shutdown() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
