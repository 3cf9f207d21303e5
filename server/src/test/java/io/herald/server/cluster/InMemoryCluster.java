package io.herald.server.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * A cluster's membership and consistent store in one JVM, the fake {@link ClusterBackend} of {@code
 * ClusterConductorTest}: it can kill brokers, cut one off from the majority and heal it.
 *
 * <p>Semantics kept from the real backend: the store and the lock are reachable only from brokers on the majority side
 * (a cut-off broker gets {@link ClusterUnavailableException}); a cut-off or killed broker's lock session ends when the
 * test says so ({@link #expireSessions}), or at once with {@code immediateExpiry}; fences only grow; membership as
 * seen by a cut-off broker is itself alone.
 *
 * <p>Thread-safety: thread-safe (one monitor).
 */
public final class InMemoryCluster {

    private final int expectedMembers;
    private final boolean immediateExpiry;
    private final Map<Integer, Node> nodes = new TreeMap<>();
    private final Set<Integer> isolated = new HashSet<>();
    private final Map<Integer, byte[]> offers = new HashMap<>();
    private byte[] image;
    private int lockHolder = -1;
    private boolean storeBlocked;
    private long fence;

    public InMemoryCluster(int expectedMembers, boolean immediateExpiry) {
        this.expectedMembers = expectedMembers;
        this.immediateExpiry = immediateExpiry;
    }

    /** A new backend (broker process) for {@code nodeId}; a previous one of the same id must be killed first. */
    public synchronized ClusterBackend backend(int nodeId) {
        Node n = new Node(nodeId);
        nodes.put(nodeId, n);
        return n;
    }

    /** The broker's process dies: it leaves membership; its lock session ends now or at {@link #expireSessions}. */
    public void kill(int nodeId) {
        List<Node> notify;
        synchronized (this) {
            Node n = nodes.remove(nodeId);
            if (n == null) {
                return;
            }
            n.dead = true;
            if (immediateExpiry && lockHolder == nodeId) {
                lockHolder = -1;
            }
            notify = new ArrayList<>(nodes.values());
        }
        notify.forEach(Node::membershipChanged);
    }

    /** Cuts a broker off from all others: it cannot reach the store, and membership on both sides loses the other. */
    public void isolate(int nodeId) {
        List<Node> notify;
        synchronized (this) {
            isolated.add(nodeId);
            if (immediateExpiry && lockHolder == nodeId) {
                lockHolder = -1;
            }
            notify = new ArrayList<>(nodes.values());
        }
        notify.forEach(Node::membershipChanged);
    }

    public void heal(int nodeId) {
        List<Node> notify;
        synchronized (this) {
            isolated.remove(nodeId);
            notify = new ArrayList<>(nodes.values());
        }
        notify.forEach(Node::membershipChanged);
    }

    /** The store stops answering anyone (its own majority is gone) while membership stays as it is. */
    public synchronized void blockStore() {
        storeBlocked = true;
    }

    public synchronized void unblockStore() {
        storeBlocked = false;
    }

    /** Ends the lock session of a dead or cut-off holder (the CP session timed out). */
    public synchronized void expireSessions() {
        if (lockHolder >= 0 && (!nodes.containsKey(lockHolder) || isolated.contains(lockHolder))) {
            lockHolder = -1;
        }
    }

    public synchronized int lockHolder() {
        return lockHolder;
    }

    public synchronized Optional<byte[]> storedImage() {
        return Optional.ofNullable(image);
    }

    /** Forgets the consistent store (every broker stopped: Hazelcast's CP state is gone). */
    public synchronized void wipeStore() {
        image = null;
        lockHolder = -1;
        offers.clear();
    }

    private synchronized void checkReachable(Node n) throws ClusterUnavailableException {
        if (n.dead) {
            throw new ClusterUnavailableException("Broker " + n.id + " is stopped", null);
        }
        if (isolated.contains(n.id)) {
            throw new ClusterUnavailableException("Broker " + n.id + " is cut off from the majority", null);
        }
        if (storeBlocked) {
            throw new ClusterUnavailableException("The store has no majority", null);
        }
    }

    private final class Node implements ClusterBackend {
        private final int id;
        private volatile Events events;
        private volatile boolean dead;

        Node(int id) {
            this.id = id;
        }

        void membershipChanged() {
            Events e = events;
            if (e != null && !dead) {
                e.membershipChanged();
            }
        }

        @Override
        public void start(Events events) {
            this.events = events;
            List<Node> notify;
            synchronized (InMemoryCluster.this) {
                notify = new ArrayList<>(nodes.values());
            }
            notify.forEach(Node::membershipChanged);
        }

        @Override
        public int localNodeId() {
            return id;
        }

        @Override
        public Set<Integer> liveNodes() {
            synchronized (InMemoryCluster.this) {
                if (isolated.contains(id)) {
                    return Set.of(id);
                }
                Set<Integer> live = new HashSet<>();
                for (Node n : nodes.values()) {
                    if (!isolated.contains(n.id) && n.events != null) {
                        live.add(n.id);
                    }
                }
                return live;
            }
        }

        @Override
        public int expectedMembers() {
            return expectedMembers;
        }

        @Override
        public Optional<byte[]> readImage() throws ClusterUnavailableException {
            synchronized (InMemoryCluster.this) {
                checkReachable(this);
                return Optional.ofNullable(image).map(byte[]::clone);
            }
        }

        @Override
        public boolean compareAndSetImage(Optional<byte[]> expected, byte[] update) throws ClusterUnavailableException {
            synchronized (InMemoryCluster.this) {
                checkReachable(this);
                boolean matches =
                        expected.isEmpty() ? image == null : image != null && Arrays.equals(image, expected.get());
                if (matches) {
                    image = update.clone();
                }
                return matches;
            }
        }

        @Override
        public OptionalLong tryLockController() throws ClusterUnavailableException {
            synchronized (InMemoryCluster.this) {
                checkReachable(this);
                if (lockHolder == id) {
                    return OptionalLong.of(fence);
                }
                if (lockHolder >= 0) {
                    return OptionalLong.empty();
                }
                lockHolder = id;
                return OptionalLong.of(++fence);
            }
        }

        @Override
        public boolean holdsController(long f) throws ClusterUnavailableException {
            synchronized (InMemoryCluster.this) {
                checkReachable(this);
                return lockHolder == id && fence == f;
            }
        }

        @Override
        public void unlockController() {
            synchronized (InMemoryCluster.this) {
                if (lockHolder == id && !dead) {
                    lockHolder = -1;
                }
            }
        }

        @Override
        public void announce(long version) {
            for (Node n : reachableOthers()) {
                Events e = n.events;
                if (e != null) {
                    e.imageAnnounced(version);
                }
            }
        }

        @Override
        public void publishNotice(byte[] notice) {
            for (Node n : reachableOthers()) {
                Events e = n.events;
                if (e != null) {
                    e.noticeReceived(notice.clone());
                }
            }
        }

        private List<Node> reachableOthers() {
            synchronized (InMemoryCluster.this) {
                if (dead || isolated.contains(id)) {
                    return List.of();
                }
                return nodes.values().stream()
                        .filter(n -> n != this && !isolated.contains(n.id))
                        .toList();
            }
        }

        @Override
        public void offerLocalCopy(byte[] copy) {
            synchronized (InMemoryCluster.this) {
                offers.put(id, copy.clone());
            }
        }

        @Override
        public Map<Integer, byte[]> localCopies() {
            synchronized (InMemoryCluster.this) {
                return Map.copyOf(offers);
            }
        }

        @Override
        public void close() {
            synchronized (InMemoryCluster.this) {
                if (lockHolder == id) {
                    lockHolder = -1;
                }
            }
            kill(id);
        }
    }
}
