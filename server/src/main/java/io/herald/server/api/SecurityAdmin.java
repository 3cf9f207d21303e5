package io.herald.server.api;

import io.herald.security.acl.AclAuthorizer;
import io.herald.security.audit.AuditLog;
import io.herald.security.certs.DevelopmentCertificates;
import io.herald.security.sasl.CredentialStore;
import io.herald.security.sasl.ScramCredential;
import io.herald.security.sasl.ScramMechanism;
import io.herald.security.tls.SslConfigException;
import io.herald.security.tls.SslContextFactory;
import io.herald.security.tls.SslSettings;
import io.herald.server.config.BrokerConfig;
import io.herald.server.config.Listener;
import io.herald.server.security.BrokerSecurity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's security as an operator sees it: whether it is on (SASL listeners, ACL authorization), the SCRAM users,
 * and the ACLs, with adding and removing users and ACLs through the same credential store and authorizer as Kafka's
 * AlterUserScramCredentials, CreateAcls and DeleteAcls (validated the same way, stored durably before the answer).
 *
 * <p>Thread-safety: thread-safe (the store and the authorizer serialize their changes).
 */
public final class SecurityAdmin {

    private static final Logger log = LoggerFactory.getLogger(SecurityAdmin.class);

    /**
     * Whether security is on, and how.
     *
     * @param enabled some listener authenticates (SASL) or ACLs are enforced
     * @param listeners each listener with its security protocol, {@code NAME:PROTOCOL}
     * @param mechanisms the SASL mechanisms offered
     * @param authorizer whether ACLs are enforced ({@code authorizer.class.name} is set)
     * @param superUsers the principals allowed everything ({@code super.users})
     */
    public record Status(
            boolean enabled, List<String> listeners, List<String> mechanisms, boolean authorizer, String superUsers) {}

    /** A SCRAM user with the mechanisms it has a credential for, and their iteration counts. */
    public record User(String name, List<String> mechanisms, List<Integer> iterations) {}

    /**
     * An ACL, in Kafka's terms.
     *
     * @param principal {@code User:alice}, or {@code User:*}
     * @param host a host, or {@code *}
     * @param resourceType {@code TOPIC}, {@code GROUP}, {@code CLUSTER}, {@code TRANSACTIONAL_ID}
     * @param patternType {@code LITERAL} or {@code PREFIXED}
     * @param operation {@code READ}, {@code WRITE}, {@code ALL}, ...
     * @param permission {@code ALLOW} or {@code DENY}
     */
    public record Acl(
            String principal,
            String host,
            String resourceType,
            String resourceName,
            String patternType,
            String operation,
            String permission) {}

    /** The name of the cluster resource in ACLs. */
    public static final String CLUSTER_RESOURCE = AclAuthorizer.CLUSTER_NAME;

    /** The name the console's HTTPS listeners take for their {@code listener.name.<name>.ssl.*} keys. */
    public static final String CONSOLE_TLS_LISTENER = "admin";

    /** Made on first use: a PBKDF2 derivation costs time the broker's start need not spend. */
    private static volatile ScramCredential decoy;

    private final BrokerConfig config;
    private final BrokerSecurity security;

    SecurityAdmin(BrokerConfig config, BrokerSecurity security) {
        this.config = config;
        this.security = security;
    }

    public Status status() {
        List<String> listeners = new ArrayList<>();
        boolean sasl = false;
        for (Listener l : config.listeners()) {
            SecurityProtocol protocol = config.securityProtocol(l.name());
            listeners.add(l.name() + ":" + protocol.name);
            sasl |= protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
        }
        boolean authorizer = security.access().authorizer().isPresent();
        List<String> mechanisms = Arrays.stream(
                        config.get(BrokerConfig.SASL_ENABLED_MECHANISMS).split(","))
                .map(String::trim)
                .toList();
        return new Status(sasl || authorizer, listeners, mechanisms, authorizer, config.get(BrokerConfig.SUPER_USERS));
    }

