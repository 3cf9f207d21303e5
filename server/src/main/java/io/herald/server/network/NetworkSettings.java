package io.herald.server.network;

/**
 * The network layer's limits, from the broker configuration.
 *
 * @param processors network threads ({@code num.network.threads})
 * @param maxRequestBytes largest request frame ({@code socket.request.max.bytes})
 * @param sendBufferBytes SO_SNDBUF, or -1 for the OS default
 * @param receiveBufferBytes SO_RCVBUF, or -1 for the OS default
 * @param maxIdleMs idle time after which a connection is closed ({@code connections.max.idle.ms})
 */
public record NetworkSettings(
        int processors, int maxRequestBytes, int sendBufferBytes, int receiveBufferBytes, long maxIdleMs) {}
