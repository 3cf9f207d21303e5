package io.herald.security.tls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Drives an {@link SSLEngine} over a blocking socket, as the broker's network layer will drive it over a non-blocking
 * one: the handshake, then whole messages. Reads are bounded by the socket's timeout.
 *
 * <p>Thread-safety: one thread per connection.
 */
final class EngineConnection implements AutoCloseable {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private ByteBuffer appIn;

    EngineConnection(SSLEngine engine, Socket socket) throws IOException {
        this.engine = engine;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    }

    SSLSession handshake() throws IOException {
        try {
            engine.beginHandshake();
            HandshakeStatus status = engine.getHandshakeStatus();
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                status = switch (status) {
                    case NEED_WRAP -> wrap(EMPTY);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrap();
                    case NEED_TASK -> runTasks();
                    default -> throw new IllegalStateException(status.toString());
                };
            }
            return engine.getSession();
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
    }

    void send(String message) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8));
        while (data.hasRemaining()) {
            wrap(data);
        }
    }

    String receive(int length) throws IOException {
        try {
            while (appIn.position() < length) {
                HandshakeStatus status = unwrap();
                while (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
                    status = status == HandshakeStatus.NEED_TASK ? runTasks() : wrap(EMPTY);
                }
            }
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
        appIn.flip();
        byte[] bytes = new byte[length];
        appIn.get(bytes);
        appIn.compact();
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private HandshakeStatus wrap(ByteBuffer source) throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(source, netOut);
        netOut.flip();
        out.write(netOut.array(), 0, netOut.limit());
        out.flush();
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("the engine is closed");
        }
        return result.getHandshakeStatus();
    }

    private HandshakeStatus unwrap() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            netIn.compact();
            switch (result.getStatus()) {
                case OK:
                    return result.getHandshakeStatus();
                case BUFFER_UNDERFLOW:
                    readMore();
                    break;
                case BUFFER_OVERFLOW:
                    ByteBuffer larger = ByteBuffer.allocate(appIn.capacity() * 2);
                    appIn.flip();
                    larger.put(appIn);
                    appIn = larger;
                    break;
                case CLOSED:
                    throw new EOFException("the peer closed the TLS connection");
                default:
                    throw new IllegalStateException(result.toString());
            }
        }
    }

    private void readMore() throws IOException {
        int read = in.read(netIn.array(), netIn.position(), netIn.remaining());
        if (read < 0) {
            throw new EOFException("the peer closed the connection");
        }
        netIn.position(netIn.position() + read);
    }

    private HandshakeStatus runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }

    /** After a failure the engine has an alert to send; the peer then fails with a reason instead of an EOF. */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                netOut.clear();
                engine.wrap(EMPTY, netOut);
                netOut.flip();
                out.write(netOut.array(), 0, netOut.limit());
            }
            out.flush();
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the connection is failing anyway.
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