    /**
     * Whether {@code password} is {@code user}'s, checked against the stored SCRAM credential (SCRAM-SHA-512, else
     * SCRAM-SHA-256): the salted password is derived with the stored salt and iterations and its stored key compared
     * in constant time. An unknown user costs the same derivation against a decoy, so the answer's timing does not tell
     * which users exist.
     */
    public boolean verifyPassword(String user, String password) {
        if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
            return false;
        }
        Optional<ScramCredential> credential = store().credential(user, ScramMechanism.SCRAM_SHA_512)
                .or(() -> store().credential(user, ScramMechanism.SCRAM_SHA_256));
        return credential.orElse(decoy()).matchesPassword(password) && credential.isPresent();
    }

    /** Whether {@code user} has a SCRAM credential (to word an audit entry; never shown to the client). */
    public boolean userExists(String user) {
        return store().all().containsKey(user);
    }

    /**
     * Whether the ACLs let {@code principal} from {@code host} perform {@code op} on the named resource; true when ACLs
     * are not enforced. Not audited: the caller decides whether a refusal is worth an entry.
     */
    public boolean isAllowed(String principal, String host, AclOperation op, ResourceType type, String name) {
        Optional<AclAuthorizer> authorizer = security.access().authorizer();
        return authorizer.isEmpty()
                || authorizer.get().authorize(AclAuthorizer.parsePrincipal(principal), host, op, type, name);
    }

    /** Whether the ACLs let {@code principal} perform {@code op} on some resource of {@code type} (see above). */
    public boolean isAllowedOnAny(String principal, String host, AclOperation op, ResourceType type) {
        Optional<AclAuthorizer> authorizer = security.access().authorizer();
        return authorizer.isEmpty()
                || authorizer.get().authorizeAny(AclAuthorizer.parsePrincipal(principal), host, op, type);
    }

    /** Writes a refused console login to the audit log ({@code herald.audit}). */
    public void auditLoginFailed(String user, String client, String reason) {
        AuditLog.consoleLoginFailed("User:" + user, client, reason);
    }

    /** Writes a console login to the audit log. */
    public void auditLogin(String user, String client, String role) {
        AuditLog.consoleLogin("User:" + user, client, role);
    }

    /** Writes a console request refused for the user's role to the audit log. */
    public void auditDenied(String user, String client, String operation, String what) {
        AuditLog.denied("User:" + user, client, operation, "CONSOLE", what);
    }

    /**
     * Starts the TLS of the console's HTTPS listeners, from Kafka's {@code ssl.*} keys with
     * {@code listener.name.admin.ssl.*} overriding them, as for a broker listener named {@code admin}; without a
     * keystore, the broker's development certificates (generated once in {@code <data dir>/.dev-certificates/}, a WARN
     * says so). Its key material is reloaded when the files change, as the Kafka listeners' is, until it is closed.
     *
     * @throws IOException if the development certificates cannot be written
     * @throws IllegalArgumentException naming the TLS setting that is wrong
     */
    public ConsoleTls consoleTls() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>(config.tlsSettings());
        if (!SslSettings.forListener(settings, CONSOLE_TLS_LISTENER).keystore().isPresent()) {
            Path dir = config.logDirs().get(0).resolve(".dev-certificates");
            DevelopmentCertificates dev = DevelopmentCertificates.ensure(dir, Clock.systemUTC());
            log.warn(
                    "The admin console's HTTPS has no ssl.keystore.location: using DEVELOPMENT certificates from {}"
                            + " (browsers must trust {}). Do not use this outside development.",
                    dir,
                    dev.caCertificate());
            dev.brokerSettings().forEach((k, v) -> settings.put("listener.name." + CONSOLE_TLS_LISTENER + "." + k, v));
        }
        SslContextFactory factory;
        try {
            factory = SslContextFactory.forServer(SslSettings.forListener(settings, CONSOLE_TLS_LISTENER));
        } catch (SslConfigException e) {
            throw new IllegalArgumentException("The admin console's HTTPS: " + e.getMessage(), e);
        }
        return ConsoleTls.start(factory, Duration.ofMillis(config.get(BrokerConfig.SSL_RELOAD_CHECK_INTERVAL_MS)));
    }

    private static ScramCredential decoy() {
        ScramCredential d = decoy;
        if (d == null) {
            // The same iteration count as a real credential, so an unknown user costs as much as a known one.
            d = ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_512, "decoy", 8192);
            decoy = d;
        }
        return d;
    }

    /** The SCRAM users, by name. */
    public List<User> users() {
        List<User> users = new ArrayList<>();
        security.credentials()
                .all()
                .forEach((name, credentials) -> users.add(new User(
                        name,
                        credentials.keySet().stream()
                                .map(ScramMechanism::mechanismName)
                                .toList(),
                        credentials.values().stream()
                                .map(ScramCredential::iterations)
                                .toList())));
        return users;
    }

    /**
     * Sets the password of {@code user} for one SCRAM mechanism (creating the user if needed).
     *
     * @param mechanism {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
     */
    public void setPassword(String user, String mechanism, String password, int iterations) {
        if (user == null || user.isBlank()) {
            throw new InvalidRequestException("A user needs a name");
        }
        if (password == null || password.isEmpty()) {
            throw new InvalidRequestException("A user needs a password");
        }
        ScramMechanism m = mechanism(mechanism);
        ScramCredential credential;
        try {
            credential = ScramCredential.fromPassword(m, password, iterations);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        store().put(user, credential);
    }

    /** Removes every SCRAM credential of {@code user}; false if it had none. */
    public boolean deleteUser(String user) {
        boolean any = false;
        for (ScramMechanism m : ScramMechanism.values()) {
            any |= store().delete(user, m);
        }
        return any;
    }

    /** Every ACL; none when ACLs are not enforced. */
    public List<Acl> acls() {
        return security
                .access()
                .authorizer()
                .map(a -> a.describe(org.apache.kafka.common.acl.AclBindingFilter.ANY))
                .orElse(List.of())
                .stream()
                .map(SecurityAdmin::acl)
                .toList();
    }

    /**
     * Adds an ACL.
     *
     * @throws SecurityDisabledException if ACLs are not enforced
     * @throws InvalidRequestException naming what is wrong with it
     */
    public Acl addAcl(Acl acl) {
        AclBinding binding = binding(acl);
        Optional<String> error = authorizer().create(List.of(binding)).get(0);
        if (error.isPresent()) {
            throw new InvalidRequestException(error.get());
        }
        return acl(binding);
    }

    /** Removes exactly this ACL; false if there was none. */
    public boolean removeAcl(Acl acl) {
        return !authorizer().delete(List.of(binding(acl).toFilter())).get(0).isEmpty();
    }

    private AclAuthorizer authorizer() {
        return security.access()
                .authorizer()
                .orElseThrow(() -> new SecurityDisabledException(
                        "ACLs are not enforced on this broker: set authorizer.class.name to manage them."));
    }

    private CredentialStore store() {
        return security.credentials();
    }

    private static ScramMechanism mechanism(String name) {
        for (ScramMechanism m : ScramMechanism.values()) {
            if (m.mechanismName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return m;
            }
        }
        throw new InvalidRequestException("The mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512, not '" + name + "'");
    }

    private static Acl acl(AclBinding b) {
        return new Acl(
                b.entry().principal(),
                b.entry().host(),
                b.pattern().resourceType().name(),
                b.pattern().name(),
                b.pattern().patternType().name(),
                b.entry().operation().name(),
                b.entry().permissionType().name());
    }

    private static AclBinding binding(Acl acl) {
        if (acl.principal() == null || !acl.principal().contains(":")) {
            throw new InvalidRequestException("The principal must look like User:alice, not '" + acl.principal() + "'");
        }
        if (acl.resourceName() == null || acl.resourceName().isEmpty()) {
            throw new InvalidRequestException("The ACL needs a resource name");
        }
        ResourceType type = parse(ResourceType.class, "resource type", acl.resourceType());
        PatternType pattern = parse(PatternType.class, "pattern type", acl.patternType());
        AclOperation operation = parse(AclOperation.class, "operation", acl.operation());
        AclPermissionType permission = parse(AclPermissionType.class, "permission", acl.permission());
        if (type == ResourceType.ANY
                || type == ResourceType.UNKNOWN
                || (pattern != PatternType.LITERAL && pattern != PatternType.PREFIXED)
                || operation == AclOperation.ANY
                || operation == AclOperation.UNKNOWN
                || permission == AclPermissionType.ANY
                || permission == AclPermissionType.UNKNOWN) {
            throw new InvalidRequestException("An ACL names one resource type, a LITERAL or PREFIXED pattern, one"
                    + " operation and ALLOW or DENY");
        }
        String host =
                acl.host() == null || acl.host().isBlank() ? "*" : acl.host().trim();
        return new AclBinding(
                new ResourcePattern(type, acl.resourceName(), pattern),
                new AccessControlEntry(acl.principal().trim(), host, operation, permission));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String what, String value) {
        try {
            return Enum.valueOf(type, String.valueOf(value).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(
                    "'" + value + "' is not a " + what + ": use one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
