package io.herald.security.acl;

import io.herald.security.store.SharedLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Kafka's ACL authorization, with Kafka's rules, so that ACLs written for a Kafka cluster mean the same here:
 *
 * <ul>
 *   <li>a super user ({@code super.users}) may do anything;
 *   <li>a binding applies to a resource when its pattern is the literal name, the literal wildcard {@code *}, or a
 *       prefix of the name ({@code PREFIXED}); to a principal when it names it or {@code User:*}; to a host when it
 *       names the client's address or {@code *};
 *   <li>a DENY for the operation (or {@code ALL}) wins over any ALLOW;
 *   <li>an ALLOW for the operation, for {@code ALL}, or for an operation that implies it (READ, WRITE, DELETE and ALTER
 *       imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS) allows;
 *   <li>when no binding at all applies to the resource, {@code allow.everyone.if.no.acl.found} decides (false by
 *       default, as in Kafka).
 * </ul>
 *
 * <p>Bindings persist in a file under the data directory ({@link AclStore}) before a change is acknowledged. In a
 * cluster they are shared through the cluster's metadata ({@link #shareThrough}): a change is made there and comes
 * back to every broker's authorizer, which keeps its file as the broker's copy.
 *
 * <p>Thread-safety: thread-safe. Decisions read an immutable snapshot without locking; changes are serialised.
 */
public final class AclAuthorizer {

    /** The one cluster resource's name, as Kafka spells it. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    private static final Set<AclOperation> IMPLY_DESCRIBE =
            EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);

    private final AclStore store;
    private final Set<KafkaPrincipal> superUsers;
    private final boolean allowIfNoAcl;
    private final Object fileLock = new Object();
    private volatile List<AclBinding> acls;
    private volatile SharedLines shared;

    private AclAuthorizer(AclStore store, Set<KafkaPrincipal> superUsers, boolean allowIfNoAcl, List<AclBinding> acls) {
        this.store = store;
        this.superUsers = Set.copyOf(superUsers);
        this.allowIfNoAcl = allowIfNoAcl;
        this.acls = List.copyOf(acls);
    }

    /** Opens the authorizer over the ACL file {@code file} (created on the first change). */
    public static AclAuthorizer open(Path file, Set<KafkaPrincipal> superUsers, boolean allowIfNoAcl)
            throws IOException {
        AclStore store = new AclStore(file);
        return new AclAuthorizer(store, superUsers, allowIfNoAcl, store.load());
    }

    /** Parses {@code super.users}: principals separated by semicolons, e.g. {@code User:admin;User:broker}. */
    public static Set<KafkaPrincipal> parseSuperUsers(String value) {
        Set<KafkaPrincipal> out = new LinkedHashSet<>();
        for (String s : value.split(";")) {
            if (!s.isBlank()) {
                out.add(parsePrincipal(s.trim()));
            }
        }
        return out;
    }

