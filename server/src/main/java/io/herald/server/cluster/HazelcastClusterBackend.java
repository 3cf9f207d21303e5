package io.herald.server.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.cp.CPSubsystemConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPGroup;
import com.hazelcast.cp.CPGroupId;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.CPSubsystemManagementService;
import com.hazelcast.cp.IAtomicReference;
import com.hazelcast.cp.lock.FencedLock;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterBackend} on an embedded Hazelcast 5.4 member: TCP/IP join on the configured member list, membership and
 * failure detection from Hazelcast, the image in a CP {@code IAtomicReference<byte[]>} and the controller lock a CP
 * {@code FencedLock} (Raft: a write succeeds only with a majority of the CP members). Announcements go on an AP {@code
 * ITopic}, as do the notices of other subsystems (a second topic), and local copies in an AP {@code IMap}: hints,
 * never decisions.
 *
 * <p>Design note: Hazelcast Community has no CP persistence, so a CP member that crashed comes back as a new member.
 * After {@code missingMemberRemovalSeconds} Hazelcast removes the crashed one from the CP groups; a housekeeping task
 * promotes this member to the CP role whenever it is not one, so a restarted broker takes its place again. Below three
 * members ({@code cpMemberCount=0}) the CP subsystem runs in Hazelcast's unsafe mode: the structures live in AP
 * partitions and a network split can lose a write. Herald documents that a cluster that must not split needs three
 * brokers or more.
 *
 * <p>Thread-safety: thread-safe; the controller lock's methods must be called from the conductor thread.
 */
public final class HazelcastClusterBackend implements ClusterBackend {

    private static final Logger log = LoggerFactory.getLogger(HazelcastClusterBackend.class);
    static final String NODE_ID_ATTRIBUTE = "herald.node.id";
    private static final String IMAGE = "herald-cluster-image";
    private static final String LOCK = "herald-controller";
    private static final String ANNOUNCEMENTS = "herald-image-announcements";
    private static final String LOCAL_COPIES = "herald-local-copies";
    private static final String NOTICES = "herald-notices";

    private final HazelcastSettings settings;
    private final ScheduledExecutorService housekeeping;
    private volatile HazelcastInstance hz;
    private volatile boolean closed;

