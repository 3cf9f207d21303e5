package io.herald.log;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Scheduler} whose one-shot tasks run when a test calls {@link #runAll()}; periodic tasks are recorded and
 * never run on their own (tests call the work directly). Thread-safe.
 */
public final class ManualScheduler implements Scheduler {
    private final List<Runnable> pending = new ArrayList<>();
    private final List<String> periodic = new ArrayList<>();

    @Override
    public synchronized void schedule(String name, Runnable task, long delayMs) {
        pending.add(task);
    }

    @Override
    public synchronized void schedulePeriodically(String name, Runnable task, long periodMs) {
        periodic.add(name);
    }

    /** Runs every pending one-shot task (and those they schedule). */
    public void runAll() {
        while (true) {
            List<Runnable> now;
            synchronized (this) {
                if (pending.isEmpty()) {
                    return;
                }
                now = new ArrayList<>(pending);
                pending.clear();
            }
            now.forEach(Runnable::run);
        }
    }

    public synchronized int pendingCount() {
        return pending.size();
    }
}
