package io.herald.server.security;

import io.herald.security.acl.AclAuthorizer;
import io.herald.security.certs.DevelopmentCertificates;
import io.herald.security.sasl.CredentialStore;
import io.herald.security.sasl.SaslMechanisms;
import io.herald.security.tls.KeyMaterialReloader;
import io.herald.security.tls.SslConfigException;
import io.herald.security.tls.SslContextFactory;
import io.herald.security.tls.SslPrincipalMapper;
import io.herald.security.tls.SslSettings;
import io.herald.server.config.BrokerConfig;
import io.herald.server.config.Listener;
import io.herald.server.network.ConnectionSecurity;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's security as its configuration sets it up: each listener's protocol, the SCRAM credential store and
 * the SASL mechanisms it backs, and the ACL authorizer when {@code authorizer.class.name} is set. Credentials and ACLs
 * live in files of the first log directory ({@code security-scram-credentials}, {@code security-acls}).
 *
 * <p>Thread-safety: thread-safe after construction.
 */
public final class BrokerSecurity implements ConnectionSecurity, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerSecurity.class);

    private static final String CREDENTIALS_FILE = "security-scram-credentials";
    private static final String ACL_FILE = "security-acls";

    private final Map<String, SecurityProtocol> protocols;
    private final CredentialStore credentials;
    private final SaslMechanisms mechanisms;
    private final AccessControl access;
    private final Map<String, SslContextFactory> tls;
    private final KeyMaterialReloader reloader;

    private BrokerSecurity(
            Map<String, SecurityProtocol> protocols,
            CredentialStore credentials,
            SaslMechanisms mechanisms,
            AccessControl access,
            Map<String, SslContextFactory> tls,
            Duration reloadInterval) {
        this.tls = tls;
        this.reloader = tls.isEmpty() ? null : KeyMaterialReloader.start(reloadInterval, List.copyOf(tls.values()));
        this.protocols = protocols;
        this.credentials = credentials;
        this.mechanisms = mechanisms;
        this.access = access;
    }

    public static BrokerSecurity open(BrokerConfig config) throws IOException {
        CredentialStore credentials =
                CredentialStore.open(credentialsFile(config.logDirs().get(0)));
        SaslMechanisms mechanisms = new SaslMechanisms(
                credentials,
                Arrays.stream(config.get(BrokerConfig.SASL_ENABLED_MECHANISMS).split(","))
                        .map(String::trim)
                        .toList());
        AccessControl access = AccessControl.allowAll();
        if (!config.get(BrokerConfig.AUTHORIZER_CLASS_NAME).isBlank()) {
            AclAuthorizer authorizer = AclAuthorizer.open(
                    config.logDirs().get(0).resolve(ACL_FILE),
                    AclAuthorizer.parseSuperUsers(config.get(BrokerConfig.SUPER_USERS)),
                    config.get(BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND));
            access = AccessControl.with(authorizer);
            log.info(
                    "ACL authorization on: {} ACLs, super users [{}]",
                    authorizer
                            .describe(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                            .size(),
                    config.get(BrokerConfig.SUPER_USERS));
        }
        List<String> clear = config.listeners().stream()
                .filter(l -> config.securityProtocol(l.name()) == SecurityProtocol.PLAINTEXT)
                .map(l -> l.name())
                .toList();
        if (!access.authorizer().isEmpty() && !clear.isEmpty()) {
            log.warn("ACLs are on but listeners {} are PLAINTEXT: their clients are all User:ANONYMOUS", clear);
        }
        return new BrokerSecurity(
                config.securityProtocolMap(),
                credentials,
                mechanisms,
                access,
                tlsListeners(config),
                Duration.ofMillis(config.get(BrokerConfig.SSL_RELOAD_CHECK_INTERVAL_MS)));
    }

    /**
     * A TLS context per {@code SSL}/{@code SASL_SSL} listener, from the {@code ssl.*} keys (per-listener
     * {@code listener.name.<name>.ssl.*} first). A listener without key material gets the development certificates
     * of the first data directory, said loudly.
     */
    private static Map<String, SslContextFactory> tlsListeners(BrokerConfig config) throws IOException {
        Map<String, SslContextFactory> out = new LinkedHashMap<>();
        for (Listener l : config.listeners()) {
            SecurityProtocol p = config.securityProtocol(l.name());
            if (p != SecurityProtocol.SSL && p != SecurityProtocol.SASL_SSL) {
                continue;
            }
            Map<String, String> settings = new LinkedHashMap<>(config.tlsSettings());
            if (!SslSettings.forListener(settings, l.name()).keystore().isPresent()) {
                Path dir = config.logDirs().get(0).resolve(".dev-certificates");
                DevelopmentCertificates dev = DevelopmentCertificates.ensure(dir, Clock.systemUTC());
                log.warn(
                        "Listener {} has no ssl.keystore.location: using DEVELOPMENT certificates from {} (a self-signed"
                                + " CA that clients must trust: {}). Do not use this outside development.",
                        l.name(),
                        dir,
                        dev.caCertificate());
                dev.brokerSettings().forEach(settings::putIfAbsent);
            }
            try {
                out.put(l.name(), SslContextFactory.forServer(SslSettings.forListener(settings, l.name())));
            } catch (SslConfigException e) {
                throw new IllegalArgumentException("TLS listener " + l.name() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public SSLEngine newTlsEngine(String listener, String peerHost, int peerPort) {
        SslContextFactory factory = tls.get(listener);
        return factory == null ? null : factory.createServerEngine(peerHost, peerPort);
    }

    @Override
    public KafkaPrincipal tlsPrincipal(String listener, SSLSession session) throws SSLPeerUnverifiedException {
        try {
            return new KafkaPrincipal(
                    KafkaPrincipal.USER_TYPE,
                    tls.get(listener).principalMapper().principalName(session));
        } catch (SslPrincipalMapper.NoMatchingRuleException e) {
            throw new SSLPeerUnverifiedException(
                    "no ssl.principal.mapping.rules rule matches the client certificate: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (reloader != null) {
            reloader.close();
        }
    }

    /** The SCRAM credential file in a broker's first data directory. */
    public static Path credentialsFile(Path dataDir) {
        return dataDir.resolve(CREDENTIALS_FILE);
    }

    @Override
    public ClientSession newSession(String listener, InetAddress address) {
        return new ClientSession(listener, protocols.getOrDefault(listener, SecurityProtocol.PLAINTEXT), address);
    }

    public CredentialStore credentials() {
        return credentials;
    }

    public SaslMechanisms mechanisms() {
        return mechanisms;
    }

    public AccessControl access() {
        return access;
    }
}
