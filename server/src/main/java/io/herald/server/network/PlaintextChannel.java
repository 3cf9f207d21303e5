package io.herald.server.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSession;

/**
 * A connection's socket as the target of a response {@link org.apache.kafka.common.network.Send}: gathering writes for
 * buffers, and {@code FileChannel.transferTo} straight into the socket (sendfile) for file regions.
 *
 * <p>Thread-safety: used by the owning processor thread only.
 */
public final class PlaintextChannel implements Transport {

    private final SocketChannel socket;

    PlaintextChannel(SocketChannel socket) {
        this.socket = socket;
    }

    /** The socket, so that zero-copy sends can hand it to {@code FileChannel.transferTo}. */
    public SocketChannel socket() {
        return socket;
    }

    @Override
    public boolean handshake() {
        return true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return socket.read(dst);
    }

    @Override
    public boolean hasBufferedInput() {
        return false;
    }

    @Override
    public SSLSession tlsSession() {
        return null;
    }

    @Override
    public boolean hasPendingWrites() {
        return false;
    }

    @Override
    public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
        return fileChannel.transferTo(position, count, socket);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return socket.write(srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return socket.write(srcs);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return socket.write(src);
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
