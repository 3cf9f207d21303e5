package io.herald.log;

import io.herald.log.io.Storage;
import java.time.Clock;
import java.util.Objects;

/**
 * What every partition log of a {@link LogManager} shares: the storage, the clock, the background scheduler and the
 * group-commit flusher.
 *
 * <p>Thread-safety: immutable; its parts are thread-safe.
 */
public record LogEnvironment(Storage storage, Clock clock, Scheduler scheduler, GroupCommit groupCommit) {

    public LogEnvironment {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(groupCommit, "groupCommit");
    }
}
