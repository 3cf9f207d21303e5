package io.herald.server.group;

import java.util.PriorityQueue;

/**
 * {@link GroupTime} that moves only when a test advances it: due tasks run on the advancing thread, in deadline order
 * (tasks they schedule for the past or present run too).
 */
final class MockGroupTime implements GroupTime {

    private final class Task implements Cancellable, Comparable<Task> {
        final long deadline;
        final long sequence;
        final Runnable runnable;
        boolean cancelled;

        Task(long deadline, long sequence, Runnable runnable) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            synchronized (MockGroupTime.this) {
                cancelled = true;
            }
        }

        @Override
        public int compareTo(Task o) {
            return deadline != o.deadline ? Long.compare(deadline, o.deadline) : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_700_000_000_000L;
    private long sequence;

    @Override
    public synchronized long milliseconds() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(long delayMs, Runnable task) {
        Task t = new Task(now + Math.max(0, delayMs), sequence++, task);
        tasks.add(t);
        return t;
    }

    /** Moves time forward by {@code ms}, running every task that comes due. */
    void advance(long ms) {
        long target;
        synchronized (this) {
            target = now + ms;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.deadline > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.deadline);
                if (next.cancelled) {
                    continue;
                }
            }
            next.runnable.run();
        }
    }
}
