package io.herald.server.network;

import io.herald.security.audit.AuditLog;
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
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
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
                SSLEngine engine =
                        security.newTlsEngine(p.listener(), remote.getAddress().getHostAddress(), remote.getPort());
                Transport transport = engine == null ? new PlaintextChannel(socket) : new TlsChannel(socket, engine);
                Connection c = new Connection(
                        id,
                        p.listener(),
                        socket,
                        remote.getAddress(),
                        security.newSession(p.listener(), remote.getAddress()),
                        transport,
                        System.nanoTime());
                c.key = socket.register(selector, SelectionKey.OP_READ, c);
                connections.put(id, c);
            } catch (IOException e) {
                log.debug("Could not set up a new connection: {}", e.toString());
                closeSocket(socket);
            }
        }
    }

    /** Drives the TLS handshake; once done, names the client from its certificate and starts reading frames. */
    private boolean handshake(Connection c) throws IOException {
        c.lastActiveNanos = System.nanoTime();
        boolean done;
        try {
            done = c.channel.handshake();
        } catch (IOException e) {
            AuditLog.authenticationFailed(c.listener, c.address.getHostAddress(), "TLS", e.getMessage());
            close(c, "TLS handshake failed: " + e.getMessage(), true);
            return false;
        }
        c.wantWrite(c.channel.hasPendingWrites());
        if (!done) {
            return false;
        }
        try {
            c.session.setTlsPrincipal(security.tlsPrincipal(c.listener, c.channel.tlsSession()));
        } catch (SSLPeerUnverifiedException e) {
            AuditLog.authenticationFailed(c.listener, c.address.getHostAddress(), "TLS", e.getMessage());
            close(c, "client certificate refused: " + e.getMessage(), true);
            return false;
        }
        c.ready = true;
        return true;
    }

    private void read(Connection c) throws IOException {
        c.lastActiveNanos = System.nanoTime();
        if (!c.ready && !handshake(c)) {
            return;
        }
        // Loop until the frame is complete or the channel has nothing more: TLS may hold whole records already read
        // from the socket, for which no readiness event will come.
        while (true) {
            if (c.payload == null) {
                int n = c.channel.read(c.size);
                if (n < 0) {
                    close(c, "closed by the client", c.size.position() > 0);
                    return;
                }
                if (c.size.hasRemaining()) {
                    if (n == 0) {
                        return;
                    }
                    continue;
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
            int n = c.channel.read(c.payload);
            if (n < 0) {
                close(c, "closed by the client in the middle of a " + c.payload.capacity() + "-byte frame", true);
                return;
            }
            if (!c.payload.hasRemaining()) {
                break;
            }
            if (n == 0) {
                return;
            }
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
        Request request = new Request(
                index,
                c.id,
                header,
                frame.slice(),
                c.address,
                c.listener,
                new RequestTimes(System.nanoTime()),
                c.session);
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
            r.request().times().picked(System.nanoTime());
            try {
                if (r.close()) {
                    completed(r.request());
                    close(c, "closed by the broker after a request it could not serve", false);
                } else if (r.send() == null) {
                    completed(r.request());
                    c.inFlight = false;
                    c.unmute();
                    readBuffered(c);
                } else {
                    c.send = r.send();
                    c.answering = r.request();
                    write(c);
                }
            } catch (IOException | CancelledKeyException e) {
                close(c, "I/O error: " + e.getMessage(), false);
            }
        }
    }

    /** The request is done with (answered, or closed instead): its times go to the channel's listener. */
    private void completed(Request request) {
        request.times().sent(System.nanoTime());
        requests.completed(request);
    }

    /** Returns the frame of a finished request to the pool: the handler has answered, so nobody reads it any more. */
    private void releaseFrame(Connection c) {
        buffers.release(c.frame);
        c.frame = null;
    }

    private void write(Connection c) throws IOException {
        if (!c.ready) {
            if (handshake(c) && c.channel.hasBufferedInput()) {
                read(c);
            }
            return;
        }
        if (c.send == null) {
            c.wantWrite(false);
            return;
        }
        c.send.writeTo(c.channel);
        c.lastActiveNanos = System.nanoTime();
        if (c.send.completed()) {
            completed(c.answering);
            c.answering = null;
            if (c.session.shouldCloseAfterResponse()) {
                close(c, "authentication failed", false);
                return;
            }
            c.send = null;
            c.inFlight = false;
            c.wantWrite(false);
            c.unmute();
            readBuffered(c);
        } else {
            c.wantWrite(true);
        }
    }

    /**
     * Reads a frame TLS already decrypted ahead: the selector will not report the socket readable for bytes that have
     * left it (a pipelining client's next request).
     */
    private void readBuffered(Connection c) throws IOException {
        if (c.ready && !c.inFlight && c.channel.hasBufferedInput() && connections.containsKey(c.id)) {
            read(c);
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
        try {
            c.channel.close(); // a TLS channel sends its close_notify first
        } catch (IOException e) {
            closeSocket(c.socket);
        }
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
