package io.herald.server.api;

import java.io.IOException;

/**
 * Code that runs inside the broker process beside the Kafka listeners, such as the admin console. The broker finds
 * implementations with {@link java.util.ServiceLoader} (a {@code META-INF/services/io.herald.server.api.BrokerExtension}
 * file in the implementing jar), starts each after its own components are running and stops them before it closes its
 * sockets and logs. An extension that fails to start fails the broker's start, with its message.
 *
 * <p>Thread-safety: {@link #start} is called once per broker, from the thread that starts the broker.
 */
public interface BrokerExtension {

    /** A short name for logs ("admin console"). */
    String name();

    /**
     * Starts the extension for the broker that {@code admin} administers.
     *
     * @return the running extension, closed when the broker stops
     * @throws IOException if it cannot start (a port in use); the broker then does not start either
     */
    Running start(BrokerAdmin admin) throws IOException;

    /** A started extension. */
    interface Running extends AutoCloseable {

        /** Stops the extension and releases what it holds; must not throw. */
        @Override
        void close();
    }
}
