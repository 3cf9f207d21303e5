package io.herald.server.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Membership and the consistency-critical state of the cluster, behind one interface: Hazelcast (membership and
 * failure detection, the CP subsystem for the image and the controller lock) in a cluster, an in-memory fake in tests
 * ({@code InMemoryCluster}). A broker without cluster configuration has none (see {@link SingleBrokerView}).
 *
 * <p>Every decision that must never split goes through {@link #compareAndSetImage} on the CP store: the cluster image
 * is one value, replaced only by compare-and-set on the exact bytes the writer read. The controller lock is a fenced
 * lock whose fence token only grows, so it serves as the controller epoch. What is announced ({@link
 * #announce}) and offered ({@link #offerLocalCopy}) travels on best-effort channels: it is a hint to read the CP
 * store, never a decision.
 *
 * <p>Thread-safety: thread-safe, except that the controller lock's methods must be called from one thread (the lock
 * belongs to the thread that took it, as {@code FencedLock} does).
 */
public interface ClusterBackend extends AutoCloseable {

    /** What the backend reports; implementations call these from their own threads, so they must only enqueue. */
    interface Events {
        /** Brokers joined or left. */
        void membershipChanged();

        /** Some broker wrote image {@code version}. */
        void imageAnnounced(long version);

        /** Another broker published {@code notice} ({@link #publishNotice}). */
        default void noticeReceived(byte[] notice) {}
    }

    /** Joins the cluster; events start flowing. */
    void start(Events events) throws ClusterUnavailableException;

    int localNodeId();

    /** Node ids of the brokers that membership currently sees alive (this one included). */
    Set<Integer> liveNodes();

    /**
     * Whether this broker votes in every group of the consistent store. A broker restarted after a crash votes only
     * once its previous self was removed and it was promoted in its place: until then the cluster tolerates one
     * failure fewer. A store without voters of its own (the in-memory fake, the unsafe mode) always answers true.
     */
    default boolean votes() {
        return true;
    }

    /** How many brokers the cluster is configured with (the member list), for the start of a restarted cluster. */
    int expectedMembers();

    /** Reads the image bytes from the consistent store; empty if the store has none (a new or fully restarted one). */
    Optional<byte[]> readImage() throws ClusterUnavailableException;

    /**
     * Replaces the image if the store still holds exactly {@code expected} (empty: holds none).
     *
     * @return whether it was replaced
     */
    boolean compareAndSetImage(Optional<byte[]> expected, byte[] update) throws ClusterUnavailableException;

    /** Takes the controller lock if it is free; returns its fence token, or empty if another broker holds it. */
    OptionalLong tryLockController() throws ClusterUnavailableException;

    /** Whether this broker (the calling thread) still holds the controller lock with {@code fence}. */
    boolean holdsController(long fence) throws ClusterUnavailableException;

    /** Releases the controller lock if held. */
    void unlockController();

    /** Tells the other brokers that image {@code version} was written (a hint). */
    void announce(long version);

    /**
     * Sends {@code notice} to the other live brokers' {@link Events#noticeReceived}: best effort, in the order one
     * broker published them; a hint about state kept elsewhere (a broker that misses one reads that state later).
     */
    void publishNotice(byte[] notice);

    /** Offers this broker's local copy of the image, for restoring an empty store after a full restart. */
    void offerLocalCopy(byte[] image);

    /** The local copies offered so far, by node id. */
    Map<Integer, byte[]> localCopies();

    @Override
    void close();
}
