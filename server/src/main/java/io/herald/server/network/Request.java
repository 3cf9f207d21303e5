package io.herald.server.network;

import io.herald.server.security.ClientSession;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A request frame as a processor read it: the parsed header, the body still as bytes (handlers parse it, so the
 * network threads only frame), and where it came from.
 *
 * @param processor the processor that owns the connection, which the response must go back through
 * @param connectionId the connection's id within that processor
 * @param header the request header
 * @param body the bytes after the header
 * @param clientAddress the peer's address
 * @param listener the listener's name
 * @param times when the request passed each stage, from its frame's completion on
 * @param session who is on the connection
 */
public record Request(
        int processor,
        String connectionId,
        RequestHeader header,
        ByteBuffer body,
        InetAddress clientAddress,
        String listener,
        RequestTimes times,
        ClientSession session) {}
