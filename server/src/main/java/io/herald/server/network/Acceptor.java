package io.herald.server.network;

import io.herald.server.config.Listener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the connections of one listener and deals them to the processors in turn.
 *
 * <p>Thread-safety: runs on its own thread; {@link #shutdown} may be called from any thread.
 */
final class Acceptor implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Acceptor.class);

    private final Listener listener;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Processor[] processors;
    private final NetworkSettings settings;
    private final Thread thread;
    private volatile boolean running = true;
    private int next;

    Acceptor(Listener listener, Processor[] processors, NetworkSettings settings) throws IOException {
        this.listener = listener;
        this.processors = processors;
        this.settings = settings;
        this.server = ServerSocketChannel.open();
        InetSocketAddress address = listener.host().isEmpty()
                ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.host(), listener.port());
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address);
        } catch (IOException e) {
            server.close();
            throw new IOException("Cannot listen on " + listener + ": " + e.getMessage(), e);
        }
        server.configureBlocking(false);
        this.selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this, "herald-acceptor-" + listener.name());
        this.thread.setDaemon(true);
    }

    /** The port actually bound (the ephemeral one when the listener says 0). */
    int boundPort() {
        return server.socket().getLocalPort();
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select(500);
                selector.selectedKeys().clear();
                SocketChannel socket;
                while (running && (socket = server.accept()) != null) {
                    configure(socket);
                    processors[next].accept(socket, listener.name());
                    next = (next + 1) % processors.length;
                }
            }
        } catch (IOException e) {
            if (running) {
                log.error("Acceptor of {} failed", listener, e);
            }
        } finally {
            try {
                selector.close();
                server.close();
            } catch (IOException e) {
                log.debug("Closing acceptor of {} failed", listener, e);
            }
        }
    }

    private void configure(SocketChannel socket) throws IOException {
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        if (settings.sendBufferBytes() > 0) {
            socket.setOption(StandardSocketOptions.SO_SNDBUF, settings.sendBufferBytes());
        }
        if (settings.receiveBufferBytes() > 0) {
            socket.setOption(StandardSocketOptions.SO_RCVBUF, settings.receiveBufferBytes());
        }
    }

    void shutdown() throws InterruptedException {
        running = false;
        if (!thread.isAlive()) {
            try {
                selector.close();
                server.close();
            } catch (IOException e) {
                log.debug("Closing acceptor of {} failed", listener, e);
            }
            return;
        }
        selector.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
