package io.herald.jms;

import java.util.Optional;

/**
 * When the records a share consumer prefetched stop being safe to hand to the application: the broker locks each
 * acquired record to its consumer for the group's {@code share.record.lock.duration.ms}, then gives it to another
 * consumer. A prefetched record handed out after that would be delivered twice, the second time not flagged
 * redelivered — a duplicate AUTO_ACKNOWLEDGE does not allow. So a window is usable for the first {@link
 * #USABLE_PERCENT} percent of its lock only; the rest leaves time for the application to process the message and for
 * its acknowledgement to reach the broker (it travels within about {@code ShareSource.ACK_FLUSH_MS}).
 *
 * <p>Design note: the provider cannot see when the broker acquired a record, only when polls ran. kafka-clients'
 * share consumer (4.3.1) arms fetching when {@code poll} is called and disarms it when a response brings records.
 * So the records of a poll were acquired after it began — unless the poll before it came back empty: fetching then
 * stayed armed, and records may have been acquired in the background at any time since that poll began. The window
 * counts from the earlier of the two, erring on the safe side (a message given back needlessly comes again with a
 * delivery count one higher; one handed out late would be a duplicate). The lock duration is the one the broker sent
 * with the fetch (ShareFetch {@code AcquisitionLockTimeoutMs}); a broker that sends none leaves the window unbounded.
 *
 * <p>Thread-safety: not thread-safe; guarded by its source's lock.
 */
final class AcquisitionWindow {

    /** The share of the record lock during which a prefetched record may still be handed to the application. */
    static final int USABLE_PERCENT = 75;

    private static final long NONE = Long.MIN_VALUE;

    private long acquiredAtMs;
    private long emptyPollStartedAtMs = NONE;

    /** A poll that began at {@code startedAtMs} returned records ({@code gotRecords}) or none. */
    void polled(long startedAtMs, boolean gotRecords) {
        if (!gotRecords) {
            emptyPollStartedAtMs = startedAtMs;
            return;
        }
        acquiredAtMs = emptyPollStartedAtMs == NONE ? startedAtMs : emptyPollStartedAtMs;
        emptyPollStartedAtMs = NONE;
    }

    /** Whether records of this window must no longer be delivered at {@code nowMs}, given the broker's lock. */
    boolean runningOut(long nowMs, Optional<Integer> lockMs) {
        if (lockMs.isEmpty() || lockMs.get() <= 0) {
            return false;
        }
        return nowMs - acquiredAtMs >= lockMs.get() * (long) USABLE_PERCENT / 100;
    }
}
