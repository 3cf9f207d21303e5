package io.herald.security.sasl;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The SASL mechanisms a listener offers ({@code sasl.enabled.mechanisms}) and a new server session for each exchange.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class SaslMechanisms {

    /** Every mechanism Herald implements, in the order offered by default. */
    public static final List<String> SUPPORTED = List.of(
            ScramMechanism.SCRAM_SHA_512.mechanismName(),
            ScramMechanism.SCRAM_SHA_256.mechanismName(),
            PlainServer.MECHANISM);

    private final CredentialStore store;
    private final Set<String> enabled;

    public SaslMechanisms(CredentialStore store, List<String> enabled) {
        for (String m : enabled) {
            if (!SUPPORTED.contains(m)) {
                throw new IllegalArgumentException(
                        "SASL mechanism " + m + " is not supported; supported: " + String.join(", ", SUPPORTED));
            }
        }
        if (enabled.isEmpty()) {
            throw new IllegalArgumentException("No SASL mechanism enabled");
        }
        this.store = store;
        this.enabled = Set.copyOf(new LinkedHashSet<>(enabled));
    }

    public List<String> enabled() {
        return SUPPORTED.stream().filter(enabled::contains).toList();
    }

    public CredentialStore credentials() {
        return store;
    }

    /** A fresh exchange for {@code mechanism}, or empty if it is not enabled. */
    public Optional<SaslServerSession> newSession(String mechanism) {
        if (!enabled.contains(mechanism)) {
            return Optional.empty();
        }
        if (mechanism.equals(PlainServer.MECHANISM)) {
            return Optional.of(new PlainServer(store));
        }
        return ScramMechanism.forName(mechanism).map(m -> new ScramServer(m, store));
    }
}
