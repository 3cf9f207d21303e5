package io.herald.server.security;

import io.herald.security.acl.AclAuthorizer;
import io.herald.security.sasl.CredentialStore;
import io.herald.security.sasl.SaslMechanisms;
import io.herald.server.config.BrokerConfig;
import io.herald.server.network.ConnectionSecurity;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
public final class BrokerSecurity implements ConnectionSecurity {

    private static final Logger log = LoggerFactory.getLogger(BrokerSecurity.class);

    private static final String CREDENTIALS_FILE = "security-scram-credentials";
    private static final String ACL_FILE = "security-acls";

    private final Map<String, SecurityProtocol> protocols;
    private final CredentialStore credentials;
    private final SaslMechanisms mechanisms;
    private final AccessControl access;

    private BrokerSecurity(
            Map<String, SecurityProtocol> protocols,
            CredentialStore credentials,
            SaslMechanisms mechanisms,
            AccessControl access) {
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
        return new BrokerSecurity(config.securityProtocolMap(), credentials, mechanisms, access);
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
