package io.herald.server;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A blocking client that speaks raw Kafka frames, for tests that send what a well-behaved client never would. Requests
 * are encoded by kafka-clients' own classes; the bytes can be tampered with before sending.
 */
public final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The frame payload (header + body, no size prefix) of a request. */
    static ByteBuffer encode(AbstractRequest request, int correlationId) {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw-client", correlationId);
        return request.serializeWithHeader(header);
    }

    /** Sends a size-prefixed frame with the given payload. */
    void sendFrame(ByteBuffer payload) throws IOException {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        ByteBuffer frame =
                ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes);
        out.write(frame.array());
        out.flush();
    }

    /** Sends raw bytes as they are (no size prefix added). */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(AbstractRequest request, int correlationId) throws IOException {
        sendFrame(encode(request, correlationId));
    }

    /** Reads one response frame and parses it. */
    public AbstractResponse receive(ApiKeys key, short version, int expectedCorrelationId) throws IOException {
        ByteBuffer buf = receiveFrame();
        ResponseHeader header = ResponseHeader.parse(buf, key.responseHeaderVersion(version));
        if (header.correlationId() != expectedCorrelationId) {
            throw new IOException(
                    "Expected correlation id " + expectedCorrelationId + " but got " + header.correlationId());
        }
        return AbstractResponse.parseResponse(
                key, new org.apache.kafka.common.protocol.ByteBufferAccessor(buf), version);
    }

    ByteBuffer receiveFrame() throws IOException {
        int size = in.readInt();
        byte[] payload = new byte[size];
        in.readFully(payload);
        return ByteBuffer.wrap(payload);
    }

    /** Whether the broker closed the connection (a read sees end of stream) within the socket timeout. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
