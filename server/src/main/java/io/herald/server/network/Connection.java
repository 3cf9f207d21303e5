package io.herald.server.network;

import io.herald.server.security.ClientSession;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.apache.kafka.common.network.Send;

/**
 * One client connection as its processor sees it: the frame being read (a 4-byte size, then the payload), the
 * response being written, and whether a request is in flight (the connection is then muted, so responses stay in
 * request order).
 *
 * <p>Thread-safety: owned by one processor thread.
 */
final class Connection {

    final String id;
    final String listener;
    final SocketChannel socket;
    final Transport channel;
    /** Whether the TLS handshake (if any) is done and request frames may be read. */
    boolean ready;

    final InetAddress address;
    final ClientSession session;
    SelectionKey key;
    final ByteBuffer size = ByteBuffer.allocate(4);
    ByteBuffer payload;
    /** The frame of the request in flight, returned to the pool when its response is done. */
    ByteBuffer frame;

    Send send;
    /** The request {@link #send} answers. */
    Request answering;

    Request waiting;
    boolean inFlight;
    long lastActiveNanos;

    Connection(
            String id,
            String listener,
            SocketChannel socket,
            InetAddress address,
            ClientSession session,
            Transport channel,
            long nowNanos) {
        this.id = id;
        this.listener = listener;
        this.socket = socket;
        this.channel = channel;
        this.ready = channel instanceof PlaintextChannel;
        this.address = address;
        this.session = session;
        this.lastActiveNanos = nowNanos;
    }

    void mute() {
        key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
    }

    void unmute() {
        key.interestOps(key.interestOps() | SelectionKey.OP_READ);
    }

    void wantWrite(boolean write) {
        int ops = key.interestOps();
        key.interestOps(write ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE);
    }

    @Override
    public String toString() {
        return id;
    }
}