    public HazelcastClusterBackend(HazelcastSettings settings) {
        this.settings = settings;
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-cluster-housekeeping-" + settings.nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    Config config() {
        Config c = new Config();
        c.setClusterName(settings.clusterName());
        c.setInstanceName("herald-" + settings.nodeId() + "-" + UUID.randomUUID());
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(settings.heartbeatSeconds()));
        c.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(settings.failureTimeoutSeconds()));
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.partition.count", "31");
        c.setProperty("hazelcast.event.thread.count", "1");
        c.setProperty("hazelcast.operation.thread.count", "2");
        c.setProperty("hazelcast.operation.generic.thread.count", "2");
        c.setProperty("hazelcast.io.thread.count", "1");
        c.setProperty("hazelcast.jmx", "false");
        c.setProperty("hazelcast.health.monitoring.level", "OFF");
        c.getMemberAttributeConfig().setAttribute(NODE_ID_ATTRIBUTE, String.valueOf(settings.nodeId()));
        NetworkConfig network = c.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        network.setPublicAddress(settings.memberAddress());
        if (settings.memberHost().equals(settings.host())) {
            // Connections to other members then leave from the address this member advertises, never from whichever
            // address the OS picks: the others (and firewalls, and the partition test's proxies) can tell members
            // apart by source address. A public address elsewhere (NAT) cannot be bound, so the OS picks there.
            c.setProperty("hazelcast.socket.client.bind.any", "false");
        }
        // Binds exactly cluster.host, also an address no interface lists (a loopback alias such as 127.0.0.2), where
        // interface matching would refuse to start.
        c.setProperty("hazelcast.local.localAddress", settings.host());
        network.getRestApiConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members()).setConnectionTimeoutSeconds(2);
        CPSubsystemConfig cp = c.getCPSubsystemConfig();
        int cpMembers = settings.cpMemberCount();
        cp.setCPMemberCount(cpMembers);
        if (cpMembers >= 3) {
            cp.setGroupSize(Math.min(7, cpMembers % 2 == 0 ? cpMembers - 1 : cpMembers));
        }
        cp.setSessionHeartbeatIntervalSeconds(1);
        cp.setSessionTimeToLiveSeconds(settings.sessionTtlSeconds());
        cp.setMissingCPMemberAutoRemovalSeconds(settings.missingMemberRemovalSeconds());
        cp.getRaftAlgorithmConfig()
                .setLeaderElectionTimeoutInMillis(settings.raftElectionTimeoutMs())
                .setLeaderHeartbeatPeriodInMillis(Math.max(100, settings.raftElectionTimeoutMs() / 4));
        return c;
    }

    @Override
    public void start(Events events) throws ClusterUnavailableException {
        try {
            hz = Hazelcast.newHazelcastInstance(config());
        } catch (RuntimeException e) {
            throw new ClusterUnavailableException("Hazelcast failed to start: " + e, e);
        }
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                events.membershipChanged();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                events.membershipChanged();
            }
        });
        ITopic<Long> topic = hz.getReliableTopic(ANNOUNCEMENTS);
        topic.addMessageListener(m -> events.imageAnnounced(m.getMessageObject()));
        ITopic<byte[]> notices = hz.getReliableTopic(NOTICES);
        notices.addMessageListener(m -> {
            if (!hz.getCluster().getLocalMember().equals(m.getPublishingMember())) {
                events.noticeReceived(m.getMessageObject());
            }
        });
        if (settings.cpMemberCount() > 0) {
            housekeeping.scheduleWithFixedDelay(this::ensureCpMember, 1, 1, TimeUnit.SECONDS);
        }
        events.membershipChanged();
    }

    /** Promotes this member to the CP role when it is not one (a restarted broker replacing its crashed self). */
    private void ensureCpMember() {
        try {
            CPSubsystemManagementService cp = hz.getCPSubsystem().getCPSubsystemManagementService();
            if (!cp.isDiscoveryCompleted() || hz.getCPSubsystem().getLocalCPMember() != null) {
                return;
            }
            int cpMembers = cp.getCPMembers()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS)
                    .size();
            if (cpMembers < settings.cpMemberCount()) {
                log.info(
                        "Broker {} joins the CP subsystem ({} CP members of {})",
                        settings.nodeId(),
                        cpMembers,
                        settings.cpMemberCount());
                cp.promoteToCPMember().toCompletableFuture().get(30, TimeUnit.SECONDS);
                log.info("Broker {} is a CP member", settings.nodeId());
            }
        } catch (Exception e) {
            if (!closed) {
                log.debug("CP housekeeping: {}", e.toString());
            }
        }
    }

    @Override
    public int localNodeId() {
        return settings.nodeId();
    }

    @Override
    public Set<Integer> liveNodes() {
        HazelcastInstance h = hz;
        Set<Integer> live = new HashSet<>();
        if (h == null) {
            return live;
        }
        try {
            for (Member m : h.getCluster().getMembers()) {
                String id = m.getAttribute(NODE_ID_ATTRIBUTE);
                if (id != null) {
                    live.add(Integer.parseInt(id));
                }
            }
        } catch (RuntimeException e) {
            live.add(settings.nodeId());
        }
        return live;
    }

    @Override
    public boolean votes() {
        HazelcastInstance h = hz;
        if (settings.cpMemberCount() == 0) {
            return true;
        }
        if (h == null) {
            return false;
        }
        try {
            CPMember local = h.getCPSubsystem().getLocalCPMember();
            if (local == null) {
                return false;
            }
            CPSubsystemManagementService cp = h.getCPSubsystem().getCPSubsystemManagementService();
            // Promotion completes in the metadata group first; the other groups take the new member a moment later.
            for (CPGroupId id : cp.getCPGroupIds().toCompletableFuture().get(5, TimeUnit.SECONDS)) {
                CPGroup group =
                        cp.getCPGroup(id.getName()).toCompletableFuture().get(5, TimeUnit.SECONDS);
                if (group == null
                        || group.members().stream().noneMatch(m -> m.getUuid().equals(local.getUuid()))) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public int expectedMembers() {
        return settings.members().size();
    }

    private IAtomicReference<byte[]> image() {
        return hz.getCPSubsystem().getAtomicReference(IMAGE);
    }

    private <T> T await(CompletionStage<T> stage, String what) throws ClusterUnavailableException {
        try {
            return stage.toCompletableFuture().get(settings.operationTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException(what + " interrupted", e);
        } catch (ExecutionException e) {
            throw new ClusterUnavailableException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ClusterUnavailableException(
                    what + " timed out after " + settings.operationTimeoutMs() + " ms", e);
        } catch (RuntimeException e) {
            throw new ClusterUnavailableException(what + " failed: " + e, e);
        }
    }

    @Override
    public Optional<byte[]> readImage() throws ClusterUnavailableException {
        try {
            return Optional.ofNullable(await(image().getAsync(), "Reading the cluster image"));
        } catch (RuntimeException e) {
            throw new ClusterUnavailableException("Reading the cluster image failed: " + e, e);
        }
    }

    @Override
    public boolean compareAndSetImage(Optional<byte[]> expected, byte[] update) throws ClusterUnavailableException {
        try {
            return await(image().compareAndSetAsync(expected.orElse(null), update), "Writing the cluster image");
        } catch (RuntimeException e) {
            throw new ClusterUnavailableException("Writing the cluster image failed: " + e, e);
        }
    }

    private FencedLock lock() {
        return hz.getCPSubsystem().getLock(LOCK);
    }

    @Override
    public OptionalLong tryLockController() throws ClusterUnavailableException {
        try {
            long fence = lock().tryLockAndGetFence();
            return fence == FencedLock.INVALID_FENCE ? OptionalLong.empty() : OptionalLong.of(fence);
        } catch (RuntimeException e) {
            throw new ClusterUnavailableException("Taking the controller lock failed: " + e, e);
        }
    }

    @Override
    public boolean holdsController(long fence) throws ClusterUnavailableException {
        try {
            FencedLock l = lock();
            return l.isLockedByCurrentThread() && l.getFence() == fence;
        } catch (IllegalMonitorStateException e) {
            return false;
        } catch (RuntimeException e) {
            if (e.getClass().getSimpleName().equals("LockOwnershipLostException")) {
                return false;
            }
            throw new ClusterUnavailableException("Checking the controller lock failed: " + e, e);
        }
    }

    @Override
    public void unlockController() {
        try {
            FencedLock l = lock();
            while (l.isLockedByCurrentThread()) {
                l.unlock();
            }
        } catch (RuntimeException e) {
            log.debug("Releasing the controller lock: {}", e.toString());
        }
    }

    @Override
    public void announce(long version) {
        try {
            hz.<Long>getReliableTopic(ANNOUNCEMENTS).publishAsync(version);
        } catch (RuntimeException e) {
            log.debug("Announcing image {} failed: {}", version, e.toString());
        }
    }

    @Override
    public void publishNotice(byte[] notice) {
        try {
            hz.<byte[]>getReliableTopic(NOTICES).publishAsync(notice);
        } catch (RuntimeException e) {
            log.debug("Publishing a notice failed: {}", e.toString());
        }
    }

    @Override
    public void offerLocalCopy(byte[] copy) {
        try {
            hz.<Integer, byte[]>getMap(LOCAL_COPIES).set(settings.nodeId(), copy);
        } catch (RuntimeException e) {
            log.debug("Offering the local copy failed: {}", e.toString());
        }
    }

    @Override
    public Map<Integer, byte[]> localCopies() {
        try {
            IMap<Integer, byte[]> map = hz.getMap(LOCAL_COPIES);
            return new HashMap<>(map);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    @Override
    public void close() {
        closed = true;
        housekeeping.shutdownNow();
        HazelcastInstance h = hz;
        if (h != null) {
            try {
                h.getLifecycleService().terminate();
            } catch (RuntimeException e) {
                log.debug("Stopping Hazelcast: {}", e.toString());
            }
        }
    }
}
