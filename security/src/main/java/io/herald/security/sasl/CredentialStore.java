package io.herald.security.sasl;

import io.herald.security.store.AtomicFile;
import io.herald.security.store.SharedLines;
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
 * <p>In a cluster the credentials are shared through the cluster's metadata ({@link #shareThrough}): a change is
 * made there and comes back to every broker's store, which keeps its file as the broker's copy.
 *
 * <p>Thread-safety: thread-safe. Reads see an immutable snapshot; changes are serialised; {@link #replaceAll} may run
 * while a change waits for the shared copy (it takes only the file's lock).
 */
public final class CredentialStore {

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final Base64.Encoder NAME = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder NAMED = Base64.getUrlDecoder();

    private final AtomicFile file;
    private final Object fileLock = new Object();
    private volatile Map<String, Map<ScramMechanism, ScramCredential>> users;
    private volatile SharedLines shared;

    private CredentialStore(AtomicFile file, Map<String, Map<ScramMechanism, ScramCredential>> users) {
        this.file = file;
        this.users = users;
    }

    /** Opens (or starts) the store in {@code file}. */
    public static CredentialStore open(Path file) throws IOException {
        AtomicFile atomic = new AtomicFile(file);
        return new CredentialStore(atomic, decode(atomic.readEntries(6, CredentialStore::parse)));
    }

    private static Map.Entry<String, ScramCredential> parse(String[] f) {
        ScramMechanism m = ScramMechanism.forName(f[1])
                .orElseThrow(() -> new IllegalArgumentException("unknown mechanism " + f[1]));
        return Map.entry(
                new String(NAMED.decode(f[0]), StandardCharsets.UTF_8),
                new ScramCredential(
                        m, B64D.decode(f[3]), Integer.parseInt(f[2]), B64D.decode(f[4]), B64D.decode(f[5])));
    }

    private static Map<String, Map<ScramMechanism, ScramCredential>> decode(
            List<Map.Entry<String, ScramCredential>> entries) {
        Map<String, Map<ScramMechanism, ScramCredential>> users = new TreeMap<>();
        for (Map.Entry<String, ScramCredential> e : entries) {
            users.computeIfAbsent(e.getKey(), u -> new EnumMap<>(ScramMechanism.class))
                    .put(e.getValue().mechanism(), e.getValue());
        }
        return freeze(users);
    }

    private static Map<String, Map<ScramMechanism, ScramCredential>> decode(List<String> lines, String source) {
        try {
            return decode(AtomicFile.parseEntries(source, lines, 6, CredentialStore::parse));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<ScramCredential> credential(String user, ScramMechanism mechanism) {
        return Optional.ofNullable(users.getOrDefault(user, Map.of()).get(mechanism));
    }

    /** Every user with their mechanisms, sorted by name. */
    public Map<String, Map<ScramMechanism, ScramCredential>> all() {
        return users;
    }

    /**
     * From now on, changes go to {@code shared} (a cluster's copy), which hands every new version back through {@link
     * #replaceAll}; the file keeps this broker's copy.
     */
    public void shareThrough(SharedLines shared) {
        this.shared = shared;
    }

    /** The credentials as the lines of the file. */
    public List<String> lines() {
        return encode(users);
    }

    /**
     * Replaces every credential with those of {@code lines} (a new version of the shared copy), durably.
     *
     * @throws IOException if a line does not parse (nothing changes then) or the file cannot be written
     */
    public void replaceAll(List<String> lines) throws IOException {
        Map<String, Map<ScramMechanism, ScramCredential>> next =
                decode(AtomicFile.parseEntries("the shared credentials", lines, 6, CredentialStore::parse));
        synchronized (fileLock) {
            write(next);
        }
    }

    /** Adds or replaces one credential, durably, before returning. */
    public void put(String user, ScramCredential credential) {
        if (user.isEmpty()) {
            throw new IllegalArgumentException("User name must not be empty");
        }
        change(next -> {
            next.computeIfAbsent(user, u -> new EnumMap<>(ScramMechanism.class))
                    .put(credential.mechanism(), credential);
            return true;
        });
    }

    /** Removes one credential; returns false when the user had none for that mechanism. */
    public boolean delete(String user, ScramMechanism mechanism) {
        return change(next -> {
            Map<ScramMechanism, ScramCredential> of = next.get(user);
            if (of == null || of.remove(mechanism) == null) {
                return false;
            }
            if (of.isEmpty()) {
                next.remove(user);
            }
            return true;
        });
    }

    /** A change to a mutable copy, returning whether it changed anything. */
    private interface Change {
        boolean apply(Map<String, Map<ScramMechanism, ScramCredential>> next);
    }

    /** Applies {@code change} to the shared copy if there is one, else to this store; its outcome is returned. */
    private synchronized boolean change(Change change) {
        SharedLines to = shared;
        if (to == null) {
            Map<String, Map<ScramMechanism, ScramCredential>> next = mutableCopy(users);
            boolean changed = change.apply(next);
            if (changed) {
                synchronized (fileLock) {
                    write(next);
                }
            }
            return changed;
        }
        boolean[] changed = {false};
        try {
            to.update(lines -> {
                Map<String, Map<ScramMechanism, ScramCredential>> next =
                        mutableCopy(decode(lines, "the shared credentials"));
                changed[0] = change.apply(next);
                return changed[0] ? encode(next) : lines;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not change the shared credentials: " + e.getMessage(), e);
        }
        return changed[0];
    }

    private static Map<String, Map<ScramMechanism, ScramCredential>> mutableCopy(
            Map<String, Map<ScramMechanism, ScramCredential>> users) {
        Map<String, Map<ScramMechanism, ScramCredential>> copy = new TreeMap<>();
        users.forEach((u, m) -> copy.put(u, new EnumMap<>(m)));
        return copy;
    }

    private static List<String> encode(Map<String, Map<ScramMechanism, ScramCredential>> users) {
        List<String> lines = new ArrayList<>();
        users.forEach((user, creds) -> creds.values()
                .forEach(c -> lines.add(String.join(
                        " ",
                        NAME.encodeToString(user.getBytes(StandardCharsets.UTF_8)),
                        c.mechanism().mechanismName(),
                        Integer.toString(c.iterations()),
                        B64.encodeToString(c.salt()),
                        B64.encodeToString(c.storedKey()),
                        B64.encodeToString(c.serverKey())))));
        return lines;
    }

    private void write(Map<String, Map<ScramMechanism, ScramCredential>> next) {
        try {
            file.writeLines(encode(next));
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
