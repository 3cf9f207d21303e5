package io.herald.server.security;

import io.herald.server.cluster.ClusterConductor;
import io.herald.server.cluster.ClusterImage;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clustered broker's SCRAM credentials and ACLs, shared with every other broker through the cluster image, as Kafka
 * keeps them in its metadata log: a change made on any broker (AlterUserScramCredentials, CreateAcls, DeleteAcls, the
 * console) is a compare-and-set of the image, and every broker writes each new version into its own files, which
 * stay its copy for authentication and authorization (so neither waits on the consistent store) and come back with
 * the image's local copy after a full-cluster restart.
 *
 * <p>A cluster whose image does not share a store yet (a new cluster, or one upgraded from per-broker files) takes
 * the first broker's non-empty files as the shared version; the others then hold that copy.
 *
 * <p>Thread-safety: thread-safe; {@link #accept} runs on the conductor thread (and once at installation).
 */
public final class SharedSecurityStores implements Consumer<ClusterImage> {

    private static final Logger log = LoggerFactory.getLogger(SharedSecurityStores.class);
    static final String CREDENTIALS = "credentials";
    static final String ACLS = "acls";

    /** One shared store: its lines here, and how a new shared version replaces them. */
    private record Store(Supplier<List<String>> lines, Replacer replace) {}

    @FunctionalInterface
    private interface Replacer {
        void replaceAll(List<String> lines) throws IOException;
    }

    private final ClusterConductor conductor;
    private final long timeoutMs;
    private final Map<String, Store> stores = new LinkedHashMap<>();
    private final Map<String, List<String>> applied = new HashMap<>();

    private SharedSecurityStores(ClusterConductor conductor, long timeoutMs) {
        this.conductor = conductor;
        this.timeoutMs = timeoutMs;
    }

    /** Shares {@code security}'s credentials (and ACLs, when enforced) through {@code conductor}'s image. */
    public static SharedSecurityStores install(ClusterConductor conductor, BrokerSecurity security, long timeoutMs) {
        SharedSecurityStores shared = new SharedSecurityStores(conductor, timeoutMs);
        shared.stores.put(CREDENTIALS, new Store(security.credentials()::lines, security.credentials()::replaceAll));
        security.credentials().shareThrough(change -> shared.update(CREDENTIALS, change));
        security.access().authorizer().ifPresent(acls -> {
            shared.stores.put(ACLS, new Store(acls::lines, acls::replaceAll));
            acls.shareThrough(change -> shared.update(ACLS, change));
        });
        shared.accept(conductor.image());
        conductor.addListener(shared);
        return shared;
    }

    private void update(String name, UnaryOperator<List<String>> change) throws IOException {
        Supplier<List<String>> local = stores.get(name).lines();
        try {
            conductor
                    .mutate(image -> {
                        Optional<List<String>> shared = image.securityStore(name);
                        List<String> current = shared.orElseGet(local);
                        List<String> next = change.apply(current);
                        return shared.isPresent() && next.equals(current) ? image : image.withSecurityStore(name, next);
                    })
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while changing the cluster's " + name, e);
        } catch (TimeoutException e) {
            throw new IOException("The cluster's " + name + " could not be changed within " + timeoutMs + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new IOException("The cluster's " + name + " could not be changed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public synchronized void accept(ClusterImage image) {
        stores.forEach((name, store) -> {
            Optional<List<String>> shared = image.securityStore(name);
            if (shared.isEmpty()) {
                List<String> local = store.lines().get();
                if (!local.isEmpty()) {
                    conductor.mutate(
                            img -> img.securityStore(name).isPresent() ? img : img.withSecurityStore(name, local));
                }
                return;
            }
            if (shared.get().equals(applied.get(name))) {
                return;
            }
            try {
                store.replace().replaceAll(shared.get());
                applied.put(name, shared.get());
            } catch (IOException | RuntimeException e) {
                log.error(
                        "Could not apply the cluster's {} (image version {}): {}", name, image.version(), e.toString());
            }
        });
    }
}
