package io.herald.security.sasl;

import io.herald.security.store.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SCRAM credentials of every user, per mechanism (a user may have both SCRAM-SHA-256 and SCRAM-SHA-512), kept in
 * memory and in one file under the broker's data directory, replaced atomically on every change.
 *
 * <p>File format, one credential per line: {@code base64url(user) mechanism iterations base64(salt) base64(storedKey)
 * base64(serverKey)}. A line that does not parse makes {@link #open} fail with the line number: a credential file
 * silently losing users would lock operators out or, worse, let a deleted user back in.
 *
 * <p>Thread-safety: thread-safe. Reads see an immutable snapshot; changes are serialised.
 */
public final class CredentialStore {

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final Base64.Encoder NAME = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder NAMED = Base64.getUrlDecoder();

    private final AtomicFile file;
    private volatile Map<String, Map<ScramMechanism, ScramCredential>> users;

    private CredentialStore(AtomicFile file, Map<String, Map<ScramMechanism, ScramCredential>> users) {
        this.file = file;
        this.users = users;
    }

    /** Opens (or starts) the store in {@code file}. */
    public static CredentialStore open(Path file) throws IOException {
        AtomicFile atomic = new AtomicFile(file);
        Map<String, Map<ScramMechanism, ScramCredential>> users = new TreeMap<>();
        for (Map.Entry<String, ScramCredential> e : atomic.readEntries(6, CredentialStore::parse)) {
            users.computeIfAbsent(e.getKey(), u -> new EnumMap<>(ScramMechanism.class))
                    .put(e.getValue().mechanism(), e.getValue());
        }
        return new CredentialStore(atomic, freeze(users));
    }

    private static Map.Entry<String, ScramCredential> parse(String[] f) {
        ScramMechanism m = ScramMechanism.forName(f[1])
                .orElseThrow(() -> new IllegalArgumentException("unknown mechanism " + f[1]));
        return Map.entry(
                new String(NAMED.decode(f[0]), StandardCharsets.UTF_8),
                new ScramCredential(
                        m, B64D.decode(f[3]), Integer.parseInt(f[2]), B64D.decode(f[4]), B64D.decode(f[5])));
    }

    public Optional<ScramCredential> credential(String user, ScramMechanism mechanism) {
        return Optional.ofNullable(users.getOrDefault(user, Map.of()).get(mechanism));
    }

    /** Every user with their mechanisms, sorted by name. */
    public Map<String, Map<ScramMechanism, ScramCredential>> all() {
        return users;
    }

    /** Adds or replaces one credential, durably, before returning. */
    public synchronized void put(String user, ScramCredential credential) {
        if (user.isEmpty()) {
            throw new IllegalArgumentException("User name must not be empty");
        }
        Map<String, Map<ScramMechanism, ScramCredential>> next = mutableCopy();
        next.computeIfAbsent(user, u -> new EnumMap<>(ScramMechanism.class)).put(credential.mechanism(), credential);
        save(next);
    }

    /** Removes one credential; returns false when the user had none for that mechanism. */
    public synchronized boolean delete(String user, ScramMechanism mechanism) {
        Map<String, Map<ScramMechanism, ScramCredential>> next = mutableCopy();
        Map<ScramMechanism, ScramCredential> of = next.get(user);
        if (of == null || of.remove(mechanism) == null) {
            return false;
        }
        if (of.isEmpty()) {
            next.remove(user);
        }
        save(next);
        return true;
    }

    private Map<String, Map<ScramMechanism, ScramCredential>> mutableCopy() {
        Map<String, Map<ScramMechanism, ScramCredential>> copy = new TreeMap<>();
        users.forEach((u, m) -> copy.put(u, new EnumMap<>(m)));
        return copy;
    }

    private void save(Map<String, Map<ScramMechanism, ScramCredential>> next) {
        List<String> lines = new ArrayList<>();
        next.forEach((user, creds) -> creds.values()
                .forEach(c -> lines.add(String.join(
                        " ",
                        NAME.encodeToString(user.getBytes(StandardCharsets.UTF_8)),
                        c.mechanism().mechanismName(),
                        Integer.toString(c.iterations()),
                        B64.encodeToString(c.salt()),
                        B64.encodeToString(c.storedKey()),
                        B64.encodeToString(c.serverKey())))));
        try {
            file.writeLines(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write credential file " + file.path(), e);
        }
        users = freeze(next);
    }

    private static Map<String, Map<ScramMechanism, ScramCredential>> freeze(
            Map<String, Map<ScramMechanism, ScramCredential>> m) {
        Map<String, Map<ScramMechanism, ScramCredential>> out = new TreeMap<>();
        m.forEach((u, c) -> out.put(u, Collections.unmodifiableMap(new EnumMap<>(c))));
        return Collections.unmodifiableMap(out);
    }
}
