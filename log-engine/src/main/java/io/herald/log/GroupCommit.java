package io.herald.log;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Makes appends durable in groups, on the appenders' own threads: an appender whose append must be durable takes the
 * log's flush lock and fsyncs everything appended so far; appenders that arrive meanwhile wait for the lock, then find
 * their append already covered (no fsync) or fsync, in one go, everything appended while they waited. So N concurrent
 * appenders to a log share fsyncs, and a lone durable append pays its fsync and no thread hand-off.
 *
 * <p>Design note: an earlier version queued flush requests to one flusher thread. That shared fsyncs as well, but cost
 * every durable append two thread hand-offs (to the flusher and back), a noticeable part of a blocking send's round
 * trip on a small machine; fsyncs of different logs now also run side by side instead of one after the other.
 *
 * <p>Thread-safety: thread-safe; it only counts, the log's flush lock does the rest.
 */
public final class GroupCommit {

    private final LongAdder requests = new LongAdder();
    private final LongAdder rounds = new LongAdder();

    /** Returns once {@code partition} is durable below {@code upTo}, fsyncing it if no earlier flush covered that. */
    void await(PartitionLog partition, long upTo) throws IOException {
        requests.increment();
        if (partition.flushCovering(upTo)) {
            rounds.increment();
        }
    }

    /** Flush requests so far. */
    public long requests() {
        return requests.sum();
    }

    /** Rounds of flushing (fsyncs of a log) so far; requests / rounds is how many appends shared a round. */
    public long rounds() {
        return rounds.sum();
    }
}
