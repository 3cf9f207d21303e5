package io.herald.server;

import java.io.DataInputStream;
import java.io.IOException;
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
 * One blocking connection that sends any request message at any version, serialised and parsed by kafka-clients'
 * generated classes: for tests of exact protocol behaviour (error codes, old versions, members that stop
 * heartbeating) that the real clients' state machines hide.
 */
public final class RawKafkaClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final String clientId;
    private int correlationId;

    public RawKafkaClient(String host, int port, String clientId) throws IOException {
        this.socket = new Socket();
        this.socket.connect(new InetSocketAddress(host, port), 10_000);
        this.socket.setSoTimeout(30_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.clientId = clientId;
    }

    /** Connects to {@code bootstrap} ({@code host:port}). */
    public static RawKafkaClient connect(String bootstrap, String clientId) throws IOException {
        int colon = bootstrap.lastIndexOf(':');
        return new RawKafkaClient(
                bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)), clientId);
    }

    /** Sends {@code request} at {@code version} and returns the response message. */
    @SuppressWarnings("unchecked")
    public <R extends ApiMessage> R send(ApiMessage request, short version) throws IOException {
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
        socket.getOutputStream().write(frame);
        socket.getOutputStream().flush();
        int size = in.readInt();
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
    public void close() throws IOException {
        socket.close();
    }
}
