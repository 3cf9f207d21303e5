package io.herald.server.cluster;

import io.herald.server.metadata.BrokerNode;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotControllerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns this broker's view of the cluster. It consumes an input queue (membership changes and
 * image announcements from the backend's threads, metadata mutations from request handlers, ISR proposals from
 * partition leaders, and a tick), reads and writes the image in the consistent store, applies each new image to the
 * broker (its {@link Consumer listeners}, called on this thread, make partitions leaders or followers), keeps the
 * local copy, and, while this broker holds the controller lock, makes the controller's decisions.
 *
 * <p>Design note: every write is a compare-and-set of a whole image against the exact bytes read, so writes from the
 * controller, from leaders proposing ISR changes and from admin requests on any broker are serialised by the store
 * itself; the controller's writes additionally refuse to go ahead once the stored image names a higher controller
 * epoch. The controller epoch is the controller lock's fence token; after a full-cluster restart the new store's
 * fences start at 1 again, so the epoch is the larger of the fence and the last epoch + 1. A broker applies images
 * to its partitions only once the image carries its own registration (this process's incarnation): a restarted
 * broker never acts on the roles of its previous life.
 *
 * <p>Start of an empty store (a new cluster, or every broker restarted): each broker offers its local copy; the
 * first controller waits until every configured member offered one (or {@code bootstrapTimeoutMs}) and writes the
 * newest, or a new empty image with a new cluster id if none has any.
 *
 * <p>Fencing: a broker that has not reached the consistent store for {@code fenceAfterMs} while membership shows it
 * fewer than a majority of the configured members is on the minority side of a network partition (or the last
 * survivor of a majority failure). The majority may have elected other leaders for its partitions by then, so it stops
 * leading: handlers and listeners see its partitions without a leader ({@link ClusterImage#fencedFrom}), appends and
 * fetches answer NOT_LEADER_OR_FOLLOWER, and its Metadata answers name the other brokers, not itself, so that clients
 * look for the leaders there. The first image it reads again ends
 * the fence. A broker that sees a majority but not the store (Hazelcast's CP groups themselves without a majority) is
 * not fenced: nobody can elect other leaders then, so it keeps serving what it leads. A watchdog thread decides it,
 * because on the minority side the conductor thread itself may sit in a CP call (the controller lock's calls have no
 * timeout of ours) for longer than the fence is due.
 *
 * <p>Thread-safety: the public methods are thread-safe; everything else runs on the conductor thread, except the
 * watchdog's fencing, which applies images to the listeners under the same lock as the conductor thread does.
 */
public final class ClusterConductor implements ClusterView, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterConductor.class);
    private static final int MAX_CAS_ATTEMPTS = 50;

    /** Timing and policy. */
    public record Settings(
            long tickMs,
            boolean autoLeaderRebalance,
            long leaderImbalanceCheckMs,
            boolean uncleanElectionDefault,
            long bootstrapTimeoutMs,
            long fenceAfterMs) {}

    private sealed interface Event permits Membership, Announced, Mutation, Proposal, Reapply, Stop {}

    private record Membership() implements Event {}

    private record Announced(long version) implements Event {}

    private record Mutation(UnaryOperator<ClusterImage> change, CompletableFuture<ClusterImage> result)
            implements Event {}

    private record Proposal(IsrChange change, Consumer<Boolean> done) implements Event {}

    private record Reapply() implements Event {}

    private record Stop() implements Event {}

    private final ClusterBackend backend;
    private final BrokerRegistration self;
    private final LocalImageCopy localCopy;
    private final Clock clock;
    private final Settings settings;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final List<Consumer<ClusterImage>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<byte[]>> noticeListeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread thread;
    private final ScheduledExecutorService watchdog;
    private final Object applyLock = new Object();
    private volatile ClusterImage image;
    private volatile boolean registered;
    private volatile boolean stopped;
    private volatile boolean fenced;
    private volatile Set<Integer> live = Set.of();
    private Optional<byte[]> storedBytes = Optional.empty();
    private Optional<ClusterImage> restoredFrom;
    private long controllerFence = -1;
    private long controllerEpoch = -1;
    private long bootstrapStartMs = -1;
    private long lastBalanceMs;
    private long lastUnavailableLogMs;
    private volatile long lastContactMs;

    public ClusterConductor(
            ClusterBackend backend,
            BrokerRegistration self,
            LocalImageCopy localCopy,
            Optional<ClusterImage> initialCopy,
            Clock clock,
            Settings settings) {
        this.backend = backend;
        this.self = self;
        this.localCopy = localCopy;
        this.clock = clock;
        this.settings = settings;
        this.restoredFrom = initialCopy;
        this.image = initialCopy.orElse(ClusterImage.empty(""));
        this.thread = new Thread(this::run, "herald-cluster-conductor-" + self.id());
        this.thread.setDaemon(true);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-cluster-watchdog-" + self.id());
            t.setDaemon(true);
            return t;
        });
    }

    /** Adds a listener called on the conductor thread with every image applied (after registration). */
    public void addListener(Consumer<ClusterImage> listener) {
        listeners.add(listener);
    }

    /**
     * Adds a listener called with every notice another broker published ({@link #publishNotice}), on the backend's
     * thread: it must only hand the notice over to a thread of its own.
     */
    public void addNoticeListener(Consumer<byte[]> listener) {
        noticeListeners.add(listener);
    }

    /** Sends {@code notice} to the notice listeners of the other live brokers, best effort (a hint, never a decision). */
    public void publishNotice(byte[] notice) {
        backend.publishNotice(notice);
    }

    /**
     * Joins the cluster and starts the thread; returns once this broker is registered and the image that says so is
     * applied.
     *
     * @throws IOException if that did not happen within {@code timeoutMs}
     */
    public void start(long timeoutMs) throws IOException {
        try {
            backend.start(new ClusterBackend.Events() {
                @Override
                public void membershipChanged() {
                    queue.add(new Membership());
                }

                @Override
                public void imageAnnounced(long version) {
                    queue.add(new Announced(version));
                }

                @Override
                public void noticeReceived(byte[] notice) {
                    noticeListeners.forEach(l -> l.accept(notice));
                }
            });
        } catch (ClusterUnavailableException e) {
            throw new IOException(e.getMessage(), e);
        }
        lastContactMs = clock.millis();
        thread.start();
        watchdog.scheduleWithFixedDelay(this::maybeFence, settings.tickMs(), settings.tickMs(), TimeUnit.MILLISECONDS);
        try {
            if (!ready.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new IOException("Broker " + self.id() + " could not join the cluster within " + timeoutMs
                        + " ms (is a majority of the members in cluster.members up?)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while joining the cluster", e);
        }
    }

    /** The image this broker applied last. */
    public ClusterImage image() {
        return image;
    }

    public int nodeId() {
        return self.id();
    }

    /** Node ids that membership sees alive (registered or not). */
    public Set<Integer> liveNodes() {
        return live;
    }

    @Override
    public String clusterId() {
        return image.clusterId();
    }

    @Override
    public int controllerId() {
        return fenced ? -1 : image.controllerId();
    }

    /**
     * The registered brokers membership sees alive; while fenced, every registered broker but this one: it cannot tell
     * who is alive on the other side, and a client that asks it for metadata must go and ask them, not keep coming
     * back to a broker that leads nothing.
     */
    @Override
    public List<BrokerNode> liveBrokers() {
        Set<Integer> alive = live;
        boolean cutOff = fenced;
        return image.brokers().values().stream()
                .filter(b -> cutOff ? b.id() != self.id() : alive.contains(b.id()))
                .map(BrokerRegistration::node)
                .toList();
    }

    @Override
    public List<BrokerNode> registeredBrokers() {
        return image.brokers().values().stream()
                .map(BrokerRegistration::node)
                .sorted(Comparator.comparingInt(BrokerNode::id))
                .toList();
    }

    @Override
    public boolean isLive(int nodeId) {
        return live.contains(nodeId) && image.brokers().containsKey(nodeId);
    }

    @Override
    public Optional<BrokerNode> broker(int nodeId) {
        return Optional.ofNullable(image.brokers().get(nodeId)).map(BrokerRegistration::node);
    }

    @Override
    public Optional<PartitionState> partition(String topic, int partition) {
        Optional<PartitionState> state = image.partition(topic, partition);
        return fenced ? state.map(s -> s.fencedFrom(self.id())) : state;
    }

    /** Whether this broker is fenced: cut off from the cluster, it leads nothing (see the class comment). */
    public boolean fenced() {
        return fenced;
    }

    @Override
    public boolean votes() {
        return backend.votes();
    }

    /** Whether this broker holds the controller lock (as of its last check). */
    public boolean isController() {
        return controllerEpoch >= 0;
    }

    /**
     * Applies {@code change} to the current image with compare-and-set and completes with the image written (or the
     * current one if the change left it as it was), once this broker has applied it. The change may throw a Kafka
     * {@link ApiException} to refuse; the future then fails with it.
     */
    public CompletableFuture<ClusterImage> mutate(UnaryOperator<ClusterImage> change) {
        CompletableFuture<ClusterImage> f = new CompletableFuture<>();
        if (stopped) {
            f.completeExceptionally(new NotControllerException("The broker is shutting down"));
            return f;
        }
        queue.add(new Mutation(change, f));
        return f;
    }

    /** Applies the current image to the listeners again (once the broker's components that listen all exist). */
    public void reapply() {
        queue.add(new Reapply());
    }

    /** Proposes an ISR change; {@code done} is called on the conductor thread with whether it was written. */
    public void proposeIsr(IsrChange change, Consumer<Boolean> done) {
        queue.add(new Proposal(change, done));
    }

    // ---- the conductor thread ------------------------------------------------------------------------------------

    private void run() {
        long lastTick = 0;
        while (!stopped) {
            List<Event> events = new ArrayList<>();
            try {
                Event first = queue.poll(settings.tickMs(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    events.add(first);
                    queue.drainTo(events);
                }
            } catch (InterruptedException e) {
                break;
            }
            if (events.stream().anyMatch(e -> e instanceof Stop)) {
                failPending(events);
                break;
            }
            long now = clock.millis();
            boolean refresh = now - lastTick >= settings.tickMs()
                    || events.stream().anyMatch(e -> e instanceof Membership || e instanceof Announced);
            if (now - lastTick >= settings.tickMs()) {
                lastTick = now;
            }
            try {
                step(events, refresh || fenced, now);
                lastContactMs = now;
            } catch (ClusterUnavailableException e) {
                failPending(events);
                if (now - lastUnavailableLogMs > 10_000) {
                    lastUnavailableLogMs = now;
                    log.warn("Broker {}: the cluster's consistent store is unreachable: {}", self.id(), e.getMessage());
                }
            } catch (IOException | RuntimeException e) {
                failPending(events);
                log.error("Broker {}: cluster conductor step failed", self.id(), e);
            }
        }
        if (controllerFence >= 0) {
            backend.unlockController();
        }
    }

    private void step(List<Event> events, boolean refresh, long now) throws ClusterUnavailableException, IOException {
        live = backend.liveNodes();
        if (refresh || storedBytes.isEmpty()) {
            refresh(now);
            if (fenced) {
                unfence();
            }
        }
        if (storedBytes.isEmpty()) {
            failPending(events); // no image yet: nothing can be changed
            return;
        }
        if (!registered) {
            register();
        }
        for (Event e : events) {
            if (e instanceof Mutation m) {
                runMutation(m);
            } else if (e instanceof Proposal p) {
                runProposal(p);
            } else if (e instanceof Reapply && registered) {
                applyToListeners();
            }
        }
        controllerDuties(now);
    }

    /** On the watchdog thread. */
    private void maybeFence() {
        try {
            long now = clock.millis();
            long last = lastContactMs;
            long silentMs = now - last;
            if (fenced || !registered || stopped || silentMs < settings.fenceAfterMs()) {
                return;
            }
            int seen = backend.liveNodes().size();
            if (seen * 2 > backend.expectedMembers()) {
                return; // the store is unreachable for everyone: nobody can elect other leaders
            }
            synchronized (applyLock) {
                if (lastContactMs != last) {
                    return; // the conductor reached the store meanwhile
                }
                fenced = true;
                log.warn(
                        "Broker {} has not reached the cluster for {} ms and sees {} of {} members: it stops leading"
                                + " its partitions until it is back",
                        self.id(),
                        silentMs,
                        seen,
                        backend.expectedMembers());
                applyToListeners();
            }
        } catch (RuntimeException e) {
            log.error("Broker {}: the cluster watchdog failed", self.id(), e);
        }
    }

    private void unfence() {
        synchronized (applyLock) {
            fenced = false;
            log.info("Broker {} reached the cluster again (image version {})", self.id(), image.version());
            applyToListeners();
        }
    }

    private void failPending(List<Event> events) {
        for (Event e : events) {
            if (e instanceof Mutation m && !m.result().isDone()) {
                m.result()
                        .completeExceptionally(new org.apache.kafka.common.errors.TimeoutException(
                                "The cluster's consistent store is unreachable from broker " + self.id()));
            } else if (e instanceof Proposal p) {
                p.done().accept(false);
            }
        }
    }

    /** Reads the stored image and applies it if newer; restores an empty store. */
    private void refresh(long now) throws ClusterUnavailableException, IOException {
        Optional<byte[]> stored = backend.readImage();
        if (stored.isEmpty()) {
            bootstrap(now);
            return;
        }
        storedBytes = stored;
        ClusterImage read = ClusterImage.decode(stored.get());
        if (read.version() > image.version() || !read.clusterId().equals(image.clusterId()) || !registered) {
            apply(read);
        }
    }

    private void bootstrap(long now) throws ClusterUnavailableException, IOException {
        if (bootstrapStartMs < 0) {
            bootstrapStartMs = now;
            backend.offerLocalCopy(restoredFrom.orElse(ClusterImage.empty("")).encode());
        }
        if (!takeControllerLock()) {
            return;
        }
        Map<Integer, byte[]> copies = backend.localCopies();
        if (copies.size() < backend.expectedMembers() && now - bootstrapStartMs < settings.bootstrapTimeoutMs()) {
            return; // wait for the others' copies
        }
        ClusterImage newest = null;
        for (byte[] b : copies.values()) {
            ClusterImage c = ClusterImage.decode(b);
            if (!c.clusterId().isEmpty() && (newest == null || c.version() > newest.version())) {
                newest = c;
            }
        }
        ClusterImage first = newest == null
                ? ClusterImage.empty(Uuid.randomUuid().toString()).atVersion(1)
                : newest.atVersion(newest.version() + 1);
        long epoch = Math.max(controllerFence, first.controllerEpoch() + 1);
        first = first.withController(self.id(), epoch);
        byte[] bytes = first.encode();
        if (backend.compareAndSetImage(Optional.empty(), bytes)) {
            log.info(
                    "Broker {} {} the cluster image (version {}, {} topics) as controller epoch {}",
                    self.id(),
                    newest == null ? "created" : "restored from the newest local copy",
                    first.version(),
                    first.topics().size(),
                    epoch);
            controllerEpoch = epoch;
            storedBytes = Optional.of(bytes);
            apply(first);
            backend.announce(first.version());
        }
    }

    private void register() throws ClusterUnavailableException, IOException {
        BrokerRegistration known = image.brokers().get(self.id());
        if (known != null && known.equals(self)) {
            registered = true;
            applyToListeners();
            ready.countDown();
            return;
        }
        Optional<ClusterImage> written = compareAndSet(img -> ControllerLogic.registerBroker(img, self, live));
        if (written.isPresent()) {
            log.info(
                    "Broker {} registered (incarnation {}) in image version {}",
                    self.id(),
                    self.incarnation(),
                    written.get().version());
            registered = true;
            applyToListeners();
            ready.countDown();
        }
    }

    private void runMutation(Mutation m) throws ClusterUnavailableException, IOException {
        try {
            Optional<ClusterImage> written = compareAndSet(m.change());
            if (written.isPresent()) {
                m.result().complete(written.get());
            } else {
                m.result()
                        .completeExceptionally(new org.apache.kafka.common.errors.TimeoutException(
                                "Too much contention on the cluster image"));
            }
        } catch (ApiException | IllegalArgumentException | java.util.NoSuchElementException e) {
            m.result().completeExceptionally(e);
        }
    }

    private void runProposal(Proposal p) throws ClusterUnavailableException, IOException {
        boolean[] refused = {false};
        Optional<ClusterImage> written = compareAndSet(img -> {
            ControllerLogic.IsrResult r = ControllerLogic.applyIsrChange(img, p.change(), live);
            if (r.refusal().isPresent()) {
                refused[0] = true;
                log.debug("ISR change {} refused: {}", p.change(), r.refusal().get());
                return img;
            }
            return r.image().orElseThrow();
        });
        p.done().accept(written.isPresent() && !refused[0]);
    }

    /**
     * Compare-and-set loop: reads, applies {@code change}, writes if it changed something, applies what was written.
     *
     * @return the image now current, or empty after too many lost races
     */
    private Optional<ClusterImage> compareAndSet(UnaryOperator<ClusterImage> change)
            throws ClusterUnavailableException, IOException {
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Optional<byte[]> current = attempt == 0 && storedBytes.isPresent() ? storedBytes : backend.readImage();
            if (current.isEmpty()) {
                return Optional.empty();
            }
            ClusterImage base = ClusterImage.decode(current.get());
            ClusterImage next = change.apply(base);
            if (next == base || next.equals(base)) {
                storedBytes = current;
                if (base.version() > image.version()) {
                    apply(base);
                }
                return Optional.of(base);
            }
            byte[] bytes = next.atVersion(base.version() + 1).encode();
            if (backend.compareAndSetImage(current, bytes)) {
                ClusterImage written = ClusterImage.decode(bytes);
                storedBytes = Optional.of(bytes);
                apply(written);
                backend.announce(written.version());
                return Optional.of(written);
            }
            storedBytes = Optional.empty(); // lost a race: read again
        }
        return Optional.empty();
    }

    private void apply(ClusterImage next) throws IOException {
        localCopy.write(next);
        restoredFrom = Optional.of(next);
        image = next;
        if (registered) {
            applyToListeners();
        }
    }

    private void applyToListeners() {
        synchronized (applyLock) {
            ClusterImage current = fenced ? image.fencedFrom(self.id()) : image;
            for (Consumer<ClusterImage> l : listeners) {
                try {
                    l.accept(current);
                } catch (RuntimeException e) {
                    log.error("Broker {}: applying image {} failed", self.id(), current.version(), e);
                }
            }
        }
    }

    // ---- controller ------------------------------------------------------------------------------------------------

    private boolean takeControllerLock() throws ClusterUnavailableException {
        if (controllerFence >= 0) {
            if (backend.holdsController(controllerFence)) {
                return true;
            }
            log.warn("Broker {} lost the controller lock (epoch {})", self.id(), controllerEpoch);
            controllerFence = -1;
            controllerEpoch = -1;
        }
        OptionalLong fence = backend.tryLockController();
        if (fence.isEmpty()) {
            return false;
        }
        controllerFence = fence.getAsLong();
        return true;
    }

    private void controllerDuties(long now) throws ClusterUnavailableException, IOException {
        boolean wasController = controllerEpoch >= 0;
        if (!takeControllerLock()) {
            return;
        }
        if (!wasController || controllerEpoch < 0) {
            long epoch = Math.max(controllerFence, image.controllerEpoch() + 1);
            Optional<ClusterImage> written = compareAndSet(img -> img.withController(self.id(), epoch));
            if (written.isEmpty() || written.get().controllerEpoch() != epoch) {
                return;
            }
            controllerEpoch = epoch;
            lastBalanceMs = now;
            log.info("Broker {} is the controller, epoch {}", self.id(), epoch);
        }
        long epoch = controllerEpoch;
        boolean balance = settings.autoLeaderRebalance() && now - lastBalanceMs >= settings.leaderImbalanceCheckMs();
        if (balance) {
            lastBalanceMs = now;
        }
        Set<Integer> alive = liveRegistered();
        compareAndSet(img -> {
            if (img.controllerEpoch() > epoch || img.controllerId() != self.id()) {
                throw new NotControllerException(
                        "Controller epoch " + epoch + " is stale: the image has " + img.controllerEpoch());
            }
            ClusterImage next = ControllerLogic.reconcile(img, alive, settings.uncleanElectionDefault());
            if (balance) {
                next = ControllerLogic.electPreferred(next, alive, (t, p) -> true);
            }
            return next;
        });
    }

    /** Brokers that are both registered and alive in membership. */
    private Set<Integer> liveRegistered() {
        Set<Integer> alive = new HashSet<>(live);
        alive.retainAll(image.brokers().keySet());
        return alive;
    }

    @Override
    public void close() {
        stopped = true;
        watchdog.shutdownNow();
        queue.add(new Stop());
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        backend.close();
    }
}