    /** Parses {@code Type:name}; throws {@link IllegalArgumentException} with a readable message otherwise. */
    public static KafkaPrincipal parsePrincipal(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("Principal '" + s + "' is not of the form Type:name, e.g. User:alice");
        }
        return new KafkaPrincipal(s.substring(0, colon), s.substring(colon + 1));
    }

    public boolean isSuperUser(KafkaPrincipal principal) {
        return superUsers.contains(principal);
    }

    /** Whether {@code principal} connecting from {@code host} may perform {@code op} on the named resource. */
    public boolean authorize(KafkaPrincipal principal, String host, AclOperation op, ResourceType type, String name) {
        if (isSuperUser(principal)) {
            return true;
        }
        boolean anyForResource = false;
        boolean allowed = false;
        for (AclBinding b : acls) {
            if (!appliesTo(b.pattern(), type, name)) {
                continue;
            }
            anyForResource = true;
            if (!appliesTo(b, principal, host)) {
                continue;
            }
            AclOperation granted = b.entry().operation();
            if (b.entry().permissionType() == AclPermissionType.DENY) {
                if (granted == op || granted == AclOperation.ALL) {
                    return false;
                }
            } else if (implies(granted, op)) {
                allowed = true;
            }
        }
        return allowed || (!anyForResource && allowIfNoAcl);
    }

    /**
     * Whether {@code principal} may perform {@code op} on at least one resource of {@code type} (Kafka's
     * authorizeByResourceType, used where one of several resources suffices, as WRITE on any topic for an idempotent
     * producer): some ALLOW applies to it that no DENY of the same or a wider pattern cancels.
     */
    public boolean authorizeAny(KafkaPrincipal principal, String host, AclOperation op, ResourceType type) {
        if (isSuperUser(principal)) {
            return true;
        }
        List<AclBinding> ofType =
                acls.stream().filter(b -> b.pattern().resourceType() == type).toList();
        if (ofType.isEmpty()) {
            return allowIfNoAcl;
        }
        List<AclBinding> denies = ofType.stream()
                .filter(b -> b.entry().permissionType() == AclPermissionType.DENY
                        && appliesTo(b, principal, host)
                        && (b.entry().operation() == op || b.entry().operation() == AclOperation.ALL))
                .toList();
        for (AclBinding b : ofType) {
            if (b.entry().permissionType() == AclPermissionType.ALLOW
                    && appliesTo(b, principal, host)
                    && implies(b.entry().operation(), op)
                    && denies.stream().noneMatch(d -> covers(d.pattern(), b.pattern()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds bindings, each validated on its own: the answer has one entry per binding, empty when it was added (or
     * already existed), else the reason it was refused. Valid ones are stored durably before this returns.
     */
    public List<Optional<String>> create(List<AclBinding> bindings) {
        List<Optional<String>> results = new ArrayList<>();
        List<AclBinding> valid = new ArrayList<>();
        for (AclBinding b : bindings) {
            Optional<String> error = validate(b);
            results.add(error);
            if (error.isEmpty()) {
                valid.add(b);
            }
        }
        change(current -> {
            LinkedHashSet<AclBinding> next = new LinkedHashSet<>(current);
            next.addAll(valid);
            return next;
        });
        return results;
    }

    /** Every binding {@code filter} matches. */
    public List<AclBinding> describe(AclBindingFilter filter) {
        return acls.stream().filter(filter::matches).toList();
    }

    /** Removes what each filter matches; the answer lists, per filter, the bindings it removed. */
    public List<List<AclBinding>> delete(List<AclBindingFilter> filters) {
        List<List<AclBinding>> results = new ArrayList<>();
        change(current -> {
            results.clear(); // a shared change may be applied again, to a newer version
            LinkedHashSet<AclBinding> next = new LinkedHashSet<>(current);
            for (AclBindingFilter f : filters) {
                List<AclBinding> matched = current.stream().filter(f::matches).toList();
                results.add(matched);
                matched.forEach(next::remove);
            }
            return next;
        });
        return results;
    }

    /**
     * From now on, changes go to {@code shared} (a cluster's copy), which hands every new version back through {@link
     * #replaceAll}; the file keeps this broker's copy.
     */
    public void shareThrough(SharedLines shared) {
        this.shared = shared;
    }

    /** The bindings as the lines of the file. */
    public List<String> lines() {
        return AclStore.encode(acls);
    }

    /**
     * Replaces every binding with those of {@code lines} (a new version of the shared copy), durably.
     *
     * @throws IOException if a line does not parse (nothing changes then) or the file cannot be written
     */
    public void replaceAll(List<String> lines) throws IOException {
        List<AclBinding> next = AclStore.decode("the shared ACLs", lines);
        synchronized (fileLock) {
            store.save(next);
            acls = List.copyOf(next);
        }
    }

    /** Applies {@code change} to the shared copy if there is one, else to this authorizer's bindings, durably. */
    private synchronized void change(UnaryOperator<Collection<AclBinding>> change) {
        SharedLines to = shared;
        try {
            if (to == null) {
                Collection<AclBinding> next = change.apply(acls);
                if (next.size() != acls.size() || !acls.containsAll(next)) {
                    synchronized (fileLock) {
                        store.save(next);
                        acls = List.copyOf(next);
                    }
                }
                return;
            }
            to.update(lines -> {
                try {
                    List<AclBinding> current = AclStore.decode("the shared ACLs", lines);
                    Collection<AclBinding> next = change.apply(current);
                    return next.size() == current.size() && current.containsAll(next) ? lines : AclStore.encode(next);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not change the ACLs: " + e.getMessage(), e);
        }
    }

    static Optional<String> validate(AclBinding b) {
        ResourcePattern p = b.pattern();
        if (p.resourceType() == ResourceType.ANY || p.resourceType() == ResourceType.UNKNOWN) {
            return Optional.of("resource type must be specific, not " + p.resourceType());
        }
        if (p.patternType() != PatternType.LITERAL && p.patternType() != PatternType.PREFIXED) {
            return Optional.of("pattern type must be LITERAL or PREFIXED, not " + p.patternType());
        }
        if (p.name() == null || p.name().isEmpty()) {
            return Optional.of("resource name must not be empty");
        }
        if (p.resourceType() == ResourceType.CLUSTER && !p.name().equals(CLUSTER_NAME)) {
            return Optional.of("the cluster resource is named " + CLUSTER_NAME + ", not '" + p.name() + "'");
        }
        AclOperation op = b.entry().operation();
        if (op == AclOperation.ANY || op == AclOperation.UNKNOWN) {
            return Optional.of("operation must be specific, not " + op);
        }
        AclPermissionType perm = b.entry().permissionType();
        if (perm != AclPermissionType.ALLOW && perm != AclPermissionType.DENY) {
            return Optional.of("permission must be ALLOW or DENY, not " + perm);
        }
        if (b.entry().host() == null || b.entry().host().isEmpty()) {
            return Optional.of("host must not be empty (use * for any host)");
        }
        try {
            parsePrincipal(b.entry().principal());
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean appliesTo(ResourcePattern p, ResourceType type, String name) {
        if (p.resourceType() != type) {
            return false;
        }
        return switch (p.patternType()) {
            case LITERAL -> p.name().equals(name) || p.name().equals(ResourcePattern.WILDCARD_RESOURCE);
            case PREFIXED -> name.startsWith(p.name());
            default -> false;
        };
    }

    private static boolean appliesTo(AclBinding b, KafkaPrincipal principal, String host) {
        String p = b.entry().principal();
        boolean principalMatches = p.equals(principal.toString()) || p.equals(principal.getPrincipalType() + ":*");
        String h = b.entry().host();
        return principalMatches && (h.equals("*") || h.equals(host));
    }

    /** Whether a DENY on {@code deny} also covers every resource {@code allow} names. */
    private static boolean covers(ResourcePattern deny, ResourcePattern allow) {
        if (deny.patternType() == PatternType.LITERAL) {
            return deny.name().equals(ResourcePattern.WILDCARD_RESOURCE)
                    || (allow.patternType() == PatternType.LITERAL
                            && deny.name().equals(allow.name()));
        }
        return allow.name().startsWith(deny.name());
    }

    private static boolean implies(AclOperation granted, AclOperation wanted) {
        if (granted == wanted || granted == AclOperation.ALL) {
            return true;
        }
        if (wanted == AclOperation.DESCRIBE) {
            return IMPLY_DESCRIBE.contains(granted);
        }
        return wanted == AclOperation.DESCRIBE_CONFIGS && granted == AclOperation.ALTER_CONFIGS;
    }
}
