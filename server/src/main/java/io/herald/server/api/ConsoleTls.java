package io.herald.server.api;

import io.herald.security.tls.KeyMaterialReloader;
import io.herald.security.tls.ReloadingSslContext;
import io.herald.security.tls.SslContextFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The TLS of the admin console's HTTPS listeners while the console runs: a context that follows its key material (a
 * keystore or truststore replaced on disk is checked for every {@code ssl.reload.check.interval.ms}, as for the Kafka
 * listeners, and new connections get it; open ones keep theirs) and the check itself, which {@link #close()} stops.
 *
 * <p>Thread-safety: {@link #context()} from any thread; {@link #close()} from any thread, more than once.
 */
public final class ConsoleTls implements AutoCloseable {

    private final SSLContext context;
    private final KeyMaterialReloader reloader;

    private ConsoleTls(SSLContext context, KeyMaterialReloader reloader) {
        this.context = context;
        this.reloader = reloader;
    }

    static ConsoleTls start(SslContextFactory factory, Duration checkInterval) {
        return new ConsoleTls(
                ReloadingSslContext.of(factory), KeyMaterialReloader.start(checkInterval, List.of(factory)));
    }

    /** The context to give the HTTPS server once: each connection it accepts gets the key material then in force. */
    public SSLContext context() {
        return context;
    }

    /** Stops checking the files; the context keeps the key material last loaded. */
    @Override
    public void close() {
        reloader.close();
    }
}
