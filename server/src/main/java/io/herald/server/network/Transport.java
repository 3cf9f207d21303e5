package io.herald.server.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * A connection's byte stream as the processor uses it: plaintext straight on the socket, or TLS through an {@link
 * javax.net.ssl.SSLEngine}. Responses are written through it as a {@link TransferableChannel}.
 *
 * <p>Thread-safety: used by the owning processor thread only.
 */
interface Transport extends TransferableChannel {

    /** Advances the TLS handshake as far as the socket allows; true once application data can flow. */
    boolean handshake() throws IOException;

    /** Reads application bytes into {@code dst}; -1 at the end of the stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Whether bytes already read from the socket wait to be read (TLS decrypts ahead), so no readiness will come. */
    boolean hasBufferedInput();

    /** The TLS session once the handshake is done; null for plaintext. */
    SSLSession tlsSession();
}
