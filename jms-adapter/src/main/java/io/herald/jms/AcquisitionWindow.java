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
 * <p>Design note: records are taken as acquired when the poll that returned them began. kafka-clients' share consumer
 * fetches while {@code poll} runs (it does not prefetch behind the application's back, as that would let locks run
 * down unseen), so the broker acquired them at that moment or later: the estimate errs on the safe side. The lock
 * duration is the one the broker sent with the fetch (ShareFetch v1+ {@code AcquisitionLockTimeoutMs}); a broker
 * that sends none leaves the window unbounded, as before.
 *
 * <p>Thread-safety: not thread-safe; guarded by its source's lock.
 */
final class AcquisitionWindow {

    /** The share of the record lock during which a prefetched record may still be handed to the application. */
    static final int USABLE_PERCENT = 75;

    private long acquiredAtMs;

    /** The records in hand now were acquired no earlier than {@code atMs}. */
    void acquired(long atMs) {
        this.acquiredAtMs = atMs;
    }

    /** Whether records of this window must no longer be delivered at {@code nowMs}, given the broker's lock. */
    boolean runningOut(long nowMs, Optional<Integer> lockMs) {
        if (lockMs.isEmpty() || lockMs.get() <= 0) {
            return false;
        }
        return nowMs - acquiredAtMs >= lockMs.get() * (long) USABLE_PERCENT / 100;
    }
}
