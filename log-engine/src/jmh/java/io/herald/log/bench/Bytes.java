package io.herald.log.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Bytes moved by a benchmark thread. JMH reports the field as a secondary result named {@code bytes}, in bytes per
 * second (the benchmarks' output unit is seconds), summed over threads: MB/s is that figure divided by 10^6.
 *
 * <p>Thread-safety: one instance per benchmark thread (JMH's {@link Scope#Thread}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Bytes {

    /** Bytes appended or sent in this iteration. */
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
        bytes = 0;
    }
}
