package io.herald.server.replication;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A small blocking Kafka-protocol client for replication: one connection to one broker, one request at a time, the
 * requests and responses written and parsed by kafka-clients' generated message classes (nothing hand-encoded).
 *
 * <p>Frame: {@code int32 size} then the request header and body; the response is {@code int32 size}, header, body.
 *
 * <p>Thread-safety: not thread-safe; one fetcher thread owns it.
 */
final class ReplicaClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String clientId;
    private int correlationId;

    private ReplicaClient(Socket socket, String clientId) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.clientId = clientId;
    }

    static ReplicaClient connect(String host, int port, String clientId, int timeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            return new ReplicaClient(s, clientId);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Sends {@code request} at {@code version} and waits for its response. */
    @SuppressWarnings("unchecked")
    <R extends ApiMessage> R send(ApiMessage request, short version) throws IOException {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        int correlation = ++correlationId;
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(key.id)
                .setRequestApiVersion(version)
                .setClientId(clientId)
                .setCorrelationId(correlation);
        ByteBuffer body = RequestUtils.serialize(header, key.requestHeaderVersion(version), request, version);
        byte[] frame = new byte[4 + body.remaining()];
        ByteBuffer.wrap(frame).putInt(body.remaining()).put(body);
        out.write(frame);
        out.flush();
        int size = in.readInt();
        if (size < 0 || size > 256 * 1024 * 1024) {
            throw new IOException("Response of " + size + " bytes from " + socket.getRemoteSocketAddress());
        }
        byte[] response = new byte[size];
        in.readFully(response);
        ByteBuffer buf = ByteBuffer.wrap(response);
        ResponseHeader responseHeader = ResponseHeader.parse(buf, key.responseHeaderVersion(version));
        if (responseHeader.correlationId() != correlation) {
            throw new IOException("Correlation id " + responseHeader.correlationId() + " != " + correlation);
        }
        return (R) AbstractResponse.parseResponse(key, new ByteBufferAccessor(buf), version)
                .data();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }
}
