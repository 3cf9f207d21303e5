package io.herald.server.queue;

import io.herald.server.group.GroupCoordinator;
import io.herald.server.group.JmsPresenceGroups;
import io.herald.server.metadata.TemporaryTopics;
import io.herald.server.metadata.TopicInfo;
import io.herald.server.metadata.TopicManager;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the JMS temporary queues and topics of connections that died without closing them. The JMS provider names
 * a temporary destination {@code jms.temp.<owner>.<uuid>} and keeps a classic consumer group {@code
 * jms.owner.<owner>} with a member for as long as its connection lives; when that group has had no member for {@link
 * #GRACE_MS}, its destinations are orphans and are deleted, as the spec wants temporary destinations to live no
 * longer than their connection. Topics of any other name are never touched.
 *
 * <p>Design note: liveness is the group member's session (heartbeats, {@code session.timeout.ms}), which the group
 * coordinator already tracks, so a killed client process is noticed without anything new on the wire. Only the
 * broker coordinating the owner group acts (the others get NOT_COORDINATOR from their own coordinator and skip it), so
 * in a cluster each orphan is deleted once. The grace period covers the moments a live owner has no member here: the
 * provider creates a destination just before its owner member joins, and after a coordinator moves or restarts the
 * member needs a heartbeat or two to find it again.
 *
 * <p>Thread-safety: thread-safe; {@link #scan} runs on the reaper's own thread (or a test's), one at a time.
 */
public final class TemporaryDestinationReaper implements AutoCloseable {

    static final String PREFIX = TemporaryTopics.PREFIX;
    static final String OWNER_GROUP_PREFIX = JmsPresenceGroups.OWNER_PREFIX;
    /** How long an owner group must be without members before its destinations are deleted. */
    public static final long GRACE_MS = 15_000;
    /** How often the topics are checked. */
    public static final long SCAN_INTERVAL_MS = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(TemporaryDestinationReaper.class);
    private static final short DESCRIBE_VERSION = 5;

    private final TopicManager topics;
    private final GroupCoordinator groups;
    private final LongSupplier clock;
    private final Map<String, Long> ownerlessSince = new HashMap<>();
    private ScheduledExecutorService scheduler;

    private TemporaryDestinationReaper(TopicManager topics, GroupCoordinator groups, LongSupplier clock) {
        this.topics = topics;
        this.groups = groups;
        this.clock = clock;
    }

    /** A reaper that scans only when {@link #scan} is called. */
    public static TemporaryDestinationReaper of(TopicManager topics, GroupCoordinator groups, LongSupplier clock) {
        return new TemporaryDestinationReaper(topics, groups, clock);
    }

    /** A reaper that scans every {@link #SCAN_INTERVAL_MS} on a daemon thread of its own until closed. */
    public static TemporaryDestinationReaper start(TopicManager topics, GroupCoordinator groups, LongSupplier clock) {
        TemporaryDestinationReaper r = new TemporaryDestinationReaper(topics, groups, clock);
        r.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "herald-temporary-destination-reaper");
            t.setDaemon(true);
            return t;
        });
        r.scheduler.scheduleWithFixedDelay(r::scanQuietly, SCAN_INTERVAL_MS, SCAN_INTERVAL_MS, TimeUnit.MILLISECONDS);
        return r;
    }

    /** The owner group of temporary destination {@code topic}, or empty if it is not one with an owner. */
    static Optional<String> ownerGroup(String topic) {
        if (!topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = topic.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(OWNER_GROUP_PREFIX + parts[0]);
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.warn("Checking temporary destinations failed; trying again in {} ms", SCAN_INTERVAL_MS, e);
        }
    }

    /** One pass: deletes the temporary destinations whose owner has been gone for the grace period. */
    public synchronized int scan() {
        long now = clock.getAsLong();
        Set<String> seen = new HashSet<>();
        int deleted = 0;
        for (TopicInfo t : topics.metadata().topics()) {
            Optional<String> owner = ownerGroup(t.name());
            if (owner.isEmpty() || !ownerGone(owner.get())) {
                continue;
            }
            seen.add(t.name());
            long since = ownerlessSince.computeIfAbsent(t.name(), n -> now);
            if (now - since < GRACE_MS) {
                continue;
            }
            try {
                topics.delete(t.name());
                deleted++;
                LOG.info("Deleted temporary destination {}: its connection ({}) is gone", t.name(), owner.get());
            } catch (Exception e) {
                LOG.warn("Cannot delete temporary destination {} of the gone connection {}", t.name(), owner.get(), e);
            }
        }
        ownerlessSince.keySet().retainAll(seen);
        return deleted;
    }

    /** Whether this broker coordinates {@code group} and it has no member. */
    private boolean ownerGone(String group) {
        if (!groups.coordinates(group)) {
            return false; // another broker's group: that broker judges it
        }
        List<DescribedGroup> described = groups.describeGroups(DESCRIBE_VERSION, List.of(group));
        if (described.isEmpty() || described.get(0).errorCode() != Errors.NONE.code()) {
            return false; // loading, or closing: judged at a later scan
        }
        String state = described.get(0).groupState();
        return "Empty".equals(state) || "Dead".equals(state);
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
