package io.herald.security.tls;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} that always is the {@linkplain SslContextFactory#sslContext() current context} of one {@link
 * SslContextFactory}: every engine, socket factory and session context it hands out comes from the context in force at
 * that call, so a server that was given this context once (Undertow, for the admin console) presents certificates
 * reloaded by {@link SslContextFactory#reloadIfChanged()} to the connections it accepts afterwards. Engines and sockets
 * already created keep the context they were created from, so established connections keep their certificates.
 *
 * <p>Design note: servers such as Undertow take an {@code SSLContext} at start and create an engine from it for each
 * accepted connection; delegating at the SPI is the one place that catches every way they may use it, without
 * depending on a server's own API for swapping contexts. The engines it creates speak only the settings' protocols and
 * cipher suites ({@code ssl.enabled.protocols}, {@code ssl.cipher.suites}), as the Kafka listeners' engines do, and so
 * do its default parameters; client authentication and the client or server mode are left to the caller.
 *
 * <p>Thread-safety: safe for use by any number of threads; each call reads the factory's volatile current context
 * once.
 */
public final class ReloadingSslContext extends SSLContext {

    private ReloadingSslContext(SslContextFactory factory) {
        super(
                new Delegate(factory),
                factory.sslContext().getProvider(),
                factory.sslContext().getProtocol());
    }

    /** A context that follows {@code factory}'s reloads; its protocol and provider are those of the first context. */
    public static SSLContext of(SslContextFactory factory) {
        return new ReloadingSslContext(factory);
    }

    /** The SPI whose every operation is the factory's current context's. */
    private static final class Delegate extends SSLContextSpi {

        private final SslContextFactory factory;

        Delegate(SslContextFactory factory) {
            this.factory = factory;
        }

        @Override
        protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
                throws KeyManagementException {
            // The key material is the factory's, from its settings and files; a second source would silently lose.
            throw new KeyManagementException(
                    "a reloading TLS context takes its key material from its SslContextFactory; it cannot be"
                            + " initialized with other key or trust managers");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return factory.sslContext().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return factory.sslContext().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return factory.restrict(factory.sslContext().createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return factory.restrict(factory.sslContext().createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return factory.sslContext().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return factory.sslContext().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            SSLEngine engine = factory.restrict(factory.sslContext().createSSLEngine());
            return engine.getSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return factory.sslContext().getSupportedSSLParameters();
        }
    }
}
