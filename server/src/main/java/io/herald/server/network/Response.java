package io.herald.server.network;

import org.apache.kafka.common.network.Send;

/**
 * What goes back for a request: bytes to send, nothing (acks=0 produce: the connection just reads on), or the
 * connection's end.
 *
 * @param request the request answered
 * @param send the response frame, or {@code null}
 * @param close whether to close the connection instead of answering
 */
public record Response(Request request, Send send, boolean close) {

    public static Response send(Request request, Send send) {
        return new Response(request, send, false);
    }

    /** No response: the client does not expect one. */
    public static Response none(Request request) {
        return new Response(request, null, false);
    }

    public static Response closeConnection(Request request) {
        return new Response(request, null, true);
    }
}
