package io.herald.server.network;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS over a non-blocking socket with the JDK's {@link SSLEngine}: the handshake driven by the processor's readiness
 * events, then records decrypted into an application buffer on read and encrypted from the response on write.
 *
 * <p>Zero-copy does not survive TLS (the bytes must pass through the engine): file regions are read into a buffer and
 * encrypted, as Kafka does. Delegated handshake tasks run inline on the processor thread; they are short (signature
 * checks) next to the network round trips of the handshake.
 *
 * <p>Buffers: {@code netIn} and {@code appIn} are kept in write mode (filled from position 0), {@code netOut} in read
 * mode (the bytes still to send between position and limit).
 *
 * <p>Thread-safety: used by the owning processor thread only.
 */
final class TlsChannel implements Transport {

    private static final int FILE_CHUNK = 16 * 1024;

    private final SocketChannel socket;
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private final ByteBuffer netOut;
    private ByteBuffer fileChunk;
    private boolean handshakeDone;
    private boolean eof;

    TlsChannel(SocketChannel socket, SSLEngine engine) throws SSLException {
        this.socket = socket;
        this.engine = engine;
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize()).flip();
        engine.beginHandshake();
    }

    @Override
    public boolean handshake() throws IOException {
        try {
            return advanceHandshake();
        } catch (SSLException e) {
            // the engine has an alert to send (bad certificate, protocol version): tell the client why, best effort
            try {
                wrap(ByteBuffer.allocate(0));
                flush();
            } catch (IOException ignored) {
                // the handshake failed anyway
            }
            throw e;
        }
    }

    private boolean advanceHandshake() throws IOException {
        while (!handshakeDone) {
            if (!flush()) {
                return false;
            }
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult r = unwrap();
                    if (r.getStatus() == Status.CLOSED) {
                        throw new SSLException("TLS peer closed during the handshake");
                    }
                    if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
                        int n = socket.read(netIn);
                        if (n < 0) {
                            throw new EOFException("closed by the client during the TLS handshake");
                        }
                        if (n == 0) {
                            return false;
                        }
                    }
                }
                default -> handshakeDone = flush();
            }
        }
        return flush();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (appIn.position() == 0 && !eof) {
            fill();
        }
        if (appIn.position() == 0) {
            return eof ? -1 : 0;
        }
        appIn.flip();
        int n = Math.min(dst.remaining(), appIn.remaining());
        ByteBuffer part = appIn.slice(appIn.position(), n);
        dst.put(part);
        appIn.position(appIn.position() + n);
        appIn.compact();
        return n;
    }

    /** Decrypts what the socket has until some application bytes are there, the socket is drained, or it ended. */
    private void fill() throws IOException {
        while (appIn.position() == 0) {
            SSLEngineResult r = unwrap();
            if (r.getStatus() == Status.CLOSED) {
                eof = true;
                return;
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                // post-handshake messages (a TLS 1.3 key update) want an answer
                wrap(ByteBuffer.allocate(0));
                flush();
            }
            if (r.getStatus() == Status.BUFFER_UNDERFLOW || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                int n = socket.read(netIn);
                if (n < 0) {
                    eof = true;
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        }
    }

    private SSLEngineResult unwrap() throws SSLException {
        while (true) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
            } else if (r.getStatus() == Status.BUFFER_UNDERFLOW
                    && netIn.capacity() < engine.getSession().getPacketBufferSize()) {
                netIn = grow(netIn, engine.getSession().getPacketBufferSize());
            } else {
                return r;
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer full, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(full.capacity() * 2, atLeast));
        full.flip();
        bigger.put(full);
        return bigger;
    }

    /** Encrypts what fits of {@code srcs} into the (empty) output buffer; returns the plaintext bytes taken. */
    private long wrap(ByteBuffer... srcs) throws SSLException {
        return wrap(srcs, 0, srcs.length);
    }

    private long wrap(ByteBuffer[] srcs, int offset, int length) throws SSLException {
        netOut.compact();
        SSLEngineResult r;
        try {
            r = engine.wrap(srcs, offset, length, netOut);
        } finally {
            netOut.flip();
        }
        if (r.getStatus() == Status.CLOSED && r.bytesConsumed() == 0 && remaining(srcs, offset, length) > 0) {
            throw new SSLException("TLS engine closed");
        }
        return r.bytesConsumed();
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Writes pending encrypted bytes; true when none are left. */
    private boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (socket.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean hasBufferedInput() {
        if (appIn.position() > 0) {
            return true;
        }
        // a whole TLS record waiting: header of 5 bytes, its length in bytes 3-4
        if (netIn.position() < 5) {
            return false;
        }
        int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
        return netIn.position() >= 5 + length;
    }

    @Override
    public SSLSession tlsSession() {
        return handshakeDone ? engine.getSession() : null;
    }

    @Override
    public boolean hasPendingWrites() {
        return netOut.hasRemaining();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long taken = 0;
        while (flush() && remaining(srcs, offset, length) > 0) {
            long n = wrap(srcs, offset, length);
            if (n == 0) {
                break;
            }
            taken += n;
        }
        flush();
        return taken;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
        if (!flush()) {
            return 0;
        }
        if (fileChunk == null) {
            fileChunk = ByteBuffer.allocate(FILE_CHUNK);
        }
        fileChunk.clear().limit((int) Math.min(FILE_CHUNK, count));
        int read = fileChannel.read(fileChunk, position);
        if (read < 0) {
            throw new EOFException("file ended at " + position + " with " + count + " bytes still to send");
        }
        fileChunk.flip();
        long taken = wrap(fileChunk);
        flush();
        return taken;
    }

    private static long remaining(ByteBuffer[] srcs, int offset, int length) {
        long sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += srcs[i].remaining();
        }
        return sum;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            engine.closeOutbound();
            wrap(ByteBuffer.allocate(0));
            flush(); // best effort: a close_notify the socket takes now
        } catch (IOException e) {
            // the peer may be gone; closing the socket is what matters
        } finally {
            socket.close();
        }
    }
}
