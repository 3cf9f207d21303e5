package io.herald.server.network;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers for request frames, reused: a produce request's bytes are read from the socket straight into native
 * memory and written from there to the segment file, so neither the read nor the write copies them through the heap
 * (the JDK copies a heap buffer into a temporary native one on every channel read and write). Frames up to {@value
 * #MAX_POOLED} bytes use power-of-two classes from {@value #MIN_CLASS}; larger frames get a heap buffer of their own.
 *
 * <p>Thread-safety: not thread-safe, apart from {@link #allocated}; each processor owns one pool, and a frame's buffer
 * returns to it on the processor's thread once the request's response has reached the processor.
 */
final class BufferPool {

    static final int MIN_CLASS = 4 * 1024;
    static final int MAX_POOLED = 1024 * 1024;
    private static final int KEPT_PER_CLASS = 16;

    private final ArrayDeque<ByteBuffer>[] free;
    private volatile long allocated; // written by the owning thread only, read by any

    @SuppressWarnings("unchecked")
    BufferPool() {
        int classes = Integer.numberOfTrailingZeros(MAX_POOLED) - Integer.numberOfTrailingZeros(MIN_CLASS) + 1;
        free = new ArrayDeque[classes];
        for (int i = 0; i < classes; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /** A buffer with position 0 and limit {@code size}; its capacity may be larger. */
    ByteBuffer acquire(int size) {
        if (size > MAX_POOLED) {
            return ByteBuffer.allocate(size);
        }
        int index = classOf(size);
        ByteBuffer buffer = free[index].poll();
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(MIN_CLASS << index);
            allocated++;
        }
        buffer.clear().limit(size);
        return buffer;
    }

    /** Takes back a buffer from {@link #acquire}; nobody may use it afterwards. */
    void release(ByteBuffer buffer) {
        if (buffer == null || !buffer.isDirect()) {
            return;
        }
        int index = classOf(buffer.capacity());
        if (free[index].size() < KEPT_PER_CLASS) {
            free[index].push(buffer);
        }
    }

    /**
     * How many direct buffers this pool has allocated so far. In a steady state it stops growing: allocating a direct
     * buffer zeroes fresh native memory (page faults) and leaves its release to the GC, which costs far more CPU than
     * the socket read it serves.
     */
    long allocated() {
        return allocated;
    }

    private static int classOf(int size) {
        int rounded = Math.max(MIN_CLASS, Integer.highestOneBit(Math.max(1, size - 1)) << 1);
        return Integer.numberOfTrailingZeros(rounded) - Integer.numberOfTrailingZeros(MIN_CLASS);
    }
}
