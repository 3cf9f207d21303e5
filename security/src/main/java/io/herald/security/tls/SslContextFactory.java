package io.herald.security.tls;

import io.herald.security.tls.SslSettings.ClientAuth;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the JDK {@link SSLContext} of one {@link SslSettings} and configured {@link SSLEngine}s for the broker's
 * network layer (server side) and for outgoing connections (client side, e.g. replication).
 *
 * <p>Reloading: {@link #reloadIfChanged()} checks the keystore and truststore files (modification time, size and
 * inode first, then a SHA-256 of the content, so touching a file without changing it reloads nothing) and, if they
 * changed, builds a new context from them. Engines created after that use the new certificates; connections already
 * established keep theirs. A replacement that cannot be loaded (corrupt, wrong password, key not matching the
 * certificate) is logged once as a WARN and the previous context stays in force. {@link KeyMaterialReloader} calls
 * {@link #reloadIfChanged()} periodically.
 *
 * <p>Thread-safety: safe for use by any number of threads. Engines are created from a volatile snapshot of the current
 * context; reloads are serialized on this object.
 */
public final class SslContextFactory {

    private static final Logger log = LoggerFactory.getLogger(SslContextFactory.class);

    private final SslSettings settings;
    private final SslPrincipalMapper principalMapper;
    private volatile Loaded current;
    /** The snapshots of the last replacement that failed to load, so that it is reported once, not at every poll. */
    private Map<Path, FileSnapshot> lastFailure = Map.of();

    private SslContextFactory(SslSettings settings, Loaded loaded) {
        this.settings = settings;
        this.principalMapper = SslPrincipalMapper.fromRules(settings.principalMappingRules());
        this.current = loaded;
    }

    /**
     * The factory of a TLS listener (and of the outgoing connections of the same broker): the keystore is required.
     *
     * @throws SslConfigException the settings or the files they name cannot be used
     */
    public static SslContextFactory forServer(SslSettings settings) {
        if (!settings.keystore().isPresent()) {
            throw new SslConfigException("a TLS listener needs a key and certificate: set "
                    + SslSettings.KEYSTORE_LOCATION.name() + " (or " + SslSettings.KEYSTORE_KEY.name() + " and "
                    + SslSettings.KEYSTORE_CERTIFICATE_CHAIN.name() + ")");
        }
        return create(settings);
    }

    /**
     * The factory of a TLS client; the keystore is optional (needed only for mutual TLS).
     *
     * @throws SslConfigException the settings or the files they name cannot be used
     */
    public static SslContextFactory forClient(SslSettings settings) {
        return create(settings);
    }

    private static SslContextFactory create(SslSettings settings) {
        Map<Path, FileSnapshot> files = readFiles(settings);
        SslContextFactory factory = new SslContextFactory(settings, load(settings, files));
        factory.validateEngineSettings();
        return factory;
    }

    /**
     * A server-side engine for a connection accepted from {@code peerHost:peerPort} (used by the JDK for session
     * caching only), with the enabled protocols, cipher suites and client authentication of the settings.
     */
    public SSLEngine createServerEngine(String peerHost, int peerPort) {
        if (current.material.keyManagers().isEmpty()) {
            throw new IllegalStateException("no keystore: a server engine needs a key and certificate");
        }
        SSLEngine engine = current.context.createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(false);
        SSLParameters parameters = parameters(engine);
        if (settings.clientAuth() == ClientAuth.REQUIRED) {
            parameters.setNeedClientAuth(true);
        } else if (settings.clientAuth() == ClientAuth.REQUESTED) {
            parameters.setWantClientAuth(true);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * A client-side engine for a connection to {@code peerHost:peerPort}. With {@code
     * ssl.endpoint.identification.algorithm=https} (the default) the server's certificate must name {@code peerHost}
     * (a DNS name or IP address SAN).
     */
    public SSLEngine createClientEngine(String peerHost, int peerPort) {
        SSLEngine engine = current.context.createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(true);
        SSLParameters parameters = parameters(engine);
        String algorithm = settings.endpointIdentificationAlgorithm();
        if (!algorithm.isEmpty()) {
            parameters.setEndpointIdentificationAlgorithm(algorithm.toUpperCase(Locale.ROOT));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * The context in force now. A server that keeps the context it is given (the admin console's Undertow) takes a
     * {@link ReloadingSslContext} instead, which follows the reloads.
     */
    public SSLContext sslContext() {
        return current.context;
    }

    /** The certificate chain this side presents (leaf first), empty without a keystore. */
    public List<X509Certificate> certificateChain() {
        return current.material.chain();
    }

    public SslSettings settings() {
        return settings;
    }

    /** The mapper of {@code ssl.principal.mapping.rules}, to name the principal of an established session. */
    public SslPrincipalMapper principalMapper() {
        return principalMapper;
    }

    /**
     * Reloads the key material if the keystore or truststore file changed and the new files can be used.
     *
     * @return whether a new context is now in force
     */
    public synchronized boolean reloadIfChanged() {
        Loaded loaded = current;
        if (loaded.files.values().stream().allMatch(FileSnapshot::sameAttributes)) {
            return false;
        }
        Map<Path, FileSnapshot> files;
        try {
            files = readFiles(settings);
        } catch (SslConfigException e) {
            // Most often a file caught in the middle of a non-atomic replacement; the next check will see it again.
            log.warn(
                    "TLS key material changed but cannot be read; keeping the current certificates: {}",
                    e.getMessage());
            return false;
        }
        if (sameContent(files, loaded.files)) {
            current = new Loaded(loaded.context, loaded.material, files); // touched only: remember the new times
            return false;
        }
        if (sameContent(files, lastFailure)) {
            return false;
        }
        try {
            Loaded next = load(settings, files);
            current = next;
            lastFailure = Map.of();
            log.info("Reloaded TLS key material from {}; presenting {}", files.keySet(), describe(next.material));
            return true;
        } catch (SslConfigException e) {
            lastFailure = files;
            log.warn(
                    "TLS key material in {} changed but cannot be used; keeping the current certificates ({}): {}",
                    files.keySet(),
                    describe(loaded.material),
                    e.getMessage());
            return false;
        }
    }

    /** {@code engine}, now speaking only the settings' protocols and cipher suites. */
    SSLEngine restrict(SSLEngine engine) {
        engine.setSSLParameters(parameters(engine));
        return engine;
    }

    private SSLParameters parameters(SSLEngine engine) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(settings.enabledProtocols().toArray(String[]::new));
        if (!settings.cipherSuites().isEmpty()) {
            parameters.setCipherSuites(settings.cipherSuites().toArray(String[]::new));
        }
        return parameters;
    }

    /** Unknown protocol or cipher suite names fail at start rather than at the first connection. */
    private void validateEngineSettings() {
        try {
            SSLEngine engine = current.context.createSSLEngine();
            List<String> supportedSuites = List.of(engine.getSupportedCipherSuites());
            for (String suite : settings.cipherSuites()) {
                if (!supportedSuites.contains(suite)) {
                    throw new SslConfigException(
                            SslSettings.CIPHER_SUITES.name() + ": " + suite + " is not a cipher suite of this JVM");
                }
            }
            List<String> supportedProtocols = List.of(engine.getSupportedProtocols());
            for (String protocol : settings.enabledProtocols()) {
                if (!supportedProtocols.contains(protocol)) {
                    throw new SslConfigException(
                            SslSettings.ENABLED_PROTOCOLS.name() + ": " + protocol + " is not supported by this JVM");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new SslConfigException("invalid TLS engine settings: " + e.getMessage(), e);
        }
    }

    private static Map<Path, FileSnapshot> readFiles(SslSettings settings) {
        Map<Path, FileSnapshot> files = new LinkedHashMap<>();
        settings.keystore()
                .location()
                .ifPresent(path -> files.put(path, FileSnapshot.read(SslSettings.KEYSTORE_LOCATION, path)));
        settings.truststore()
                .location()
                .ifPresent(path -> files.put(path, FileSnapshot.read(SslSettings.TRUSTSTORE_LOCATION, path)));
        return files;
    }

    private static Loaded load(SslSettings settings, Map<Path, FileSnapshot> files) {
        KeyMaterial material = KeyMaterial.load(settings, files);
        try {
            SSLContext context = SSLContext.getInstance(settings.protocol());
            context.init(
                    material.keyManagers().orElse(null),
                    material.trustManagers().orElse(null),
                    new SecureRandom());
            return new Loaded(context, material, Map.copyOf(files));
        } catch (GeneralSecurityException e) {
            throw new SslConfigException(
                    SslSettings.PROTOCOL.name() + "=" + settings.protocol() + ": cannot create the TLS context: "
                            + e.getMessage(),
                    e);
        }
    }

    private static boolean sameContent(Map<Path, FileSnapshot> a, Map<Path, FileSnapshot> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> e.getValue().sameContent(b.get(e.getKey())));
    }

    private static String describe(KeyMaterial material) {
        return material.chain().isEmpty()
                ? "no certificate"
                : material.chain().get(0).getSubjectX500Principal().getName() + " (serial "
                        + material.chain().get(0).getSerialNumber().toString(16) + ", valid until "
                        + material.chain().get(0).getNotAfter().toInstant() + ")";
    }

    /** A context with the material and file snapshots it was built from. */
    private record Loaded(SSLContext context, KeyMaterial material, Map<Path, FileSnapshot> files) {}

    /** For log lines: which certificate this factory presents. */
    @Override
    public String toString() {
        return "SslContextFactory(" + describe(current.material) + ")";
    }
}
