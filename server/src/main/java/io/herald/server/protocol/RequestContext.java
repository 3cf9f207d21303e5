package io.herald.server.protocol;

import java.net.InetAddress;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Who asks and how: what a handler may need beyond the request body.
 *
 * @param header the request header (API key, version, client id, correlation id)
 * @param connectionId the connection's id
 * @param clientAddress the peer's address
 * @param listener the listener the request arrived on
 */
public record RequestContext(RequestHeader header, String connectionId, InetAddress clientAddress, String listener) {

    public ApiKeys apiKey() {
        return header.apiKey();
    }

    public short version() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }
}
