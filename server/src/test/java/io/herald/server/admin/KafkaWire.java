package io.herald.server.admin;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A blocking Kafka protocol connection for tests that need an exact API version or a request the Java Admin client no
 * longer sends (legacy AlterConfigs, DeleteTopics v1, fetch sessions by hand). Requests and responses are encoded with
 * kafka-clients' own classes; this class only frames them.
 */
final class KafkaWire implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int correlationId;

    KafkaWire(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    static KafkaWire connect(String bootstrap) throws IOException {
        int colon = bootstrap.lastIndexOf(':');
        return new KafkaWire(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)));
    }

    /** Sends {@code request} at its version and returns the parsed response. */
    @SuppressWarnings("unchecked")
    <R extends AbstractResponse> R send(AbstractRequest request) throws IOException {
        ApiKeys key = request.apiKey();
        RequestHeader header = new RequestHeader(key, request.version(), "kafka-wire-test", ++correlationId);
        ByteBuffer body = request.serializeWithHeader(header);
        out.writeInt(body.remaining());
        out.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
        out.flush();
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return (R) AbstractResponse.parseResponse(ByteBuffer.wrap(frame), header);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
